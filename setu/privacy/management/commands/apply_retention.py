"""Erase or anonymise what has outlived its retention period; --dry-run only says what."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from setu.privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Apply the retention periods of settings.SETU_RETENTION_DAYS (one line per category)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only print what it would do.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        for line in retention_apply(dry_run=dry_run):
            self.stdout.write(line)

"""Make the vectors of every matchmaking profile whose stored ones are missing or stale."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from setu.algorithms.embedding import MODEL_VERSION
from setu.matchmaking.embeddings import embeddings_refresh


class Command(BaseCommand):
    help = (
        "Re-embed matchmaking profiles for the recommendations: those whose texts changed or "
        "whose vectors were made by another model version (every one with --all). Safe to run "
        "at any time, also while the worker runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-embed current ones too")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = embeddings_refresh(force=options["all"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {count} profiles with {MODEL_VERSION} in {elapsed:.1f} s."
            )
        )

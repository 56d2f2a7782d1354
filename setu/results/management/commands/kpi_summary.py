"""Recount the KPI summary's stale months (docs/decisions/0026-kpi-summary-per-month.md);
``--all`` recounts every month, after a bulk load that bypassed the signals. Safe to run from
cron at any interval."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from setu.results.kpi_summary import rebuild


class Command(BaseCommand):
    help = "Recount the stale months of the KPI summary (--all: every month)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="recount every month")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        months = rebuild(everything=options["all"])
        self.stdout.write(f"Recounted {months} month(s) in {time.perf_counter() - started:.1f} s.")

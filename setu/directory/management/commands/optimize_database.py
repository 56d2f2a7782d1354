"""Refresh the query planner's statistics (ANALYZE): nightly from cron, and after bulk loads."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from setu.directory.maintenance import update_planner_statistics


class Command(BaseCommand):
    help = (
        "Refresh the database's planner statistics (ANALYZE over every table). Needed on "
        "SQLite, which gathers none by itself; harmless on PostgreSQL, where autovacuum does it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Database-wide, although it lives in the directory: the directory's list is what needs
        # the statistics most (docs/performance.md, Directory).
        started = time.perf_counter()
        update_planner_statistics()
        self.stdout.write(
            f"ANALYZE on {connection.vendor} took {time.perf_counter() - started:.1f} s."
        )

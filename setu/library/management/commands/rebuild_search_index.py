"""Rebuild the search index from every registered source (or the named ones)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.library.search.backends import get_backend
from setu.library.search.indexing import rebuild
from setu.library.search.registry import sources
from setu.library.search.sqlite import SQLiteBackend


class Command(BaseCommand):
    help = (
        "Re-index every searchable record (documents, announcements, organisations and what "
        "other apps registered). Safe to run at any time; nobody is notified twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            help="only this source (repeatable), e.g. library.document",
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        known = {source.name for source in sources()}
        names = options["sources"]
        unknown = set(names or []) - known
        if unknown:
            raise CommandError(
                f"Unknown source(s): {', '.join(sorted(unknown))}. "
                f"Known: {', '.join(sorted(known))}"
            )
        backend = get_backend()
        if isinstance(backend, SQLiteBackend):
            backend.rebuild_engine_index()  # triggers back, FTS5 in step with the table
        started = time.perf_counter()

        def progress(name: str, count: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {name}: {count}")

        count = rebuild(names, batch_size=options["batch_size"], progress=progress)
        backend.optimize()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} records in {elapsed:.1f} s."))

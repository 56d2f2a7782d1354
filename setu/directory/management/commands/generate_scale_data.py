"""Fill the directory with a large synthetic dataset for benchmarks (bench/scale_data.py)."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _generator() -> Any:
    """bench/scale_data.py's generate_scale_data: the generator and its word lists belong to
    the benchmarks, in the checkout's bench/ folder (importable from the repository root)."""
    try:
        module = importlib.import_module("bench.scale_data")
    except ImportError as error:
        raise CommandError(
            "generate_scale_data needs bench/scale_data.py of a Setu checkout: "
            "run it from the repository root."
        ) from error
    return module.generate_scale_data


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate a large, realistic, synthetic directory in bulk: organisations managed by the "
        "member prefectures and their people. For benchmarks; refuses production settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=_positive, default=100_000)
        parser.add_argument("--people", type=_positive, default=300_000)
        parser.add_argument("--seed", type=int, default=1, help="same seed, same records")
        parser.add_argument("--batch", type=_positive, default=5000, help="rows per transaction")
        parser.add_argument(
            "--force", action="store_true", help="run even with production settings"
        )
        # The national network's activity (bench/scale_activity.py): events, registrations,
        # documents, meeting requests; none unless asked.
        parser.add_argument("--events", type=_positive, default=0)
        parser.add_argument("--registrations", type=_positive, default=0)
        parser.add_argument("--documents", type=_positive, default=0)
        parser.add_argument("--requests", type=_positive, default=0, help="meeting requests")
        parser.add_argument(
            "--national",
            action="store_true",
            help="issue 18's national dataset: 47 member prefectures, 100k organisations, 300k "
            "people, 5k events, 500k registrations, 100k documents, 50k meeting requests",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "generate_scale_data writes synthetic records: SETU_ENV=prod refuses it "
                "(add --force if this really is a throwaway database)."
            )
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        if options["national"]:
            options.update(importlib.import_module("bench.scale_activity").national_counts())
        result = _generator()(
            organisations=options["organisations"],
            people=options["people"],
            seed=options["seed"],
            batch=options["batch"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.organisations:,} organisations ({result.sector_links:,} sector links, "
                f"{result.name_tokens:,} name tokens) and {result.people:,} people "
                f"in {result.seconds:.1f} s: {result.rows_per_second:,.0f} rows/s."
            )
        )
        if any(options[name] for name in ("events", "registrations", "documents", "requests")):
            try:
                activity = importlib.import_module("bench.scale_activity").generate_activity
            except ImportError as error:
                raise CommandError(
                    "The activity needs bench/scale_activity.py of a Setu checkout."
                ) from error
            made = activity(
                events=options["events"],
                registrations=options["registrations"],
                documents=options["documents"],
                requests=options["requests"],
                seed=options["seed"],
                batch=options["batch"],
                progress=self.stdout.write,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{made.members} member prefectures, {made.events:,} events, "
                    f"{made.registrations:,} registrations, {made.documents:,} documents, "
                    f"{made.matchmakings:,} matchmakings with {made.participants:,} participants "
                    f"and {made.requests:,} meeting requests in {made.seconds:.1f} s."
                )
            )

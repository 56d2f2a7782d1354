"""Send the daily and weekly digests that are due this hour. Run hourly from cron.

Each user's digest goes out when it is 08:00 (SETU_DIGEST_HOUR) where they live: daily every
day, weekly on Mondays. Rerunning within the hour, or twice a day, sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from setu.library.notifications import send_due_digests


class Command(BaseCommand):
    help = "Send the library digests due this hour (idempotent; run hourly from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="pretend it is this moment (ISO 8601 with a zone), e.g. 2026-03-02T08:05+09:00",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(f"--now: {error}") from error
            if timezone.is_naive(now):
                raise CommandError("--now needs a time zone, e.g. 2026-03-02T08:05+09:00")
        emails, items = send_due_digests(now)
        self.stdout.write(f"{emails} digests sent with {items} items.")

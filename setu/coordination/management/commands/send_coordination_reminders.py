"""Queue RSVP and overdue-action reminders. Safe to run from cron at any interval: each
reminder is sent once (see setu.coordination.services.reminders)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from setu.coordination.services.reminders import reminders_send
from setu.coordination.services.visitors import visitor_details_expire, visitor_reminders_send


class Command(BaseCommand):
    help = "Remind invitees who have not answered and owners of overdue action items (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rsvp-days",
            type=int,
            default=7,
            help="remind invitees of meetings starting within this many days (default 7)",
        )

    def handle(self, *args: Any, rsvp_days: int, **options: Any) -> None:
        counts = reminders_send(rsvp_window=timedelta(days=rsvp_days))
        visitors = visitor_reminders_send()
        erased = visitor_details_expire(now=timezone.now())
        self.stdout.write(
            f"Queued {counts.rsvp} RSVP reminder(s) and {counts.overdue} overdue reminder(s); "
            f"reminded {visitors} visitor(s); erased {erased} visitor(s)' details."
        )

"""Cron: enqueue the 7-day and 1-day reminders that are due, and lapse overdue seat offers.

Safe to run as often as you like (every 15 minutes is plenty) and from several machines: each
reminder is recorded by a unique row in the same transaction as its task, so it goes out once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from setu.events.registration import offers_expire
from setu.events.reminders import reminders_enqueue


class Command(BaseCommand):
    help = "Enqueue due event reminders (7 days and 1 day before) and lapse overdue seat offers."

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = offers_expire()
        enqueued = reminders_enqueue()
        self.stdout.write(f"{enqueued} reminders enqueued, {lapsed} seat offers lapsed.")

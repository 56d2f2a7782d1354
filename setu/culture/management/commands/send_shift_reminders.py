"""Cron: enqueue a reminder to each volunteer whose festival shift starts within a day.

Safe to run as often as you like and from several machines: each sign-up is claimed by a
conditional update in the same transaction as its email task, so a reminder goes out once.
The worker (``manage.py db_worker``) sends the emails.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from setu.culture.services.festivals import shift_reminders_enqueue


class Command(BaseCommand):
    help = "Enqueue reminders to volunteers whose festival shift starts within a day."

    def handle(self, *args: Any, **options: Any) -> None:
        enqueued = shift_reminders_enqueue()
        self.stdout.write(f"{enqueued} shift reminders enqueued.")

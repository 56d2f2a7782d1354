"""Send due follow-up surveys and remind owners of overdue next steps. Safe to run from cron
at any interval: each invitation and each reminder goes once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from setu.results.reminders import overdue_reminders_send
from setu.results.surveys import surveys_send_due


class Command(BaseCommand):
    help = "Send follow-up surveys that are due and remind owners of overdue next steps."

    def handle(self, *args: Any, **options: Any) -> None:
        invited = surveys_send_due()
        reminded = overdue_reminders_send()
        self.stdout.write(
            f"Invited {invited} compan(ies) to surveys; queued {reminded} overdue reminder(s)."
        )

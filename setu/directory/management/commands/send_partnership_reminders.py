from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from setu.directory.reminders import send_partnership_reminders


class Command(BaseCommand):
    help = "Remind owning officers of agreements that end within 90 days (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = settings.SETU_BASE_URL
        count = send_partnership_reminders(today=timezone.localdate(), base_url=base_url)
        self.stdout.write(f"{count} agreement(s) reminded.")

"""Send every webhook delivery whose next try is due (for cron, beside the worker).

The worker normally sends retries on its own (deferred tasks); this command catches what a
stopped worker left behind. Prints how many deliveries were tried.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from setu.webhooks.services import retry_due


class Command(BaseCommand):
    help = "Send every webhook delivery whose next try is due."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{retry_due()} deliveries tried")

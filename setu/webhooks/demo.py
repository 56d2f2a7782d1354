"""Demo webhook: Shizuoka's website hears of its registrations and published events.

The subscription is paused (the demo's address does not exist, and ``make run`` must not try
to reach the internet); its page shows what a manager sees, and a test event can be sent once
the address points at a real receiver.
"""

from __future__ import annotations

from setu.directory.models import Organisation
from setu.webhooks.models import Subscription

DEMO_URL = "https://events.shizuoka.example/setu-webhook"


def load_webhooks_demo(by_key: dict[str, Organisation]) -> int:
    shizuoka = by_key.get("JP-22")
    if shizuoka is None or Subscription.objects.filter(url=DEMO_URL).exists():
        return 0
    Subscription.objects.create(
        organisation=shizuoka,
        url=DEMO_URL,
        description="Events page of the prefecture's website (sample)",
        kinds=["event.published", "registration.created", "registration.cancelled"],
        active=False,
        disabled_reason="Sample address: point it at your receiver, then resume.",
    )
    return 1

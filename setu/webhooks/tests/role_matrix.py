"""Role × URL rows for webhooks (collected by setu/core/tests/test_role_matrix.py).

The subscription belongs to officer_own's prefecture: only that prefecture's people manage it;
everyone else, the secretariat included, gets 404 for it. Students manage no webhooks (403 on
the list); member companies, partners and officers manage their own organisation's.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.core.tests.matrix import Row
from setu.webhooks.models import Delivery, Subscription

USE = ("login", "403", "200", "200", "200", "200", "200")
OWN_ONLY = ("login", "404", "404", "404", "200", "404", "404")


def _subscription(world: World) -> Subscription:
    return Subscription.objects.create(
        organisation=world.prefecture,
        url="https://hooks.example.org/setu",
        kinds=["event.published"],
    )


def _delivery(world: World) -> Delivery:
    return Delivery.objects.create(
        subscription=_subscription(world),
        kind="event.published",
        payload={"event": 1},
        occurred_at=timezone.now(),
    )


def _own(name: str, method: str = "get", expected: tuple[str, ...] = OWN_ONLY) -> Row:
    return Row(expected, url=lambda w: reverse(name, args=[_subscription(w).pk]), method=method)


def _after_post(target: str) -> tuple[str, ...]:
    return ("login", "404", "404", "404", f"→{target}", "404", "404")


ROWS: dict[str, Row] = {
    "webhooks:list": Row(USE),
    "webhooks:create": Row(USE),
    "webhooks:detail": _own("webhooks:detail"),
    "webhooks:edit": _own("webhooks:edit"),
    "webhooks:delete": _own("webhooks:delete"),
    # POST actions go back to the subscription's page
    "webhooks:test": _own("webhooks:test", "post", _after_post("/webhooks/")),
    "webhooks:toggle": _own("webhooks:toggle", "post", _after_post("/webhooks/")),
    "webhooks:rotate": _own("webhooks:rotate", "post", _after_post("/webhooks/")),
    "webhooks:delivery": Row(
        OWN_ONLY, url=lambda w: reverse("webhooks:delivery", args=[_delivery(w).pk])
    ),
    "webhooks:redeliver": Row(
        _after_post("/webhooks/deliveries/"),
        url=lambda w: reverse("webhooks:redeliver", args=[_delivery(w).pk]),
        method="post",
    ),
}

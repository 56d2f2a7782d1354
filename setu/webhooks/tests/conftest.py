"""Webhook tests never reach the internet: names resolve to what a test says, and ``sent``
records what would have been posted (answering 200) unless a test serves a real receiver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from setu.conftest import World
from setu.webhooks import network
from setu.webhooks.models import Subscription

PUBLIC_IP = "203.0.113.10"  # TEST-NET-3: never routed, but "public" for the checks below


@pytest.fixture(autouse=True)
def _names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Host names resolve through this table; unknown names resolve to a public address."""
    table: dict[str, list[str]] = {"localhost": ["127.0.0.1"]}

    def resolve(host: str, port: int) -> list[str]:
        try:
            import ipaddress

            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            return table.get(host, [PUBLIC_IP])

    monkeypatch.setattr(network, "resolve", resolve)
    monkeypatch.setattr(network.ipaddress.IPv4Address, "is_global", _is_global_v4)
    return table


_real_is_global = network.ipaddress.IPv4Address.is_global


@property  # type: ignore[misc]
def _is_global_v4(self: Any) -> bool:
    """TEST-NET-3 (203.0.113.0/24) counts as public here, so tests need no real address."""
    if str(self).startswith("203.0.113."):
        return True
    return bool(_real_is_global.fget(self))  # type: ignore[attr-defined]


@dataclass
class Outbox:
    posts: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200

    def kinds(self) -> list[str]:
        return [post["headers"]["Setu-Event"] for post in self.posts]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Outbox:
    outbox = Outbox()
    real_check = network.check_url

    def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Any:
        real_check(url)
        outbox.posts.append({"url": url, "body": body, "headers": headers})
        return network.Response(outbox.status, "ok", 3)

    monkeypatch.setattr(network, "post", post)
    return outbox


@pytest.fixture
def subscribe(world: World) -> Callable[..., Subscription]:
    def make(
        organisation: Any = None, kinds: list[str] | None = None, **fields: Any
    ) -> Subscription:
        return Subscription.objects.create(
            organisation=organisation or world.prefecture,
            url=fields.pop("url", "https://hooks.example.org/setu"),
            kinds=kinds
            or [
                "registration.created",
                "registration.cancelled",
                "registration.promoted",
                "event.published",
                "meeting.scheduled",
            ],
            **fields,
        )

    return make

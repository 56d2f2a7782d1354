"""What the foundation shows of the activity apps, collected from them.

core, accounts and directory never import an activity app (events, matchmaking, coordination,
library); an activity app that wants a place on the dashboard, or demo data in
``manage.py load_demo``, registers it here from its ``AppConfig.ready``::

    register_dashboard_part("announcements", announcements_part)
    register_demo_loader("events", load_events_demo, order=20)

A dashboard part ``(user) -> dict`` adds keys to the dashboard's template context (one or two
queries each). A demo loader ``(by_key) -> int`` receives the demo organisations by key and
returns how many records it created; loaders run by ascending ``order`` (an app whose demo
needs another's records takes a higher number) and must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation

DashboardPart = Callable[["User | AnonymousUser"], dict[str, Any]]
DemoLoader = Callable[[dict[str, "Organisation"]], int]

_DASHBOARD_PARTS: dict[str, DashboardPart] = {}
_DEMO_LOADERS: dict[str, tuple[int, DemoLoader]] = {}


def register_dashboard_part(key: str, part: DashboardPart) -> None:
    """Add ``part(user)``'s keys to the dashboard of every signed-in user."""
    _DASHBOARD_PARTS[key] = part


def dashboard_parts(user: User | AnonymousUser) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _DASHBOARD_PARTS.values():
        context.update(part(user))
    return context


def register_demo_loader(key: str, loader: DemoLoader, *, order: int) -> None:
    """Run ``loader`` in ``manage.py load_demo``, after the directory and the demo users."""
    _DEMO_LOADERS[key] = (order, loader)


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    """The registered loaders in the order they must run."""
    ranked = sorted(_DEMO_LOADERS.items(), key=lambda item: (item[1][0], item[0]))
    return [(key, loader) for key, (_order, loader) in ranked]

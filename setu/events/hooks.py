"""What apps above events add to it, registered from their ``AppConfig.ready``.

Events sit below coordination and matchmaking, so they never import them. An app that must
hear of an event's change, or show something on an event's page, registers here::

    register_event_saved("clashes", event_clashes_recompute)
    register_event_page_part("notices", event_notices)

``event_saved(event=)`` is called inside the transaction that created or changed the event.
A page part ``(user, event, can_run, can_change) -> dict`` adds keys to the event page's
template context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.events.models import Event

EventSaved = Callable[["Event"], object]
EventPagePart = Callable[["User | AnonymousUser", "Event", bool, bool], dict[str, Any]]

_SAVED: dict[str, EventSaved] = {}
_PAGE_PARTS: dict[str, EventPagePart] = {}


def register_event_saved(key: str, listener: EventSaved) -> None:
    _SAVED[key] = listener


def event_saved(*, event: Event) -> None:
    """Tell every registered app that ``event`` was created or changed (in its transaction)."""
    for listener in _SAVED.values():
        listener(event)


def register_event_page_part(key: str, part: EventPagePart) -> None:
    _PAGE_PARTS[key] = part


def event_page_parts(
    user: User | AnonymousUser, event: Event, *, can_run: bool, can_change: bool
) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _PAGE_PARTS.values():
        context.update(part(user, event, can_run, can_change))
    return context

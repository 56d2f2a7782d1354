"""What happened in Setu, told to whoever listens once the write has committed.

An app's service publishes a domain event after a write that other systems care about::

    domain_events.publish(
        "registration.created",
        organisation_ids={event.owner_id, *co_host_ids},
        payload={"event": event.pk, "registration": registration.pk, "status": "confirmed"},
    )

Listeners (webhook deliveries, for one) register from their ``AppConfig.ready`` with
``register_listener``; the foundation does not know them, so any app may publish without
importing the apps that listen. Nothing is told when the transaction rolls back: listeners run
in ``transaction.on_commit``. ``organisation_ids`` are the organisations the event concerns (the
owner, its co-hosts, the two sides of a meeting): a listener tells only them. The payload is
plain JSON (ids, codes, ISO dates), never a model instance.

The kinds are listed in ``KINDS``; publishing an unknown kind is a programming error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

KINDS = frozenset(
    {
        "registration.created",
        "registration.cancelled",
        "registration.promoted",
        "event.published",
        "meeting.scheduled",
        "lead.stage_changed",
    }
)


@dataclass(frozen=True)
class DomainEvent:
    kind: str
    organisation_ids: frozenset[int]
    payload: dict[str, Any]
    occurred_at: datetime = field(default_factory=timezone.now)


Listener = Callable[[DomainEvent], None]
_LISTENERS: dict[str, Listener] = {}


def register_listener(key: str, listener: Listener) -> None:
    """Call ``listener(event)`` after the commit of every published event."""
    _LISTENERS[key] = listener


def publish(kind: str, *, organisation_ids: Iterable[int | None], payload: dict[str, Any]) -> None:
    """Tell the listeners of ``kind`` once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown domain event kind {kind!r}")
    event = DomainEvent(
        kind=kind,
        organisation_ids=frozenset(pk for pk in organisation_ids if pk is not None),
        payload=payload,
    )
    transaction.on_commit(lambda: _tell(event))


def _tell(event: DomainEvent) -> None:
    for listener in list(_LISTENERS.values()):
        listener(event)

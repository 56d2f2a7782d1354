"""What happened in Setu, told to whoever listens once the write has committed.

An app's service publishes a domain event after a write that other systems care about::

    domain_events.publish(
        "registration.created",
        organisation_ids={event.owner_id, *co_host_ids},
        payload={"event": event.pk, "registration": registration.pk, "status": "confirmed"},
    )

A write that produces many at once (a published schedule's meetings) calls ``publish_many``,
so a listener receives them as one batch. Listeners (webhook deliveries, for one) register
from their ``AppConfig.ready`` with ``register_listener``; the foundation does not know them,
so any app may publish without importing the apps that listen. Nothing is told when the
transaction rolls back: listeners run in ``transaction.on_commit``. ``organisation_ids`` are
the organisations the event concerns (the owner, its co-hosts, the two sides of a meeting): a
listener tells only them. The payload is plain JSON (ids, codes, ISO dates), never a model
instance.

The kinds are listed in ``KINDS``; publishing an unknown kind is a programming error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


Listener = Callable[[Sequence[DomainEvent]], None]
_LISTENERS: dict[str, Listener] = {}


def register_listener(key: str, listener: Listener) -> None:
    """Call ``listener(events)`` after each commit that published events (one or more)."""
    _LISTENERS[key] = listener


def publish(kind: str, *, organisation_ids: Iterable[int | None], payload: dict[str, Any]) -> None:
    """Tell the listeners of ``kind`` once the current transaction commits."""
    publish_many(kind, [(organisation_ids, payload)])


def publish_many(kind: str, items: Iterable[tuple[Iterable[int | None], dict[str, Any]]]) -> None:
    """Publish one event of ``kind`` per ``(organisation_ids, payload)``, told as one batch."""
    if kind not in KINDS:
        raise ValueError(f"unknown domain event kind {kind!r}")
    now = timezone.now()
    events = [
        DomainEvent(
            kind=kind,
            organisation_ids=frozenset(pk for pk in organisation_ids if pk is not None),
            payload=payload,
            occurred_at=now,
        )
        for organisation_ids, payload in items
    ]
    if events:
        transaction.on_commit(lambda: _tell(events))


def _tell(events: list[DomainEvent]) -> None:
    for listener in list(_LISTENERS.values()):
        listener(events)

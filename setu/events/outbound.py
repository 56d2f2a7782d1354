"""What the events app tells other systems after its writes (``setu.core.domain_events``).

Payloads carry ids, statuses and times only, never names or addresses: a receiver that
wants the person behind a registration asks the API, which applies the ownership rule. The
organisations concerned are the event's hosts and partners and, for a registration, the
registrant's own organisation.
"""

from __future__ import annotations

from typing import Any

from setu.core import domain_events
from setu.events.models import Event, EventOrganisation, Registration


def _hosts_and_partners(event: Event) -> set[int]:
    linked = EventOrganisation.objects.filter(event_id=event.pk).values_list(
        "organisation_id", flat=True
    )
    return {event.owner_id, *linked}


def registration_told(kind: str, registration: Registration, **extra: Any) -> None:
    """Publish ``registration.<kind>`` (created, cancelled, promoted) for ``registration``."""
    event = registration.event
    domain_events.publish(
        f"registration.{kind}",
        organisation_ids={*_hosts_and_partners(event), registration.organisation_id},
        payload={
            "event": event.pk,
            "registration": registration.pk,
            "status": registration.status,
            "people": registration.attendees.filter(active=True).count(),
            **extra,
        },
    )


def event_published(event: Event) -> None:
    """Publish ``event.published``: an event left its draft."""
    domain_events.publish(
        "event.published",
        organisation_ids=_hosts_and_partners(event),
        payload={
            "event": event.pk,
            "visibility": event.visibility,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "title": {"en": event.title_en, "ja": event.title_ja, "hi": event.title_hi},
        },
    )

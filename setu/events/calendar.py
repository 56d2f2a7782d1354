"""iCalendar (RFC 5545) for events: one event, a person's feed, the public feed.

Times are written in the venue's zone with a VTIMEZONE for it, so calendars show the right
local time everywhere, and a moved event replaces the old one (same UID, later SEQUENCE).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime

import icalendar
from django.utils import timezone

from setu.events.models import Event, RegistrationStatus

PRODID = "-//Setu//Events//EN"
UID_DOMAIN = "events.setu"


def _location(event: Event) -> str:
    parts = [event.venue, event.city.display_name if event.city else ""]
    text = ", ".join(part for part in parts if part)
    return text or event.online_url


def vevent(
    event: Event, *, base_url: str, status: str = "CONFIRMED", now: datetime | None = None
) -> icalendar.Event:
    """One VEVENT for ``event``, in the venue's time zone."""
    now = now or timezone.now()
    tz = event.venue_tz
    link = f"{base_url}{event.get_absolute_url()}"
    component = icalendar.Event()
    component.add("uid", f"event-{event.pk}@{UID_DOMAIN}")
    component.add("dtstamp", now)
    component.add("dtstart", event.starts_at.astimezone(tz))
    component.add("dtend", event.ends_at.astimezone(tz))
    component.add("summary", event.display_title)
    description = "\n\n".join(part for part in (event.summary, link) if part)
    component.add("description", description)
    location = _location(event)
    if location:
        component.add("location", location)
    component.add("url", link)
    component.add("status", status)
    component.add("categories", [str(event.get_kind_display())])
    component.add("last-modified", event.updated_at)
    # Seconds since creation grow whenever the event changes: a valid, increasing SEQUENCE.
    component.add("sequence", max(0, int((event.updated_at - event.created_at).total_seconds())))
    return component


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE for ``tzid`` over whole years; cached, as computing it takes ~0.1 s."""
    return icalendar.Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def calendar_bytes(
    entries: Iterable[tuple[Event, str]], *, name: str, base_url: str, method: str = "PUBLISH"
) -> bytes:
    """A VCALENDAR of ``(event, status)`` pairs with the VTIMEZONEs they need."""
    now = timezone.now()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    components = []
    years: dict[str, list[int]] = {}
    for event, status in entries:
        components.append(vevent(event, base_url=base_url, status=status, now=now))
        years.setdefault(event.venue_tz.key, []).extend(  # type: ignore[attr-defined]
            [event.starts_at.year, event.ends_at.year]
        )
    # Each zone's rules for the years its events need, a year either side.
    for tzid, spans in sorted(years.items()):
        cal.add_component(_vtimezone(tzid, min(spans) - 1, max(spans) + 1))
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


def registration_status(status: str) -> str:
    """The VEVENT STATUS for a registration: confirmed seats are CONFIRMED, the rest TENTATIVE."""
    return "CONFIRMED" if status == RegistrationStatus.CONFIRMED else "TENTATIVE"

"""A participant's meetings as iCalendar (RFC 5545), and the signed link of their feed.

One VEVENT per meeting, in the venue's zone with its VTIMEZONE. The UID is the request's, so a
meeting that a later publication moves replaces the old entry in calendars; SEQUENCE is the
published run's id, which grows with each publication.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

import icalendar
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.matchmaking.models import Participant, ScheduleRun
from setu.matchmaking.selectors.agenda import AgendaEntry

PRODID = "-//Setu//Matchmaking//EN"
UID_DOMAIN = "matchmaking.setu"
FEED_SALT = "setu.matchmaking.agenda-feed"


def feed_token(participant: Participant) -> str:
    """The secret part of a participant's feed link: calendar apps cannot sign in."""
    return signing.Signer(salt=FEED_SALT).sign_object({"p": participant.pk})


def read_feed_token(value: str) -> int | None:
    try:
        data = signing.Signer(salt=FEED_SALT).unsign_object(value)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    return int(data["p"])


@functools.lru_cache(maxsize=16)
def _vtimezone(tzid: str, year: int) -> icalendar.Timezone:
    """The zone's rules around ``year``; cached, as computing them takes ~0.1 s."""
    return icalendar.Timezone.from_tzid(
        tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
    )


def _location(entry: AgendaEntry, participant: Participant) -> str:
    if entry.link:
        return entry.link
    event = participant.matchmaking.event
    parts = [entry.table, event.venue, event.city.display_name if event.city else ""]
    return ", ".join(part for part in parts if part)


def agenda_calendar(
    *,
    participant: Participant,
    entries: Sequence[AgendaEntry],
    run: ScheduleRun | None,
    base_url: str,
) -> bytes:
    """The participant's published meetings as a VCALENDAR (empty before publication)."""
    event = participant.matchmaking.event
    tz = event.venue_tz
    now = timezone.now()
    agenda_link = base_url + reverse(
        "matchmaking:agenda_participant", args=[event.pk, participant.pk]
    )
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Meetings at %(event)s") % {"event": event.display_title})
    if entries:
        cal.add_component(_vtimezone(event.venue_zone, entries[0].meeting.slot.starts_at.year))
    for entry in entries:
        meeting = entry.meeting
        other = entry.other
        component = icalendar.Event()
        component.add("uid", f"meeting-{meeting.request_id}@{UID_DOMAIN}")
        component.add("dtstamp", now)
        component.add("dtstart", meeting.slot.starts_at.astimezone(tz))
        component.add("dtend", meeting.slot.ends_at.astimezone(tz))
        component.add("summary", _("Meeting: %(name)s") % {"name": other.organisation})
        lines = [str(other.organisation)]
        if other.contact is not None:
            lines.append(_("Contact: %(name)s") % {"name": other.contact.get_full_name()})
        if entry.link:
            lines.append(_("Online: %(link)s") % {"link": entry.link})
        elif entry.table:
            lines.append(_("Table: %(table)s") % {"table": entry.table})
        if entry.interpreter:
            lines.append(_("An interpreter is needed."))
        lines.append(agenda_link)
        component.add("description", "\n".join(lines))
        location = _location(entry, participant)
        if location:
            component.add("location", location)
        component.add("url", agenda_link)
        component.add("status", "CONFIRMED")
        component.add("sequence", run.pk if run else 0)
        cal.add_component(component)
    return cal.to_ical()

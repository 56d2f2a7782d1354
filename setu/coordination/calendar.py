"""The shared calendar: entries from every plan source a user may read, and the ICS feed.

Sources are registered functions ``(user, start, end) -> entries``. Meetings and missions are
registered here; an events app registers its own source from its ``AppConfig.ready`` with
``register_calendar_source("event", ...)`` and this module never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import icalendar
from django.db.models import Prefetch
from django.utils import timezone

from setu.coordination.plans import day_span

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


@dataclass(frozen=True)
class CalendarEntry:
    """One thing in the calendar. All-day entries (missions) carry their first and last day."""

    uid: str
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    url: str
    place: str = ""
    organiser: str = ""
    all_day: bool = False
    starts_on: date | None = None
    ends_on: date | None = None

    def days(self, tz: tzinfo) -> list[date]:
        """The days the entry covers, in ``tz`` for timed entries."""
        if self.all_day and self.starts_on and self.ends_on:
            first, last = self.starts_on, self.ends_on
        else:
            first = self.starts_at.astimezone(tz).date()
            last = (self.ends_at - timedelta(microseconds=1)).astimezone(tz).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


CalendarSource = Callable[["User | AnonymousUser", datetime, datetime], Iterable[CalendarEntry]]
_SOURCES: dict[str, CalendarSource] = {}


def register_calendar_source(kind: str, source: CalendarSource) -> None:
    """Add a source of calendar entries; ``source`` returns only what the user may read."""
    _SOURCES[kind] = source


def calendar_entries(
    user: User | AnonymousUser, start: datetime, end: datetime
) -> list[CalendarEntry]:
    """Every entry from every source that ``user`` may read and that touches [start, end)."""
    entries: list[CalendarEntry] = []
    for source in _SOURCES.values():
        entries.extend(source(user, start, end))
    entries.sort(key=lambda entry: (entry.starts_at, entry.uid))
    return entries


def _meetings(user: User | AnonymousUser, start: datetime, end: datetime) -> list[CalendarEntry]:
    from setu.coordination.models import Meeting, MeetingStatus

    meetings = (
        Meeting.objects.visible_to(user)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("owner", "city")
    )
    return [
        CalendarEntry(
            uid=f"meeting-{meeting.pk}@setu",
            kind="meeting",
            title=meeting.display_title,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            time_zone=meeting.time_zone,
            url=meeting.get_absolute_url(),
            place=", ".join(
                part
                for part in (meeting.place, str(meeting.city or ""), meeting.online_url)
                if part
            ),
            organiser=str(meeting.owner),
        )
        for meeting in meetings
    ]


def _missions(user: User | AnonymousUser, start: datetime, end: datetime) -> list[CalendarEntry]:
    from setu.coordination.models import Mission, MissionDestination, MissionStatus

    missions = (
        Mission.objects.visible_to(user)
        .filter(starts_on__lte=end.date(), ends_on__gte=(start - timedelta(days=1)).date())
        .exclude(status=MissionStatus.CANCELLED)
        .select_related("owner")
        .prefetch_related(
            Prefetch("destinations", queryset=MissionDestination.objects.select_related("city"))
        )
    )
    entries = []
    for mission in missions:
        destinations = list(mission.destinations.all())
        zone_name = destinations[0].city.timezone if destinations else "Asia/Kolkata"
        starts_at, ends_at = day_span(mission.starts_on, mission.ends_on, zone_name)
        if not (starts_at < end and ends_at > start):
            continue
        entries.append(
            CalendarEntry(
                uid=f"mission-{mission.pk}@setu",
                kind="mission",
                title=mission.display_title,
                starts_at=starts_at,
                ends_at=ends_at,
                time_zone=zone_name,
                url=mission.get_absolute_url(),
                place=", ".join(dict.fromkeys(str(d.city) for d in destinations)),
                organiser=str(mission.owner),
                all_day=True,
                starts_on=mission.starts_on,
                ends_on=mission.ends_on,
            )
        )
    return entries


register_calendar_source("meeting", _meetings)
register_calendar_source("mission", _missions)


def calendar_ics(entries: Iterable[CalendarEntry], *, name: str, base_url: str) -> bytes:
    """An iCalendar (RFC 5545) document of ``entries``; links are made absolute with
    ``base_url``. Timed entries are in UTC, missions are all-day."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Setu//Coordination calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        if entry.all_day and entry.starts_on and entry.ends_on:
            event.add("dtstart", entry.starts_on)
            event.add("dtend", entry.ends_on + timedelta(days=1))
        else:
            event.add("dtstart", entry.starts_at.astimezone(UTC))
            event.add("dtend", entry.ends_at.astimezone(UTC))
        if entry.place:
            event.add("location", entry.place)
        if entry.organiser:
            event.add("description", entry.organiser)
        event.add("url", base_url.rstrip("/") + entry.url)
        event.add("categories", [entry.kind])
        calendar.add_component(event)
    return calendar.to_ical()

"""Events as members' plans: entries in the shared calendar and activities for clash detection.

Coordination sits above events, so it reads them itself: ``CoordinationConfig.ready`` registers
events as a source of its calendar and plans (kind "event"), listens to events' saves and adds
the clash notices to an event's page (``setu.events.hooks``). So the calendar shows events
next to meetings and missions, and an event that comes close to another member's mission or
event in the same city or state, or aims at the same partner organisation, raises a clash
notice for both members.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from setu.algorithms.clashes import Activity
from setu.core.timefmt import zone
from setu.events.models import Event, EventOrganisation, HostRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.coordination.calendar import CalendarEntry
    from setu.coordination.models import ClashNotice

_DAY = timedelta(days=1)


def event_key(event_id: int) -> str:
    return f"event:{event_id}"


def event_activities(
    since: date | None = None, until: date | None = None, *, event_id: int | None = None
) -> list[Activity]:
    """One activity per event touching ``since``..``until``: its hosts' plan, placed in its
    city and state, aimed at its partner organisations. Co-hosts count as participants, so a
    joint event never clashes with a co-host's own plans. Two queries whatever the count."""
    events = Event.objects.all()
    if event_id is not None:
        events = events.filter(pk=event_id)
    # A day of slack on each side: the window is in dates, and dates differ across zones.
    if since is not None:
        events = events.filter(ends_at__gt=datetime.combine(since - _DAY, time.min, UTC))
    if until is not None:
        events = events.filter(starts_at__lt=datetime.combine(until + 2 * _DAY, time.min, UTC))
    rows = list(
        events.values_list(
            "id",
            "owner_id",
            "city_id",
            "city__region_id",
            "city__timezone",
            "time_zone",
            "starts_at",
            "ends_at",
        )
    )
    if not rows:
        return []
    co_hosts: defaultdict[int, set[str]] = defaultdict(set)
    partners: defaultdict[int, set[str]] = defaultdict(set)
    links = EventOrganisation.objects.filter(event_id__in=[row[0] for row in rows])
    for event, organisation, role in links.values_list("event_id", "organisation_id", "role"):
        (co_hosts if role == HostRole.CO_HOST else partners)[event].add(str(organisation))
    activities = []
    for pk, owner, city, region, city_zone, own_zone, starts_at, ends_at in rows:
        tz = zone(city_zone or own_zone)  # local times, so the notice shows local days
        activities.append(
            Activity(
                id=f"{event_key(pk)}:0",
                owner=str(owner),
                start=starts_at.astimezone(tz),
                end=ends_at.astimezone(tz),
                city=str(city) if city else None,
                region=region or None,
                targets=frozenset(partners.get(pk, ())),
                participants=frozenset(co_hosts.get(pk, ())),
            )
        )
    return activities


def event_clashes_recompute(*, event: Event) -> list[ClashNotice]:
    """Refresh the clash notices of one event after it changed (call inside its transaction)."""
    from setu.coordination.services.clashes import clash_recompute_for_plan

    return clash_recompute_for_plan(
        key=event_key(event.pk), mine=event_activities(event_id=event.pk)
    )


def calendar_entries(
    user: User | AnonymousUser, start: datetime, end: datetime
) -> list[CalendarEntry]:
    """The events ``user`` may read that touch [start, end), for the shared calendar."""
    from setu.coordination.calendar import CalendarEntry

    events = (
        Event.objects.visible_to(user)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("owner", "city")
    )
    return [
        CalendarEntry(
            uid=f"event-{event.pk}@setu",
            kind="event",
            title=event.display_title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            time_zone=event.venue_zone,
            url=event.get_absolute_url(),
            place=", ".join(
                part for part in (event.venue, str(event.city or ""), event.online_url) if part
            ),
            organiser=str(event.owner),
        )
        for event in events
    ]


def register() -> None:
    """Make events a source of the shared calendar and of clash detection (the notices on an
    event's page are ``notices.event_notices``, registered by ``CoordinationConfig.ready``)."""
    from setu.coordination.calendar import register_calendar_source
    from setu.coordination.plans import register_plan_source
    from setu.events.hooks import register_event_saved

    register_calendar_source("event", calendar_entries)
    register_plan_source("event", lambda since, until: event_activities(since, until))
    register_event_saved("clashes", lambda event: event_clashes_recompute(event=event))

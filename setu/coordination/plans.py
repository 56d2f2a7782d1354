"""Members' plans as ``setu.algorithms.clashes.Activity`` values, loaded from the database.

A plan is identified by a key such as ``"mission:12"``; each of its parts (a mission's
destination) becomes one activity with the id ``"<plan key>:<part>"``. Missions are the only
source today; an events app adds its own with ``register_plan_source`` without this module
importing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from setu.algorithms.clashes import Activity, Clash, find_clashes
from setu.coordination.models import (
    JointProposal,
    Mission,
    MissionDestination,
    MissionParticipant,
    PlanOutcome,
    ProposalDirection,
    ProposalStatus,
)
from setu.coordination.models.missions import ACTIVE_MISSION_STATUSES
from setu.core.timefmt import zone

DEFAULT_CLASH_MARGIN_DAYS = 3
# A mission without destinations is placed in India's zone for its days.
DEFAULT_PLAN_ZONE = "Asia/Kolkata"

PlanLoader = Callable[[date | None, date | None], list[Activity]]
_SOURCES: dict[str, PlanLoader] = {}


def clash_margin() -> timedelta:
    """How close in time two plans may come before they clash (``SETU_CLASH_MARGIN_DAYS``)."""
    return timedelta(days=getattr(settings, "SETU_CLASH_MARGIN_DAYS", DEFAULT_CLASH_MARGIN_DAYS))


def plan_key(activity_id: str) -> str:
    """``"mission:12:34"`` → ``"mission:12"``."""
    kind, pk, _part = activity_id.split(":", 2)
    return f"{kind}:{pk}"


def mission_key(mission_id: int) -> str:
    return f"mission:{mission_id}"


@cache
def _zone(name: str) -> ZoneInfo:
    return zone(name, DEFAULT_PLAN_ZONE)


def day_span(starts_on: date, ends_on: date, zone_name: str) -> tuple[datetime, datetime]:
    """Whole days ``starts_on``..``ends_on`` (inclusive) as a half-open interval in the zone."""
    tz = _zone(zone_name or DEFAULT_PLAN_ZONE)
    return (
        datetime.combine(starts_on, time.min, tz),
        datetime.combine(ends_on + timedelta(days=1), time.min, tz),
    )


def open_duplicates() -> QuerySet[JointProposal]:
    """Accepted joint-mission proposals whose duplicate plan is still active and neither merged
    nor withdrawn.

    A prefecture that joined a mission through one of them is not yet counted as that
    mission's participant for clashes: its own plan (the duplicate) still clashes with the
    joint mission, so the pair's notice stays until the duplicate is merged or withdrawn.
    """
    return JointProposal.objects.filter(
        Q(direction=ProposalDirection.JOIN_THEIRS, from_mission__status__in=ACTIVE_MISSION_STATUSES)
        | Q(
            direction=ProposalDirection.INVITE_TO_MINE,
            to_mission__status__in=ACTIVE_MISSION_STATUSES,
        ),
        status=ProposalStatus.ACCEPTED,
        plan_outcome=PlanOutcome.OPEN,
    )


def mission_activities(
    since: date | None = None, until: date | None = None, *, mission_id: int | None = None
) -> list[Activity]:
    """Activities of active missions whose days touch ``since``..``until`` (both optional).

    One activity per destination, placed in the destination city (and its region); a mission
    with targets but no destination yet gives one activity over its own days with no place.
    Four queries whatever the number of missions. Participants who joined through a proposal
    whose duplicate plan is still open are left out (``open_duplicates``).
    """
    missions = Mission.objects.filter(status__in=ACTIVE_MISSION_STATUSES)
    if mission_id is not None:
        missions = missions.filter(pk=mission_id)
    destinations = MissionDestination.objects.filter(mission__in=missions.values("pk"))
    if since is not None:
        destinations = destinations.filter(ends_on__gte=since)
    if until is not None:
        destinations = destinations.filter(starts_on__lte=until)
    rows = list(
        destinations.values_list(
            "id",
            "mission_id",
            "mission__owner_id",
            "city_id",
            "city__region_id",
            "city__timezone",
            "starts_on",
            "ends_on",
        )
    )
    placeless = missions.filter(
        ~Exists(MissionDestination.objects.filter(mission=OuterRef("pk"))),
        Exists(Mission.targets.through.objects.filter(mission=OuterRef("pk"))),
    )
    if since is not None:
        placeless = placeless.filter(ends_on__gte=since)
    if until is not None:
        placeless = placeless.filter(starts_on__lte=until)
    placeless_rows = list(placeless.values_list("id", "owner_id", "starts_on", "ends_on"))
    if not rows and not placeless_rows:
        return []
    involved = {row[1] for row in rows} | {row[0] for row in placeless_rows}
    participants: defaultdict[int, set[str]] = defaultdict(set)
    targets: defaultdict[int, set[str]] = defaultdict(set)
    scope: Any = missions.values("pk") if len(involved) > 500 else involved
    joined = MissionParticipant.objects.filter(mission__in=scope).filter(
        ~Exists(open_duplicates().filter(pk=OuterRef("via_proposal_id")))
    )
    for mission, org in joined.values_list("mission_id", "organisation_id"):
        participants[mission].add(str(org))
    for mission, org in Mission.targets.through.objects.filter(mission__in=scope).values_list(
        "mission_id", "organisation_id"
    ):
        targets[mission].add(str(org))
    activities = []
    for dest_id, mission, owner, city, region, tz, starts_on, ends_on in rows:
        start, end = day_span(starts_on, ends_on, tz)
        activities.append(
            Activity(
                id=f"mission:{mission}:{dest_id}",
                owner=str(owner),
                start=start,
                end=end,
                city=str(city),
                region=region or None,
                targets=frozenset(targets.get(mission, ())),
                participants=frozenset(participants.get(mission, ())),
            )
        )
    for mission, owner, starts_on, ends_on in placeless_rows:
        start, end = day_span(starts_on, ends_on, DEFAULT_PLAN_ZONE)
        activities.append(
            Activity(
                id=f"mission:{mission}:0",
                owner=str(owner),
                start=start,
                end=end,
                targets=frozenset(targets[mission]),
                participants=frozenset(participants.get(mission, ())),
            )
        )
    return activities


def register_plan_source(kind: str, loader: PlanLoader) -> None:
    """Add a source of plans (``kind`` "event": ids "event:<pk>:<part>"). Call from ``ready()``."""
    _SOURCES[kind] = loader


register_plan_source("mission", lambda since, until: mission_activities(since, until))


def planned_activities(since: date | None = None, until: date | None = None) -> list[Activity]:
    """Every source's activities touching the window."""
    activities: list[Activity] = []
    for loader in _SOURCES.values():
        activities.extend(loader(since, until))
    return activities


def find_plan_clashes(activities: list[Activity], margin: timedelta | None = None) -> list[Clash]:
    """Every clash among ``activities`` (``find_clashes`` with the configured margin).

    The cyclic garbage collector stays on: pausing it is process-wide (every thread of a
    worker) and saved ~0.12 s CPU of ~0.4 s for 10,000 destinations (bench/bench_coordination.py,
    same run), in a background recompute, not a page.
    """
    return find_clashes(activities, margin=clash_margin() if margin is None else margin)

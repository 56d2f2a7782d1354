"""Clash notices between members' plans (joint-mission proposals: ``proposals``).

Notices are recomputed for one mission whenever it changes in time, place, targets,
participants or status (``clash_recompute_for_mission``, with ``clashes_with``), and for
everything at once by ``clash_recompute_all`` (with ``find_clashes``). A notice that still
holds keeps its dismissals; one that no longer holds is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from setu.accounts.models import User
from setu.algorithms.clashes import Activity, Clash, clashes_with
from setu.coordination.models import (
    ClashNotice,
    Mission,
)
from setu.coordination.plans import (
    clash_margin,
    find_plan_clashes,
    mission_activities,
    mission_key,
    plan_key,
    planned_activities,
)
from setu.core import audit
from setu.core.principal import principal_for


@dataclass
class _Pair:
    """What two plans' clashing parts have in common, gathered over all their parts."""

    owner_a: int
    owner_b: int
    reasons: set[str] = field(default_factory=set)
    a_cities: set[int] = field(default_factory=set)
    b_cities: set[int] = field(default_factory=set)
    shared: set[int] = field(default_factory=set)
    a_days: list[date] = field(default_factory=list)
    b_days: list[date] = field(default_factory=list)


def _days(activity: Activity) -> tuple[date, date]:
    """First and last day of an activity, in the zone its start and end carry (local times)."""
    return activity.start.date(), (activity.end - timedelta(microseconds=1)).date()


def _aggregate(
    clashes: Iterable[Clash], by_id: dict[str, Activity]
) -> dict[tuple[str, str], _Pair]:
    pairs: dict[tuple[str, str], _Pair] = {}
    for clash in clashes:
        first, second = by_id[clash.first], by_id[clash.second]
        key_first, key_second = plan_key(first.id), plan_key(second.id)
        if key_second < key_first:
            first, second = second, first
            key_first, key_second = key_second, key_first
        pair = pairs.setdefault(
            (key_first, key_second), _Pair(owner_a=int(first.owner), owner_b=int(second.owner))
        )
        pair.reasons |= clash.reasons
        pair.shared |= {int(target) for target in clash.shared_targets}
        if first.city:
            pair.a_cities.add(int(first.city))
        if second.city:
            pair.b_cities.add(int(second.city))
        pair.a_days.extend(_days(first))
        pair.b_days.extend(_days(second))
    return pairs


def _plan_id(key: str, wanted: str) -> int | None:
    """``_plan_id("mission:12", "mission")`` → 12; None for a plan of another kind."""
    kind, pk = key.split(":", 1)
    return int(pk) if kind == wanted else None


def _store(pairs: dict[tuple[str, str], _Pair], *, scope: str | None) -> list[ClashNotice]:
    """Make the stored notices (all of them, or those involving plan ``scope``) match ``pairs``."""
    existing_qs = ClashNotice.objects.all()
    if scope is not None:
        existing_qs = existing_qs.filter(Q(plan_a=scope) | Q(plan_b=scope))
    existing = {(n.plan_a, n.plan_b): n for n in existing_qs}
    stale = [n.pk for key, n in existing.items() if key not in pairs]
    if stale:
        ClashNotice.objects.filter(pk__in=stale).delete()
    notices = []
    to_create = []
    for (plan_a, plan_b), pair in sorted(pairs.items()):
        values = {
            "mission_a_id": _plan_id(plan_a, "mission"),
            "mission_b_id": _plan_id(plan_b, "mission"),
            "event_a_id": _plan_id(plan_a, "event"),
            "event_b_id": _plan_id(plan_b, "event"),
            "owner_a_id": pair.owner_a,
            "owner_b_id": pair.owner_b,
            "reasons": sorted(pair.reasons),
            "a_city_ids": sorted(pair.a_cities),
            "b_city_ids": sorted(pair.b_cities),
            "shared_target_ids": sorted(pair.shared),
            "a_starts_on": min(pair.a_days),
            "a_ends_on": max(pair.a_days),
            "b_starts_on": min(pair.b_days),
            "b_ends_on": max(pair.b_days),
        }
        notice = existing.get((plan_a, plan_b))
        if notice is None:
            to_create.append(ClashNotice(plan_a=plan_a, plan_b=plan_b, **values))
            continue
        if any(getattr(notice, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(notice, name, value)
            notice.save()
        notices.append(notice)
    notices.extend(ClashNotice.objects.bulk_create(to_create))
    return notices


@transaction.atomic
def clash_recompute_for_mission(*, mission: Mission) -> list[ClashNotice]:
    """Check one mission against every other plan near it in time (``clashes_with``)."""
    return clash_recompute_for_plan(
        key=mission_key(mission.pk), mine=mission_activities(mission_id=mission.pk)
    )


@transaction.atomic
def clash_recompute_for_plan(*, key: str, mine: list[Activity]) -> list[ClashNotice]:
    """Check one plan (its activities ``mine``, all with ids under ``key``) against every other
    plan near it in time. Any plan source calls this when one of its plans changes."""
    margin = clash_margin()
    if not mine:
        return _store({}, scope=key)
    reach = margin + timedelta(days=1)
    since = (min(a.start for a in mine) - reach).date()
    until = (max(a.end for a in mine) + reach).date()
    others = [a for a in planned_activities(since, until) if plan_key(a.id) != key]
    clashes: list[Clash] = []
    for candidate in mine:
        clashes.extend(clashes_with(candidate, others, margin=margin))
    by_id = {a.id: a for a in [*mine, *others]}
    return _store(_aggregate(clashes, by_id), scope=key)


@transaction.atomic
def clash_recompute_all() -> int:
    """Recompute every notice from every current plan (``find_clashes``). Returns the count."""
    activities = planned_activities(timezone.localdate() - timedelta(days=1))
    clashes = find_plan_clashes(activities)
    pairs = _aggregate(clashes, {a.id: a for a in activities})
    return len(_store(pairs, scope=None))


def notice_side(notice: ClashNotice, actor: User) -> str:
    """The side the actor answers for: an officer of that side's lead prefecture."""
    side = notice.side_of(principal_for(actor).officer_org_ids)
    if side is None:
        raise PermissionDenied
    return side


@transaction.atomic
def clash_dismiss(*, notice: ClashNotice, actor: User) -> ClashNotice:
    """Hide the notice for the actor's side (the other side still sees it)."""
    side = notice_side(notice, actor)
    setattr(notice, f"dismissed_{side}_at", timezone.now())
    notice.save(update_fields=[f"dismissed_{side}_at", "updated_at"])
    plan = getattr(notice, f"mission_{side}") or getattr(notice, f"event_{side}")
    if plan is not None:
        audit.record(
            plan,
            "coordination.clash.dismissed",
            actor=actor,
            changes={"notice": [None, notice.pk]},
        )
    return notice

"""Clash detection between consortium members' planned missions and events.

Two planned activities *clash* when all of the following hold:

1. They belong to different members: the owners differ, and neither owner is
   listed among the other activity's ``participants`` (a joint plan never
   clashes with a plan of one of its own participants).
2. They are close in time: the intervals overlap once one of them is widened
   by ``margin`` on both sides.
3. They are close in place or purpose: they share a city, or a region
   (ISO 3166-2 code, e.g. an Indian state), or at least one target
   organisation.

Time convention
---------------
Intervals are half-open, ``[start, end)``. With ``gap`` the time between the
end of the earlier activity and the start of the later one (zero when they
overlap), two activities are close in time exactly when::

    gap < margin            (for margin > 0)
    they truly overlap      (for margin == 0)

i.e. the widened intervals must overlap by a positive length. Consequences:

* back-to-back activities (one ends at the instant the other starts) do not
  clash with the default margin of zero;
* with a margin of two days, activities exactly two days apart do not clash,
  activities one microsecond less than two days apart do.

All instants are compared as absolute (UTC) instants, so activities recorded
in IST, JST or UTC mix freely. Naive datetimes are rejected.

Algorithm
---------
Activities are bucketed by each grouping key they carry (their city, their
region, each of their targets). Each bucket is swept once in order of start
time, keeping the list of activities whose margin-widened end has not yet been
passed; every activity is paired with that list only. Candidate pairs from all
buckets are deduplicated and then checked once against the full rules, so the
cost is O(n log n + candidate pairs) rather than O(n^2).

This module is pure Python and imports nothing from Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

SAME_CITY: Final = "same_city"
SAME_REGION: Final = "same_region"
SAME_TARGET: Final = "same_target"

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_ZERO: Final = timedelta(0)
_NO_TARGETS: frozenset[str] = frozenset()
# Every possible ``Clash.reasons`` value, indexed by a bit mask city | region << 1 | target << 2.
_REASONS: Final = tuple(
    frozenset(
        reason
        for bit, reason in enumerate((SAME_CITY, SAME_REGION, SAME_TARGET))
        if mask >> bit & 1
    )
    for mask in range(8)
)


def _micros(moment: datetime) -> int:
    """Absolute instant as integer microseconds since the Unix epoch (exact)."""
    return (moment - _EPOCH) // _MICROSECOND


@dataclass(frozen=True, slots=True)
class Activity:
    """A planned mission or event of one consortium member.

    ``start`` and ``end`` must be timezone-aware and ``end`` must be strictly
    after ``start``; otherwise ``ValueError`` is raised naming the activity id.
    ``city`` is a city key such as ``"IN-MH/mumbai"``; ``region`` an ISO 3166-2
    code such as ``"IN-MH"``; ``targets`` the ids of the organisations the
    activity is aimed at; ``participants`` the other members who already take
    part in this (joint) plan. Empty strings are rejected: use ``None`` or an
    empty set for "not given".
    """

    id: str
    owner: str
    start: datetime
    end: datetime
    city: str | None = None
    region: str | None = None
    targets: frozenset[str] = _NO_TARGETS
    participants: frozenset[str] = _NO_TARGETS

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("activity id must be a non-empty string")
        if not self.owner:
            raise ValueError(f"activity {self.id!r}: owner must be a non-empty string")
        for name, moment in (("start", self.start), ("end", self.end)):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"activity {self.id!r}: {name} must be timezone-aware")
        if _micros(self.end) <= _micros(self.start):
            raise ValueError(
                f"activity {self.id!r}: end ({self.end.isoformat()}) must be after "
                f"start ({self.start.isoformat()})"
            )
        if self.city == "":
            raise ValueError(f"activity {self.id!r}: city must be None or non-empty")
        if self.region == "":
            raise ValueError(f"activity {self.id!r}: region must be None or non-empty")
        if "" in self.targets:
            raise ValueError(f"activity {self.id!r}: target ids must be non-empty")


@dataclass(frozen=True, slots=True)
class Clash:
    """A clash between two activities of different members.

    ``first < second`` (activity ids). ``reasons`` holds every reason that
    applies among ``"same_city"``, ``"same_region"`` and ``"same_target"``;
    ``shared_targets`` the targets both activities aim at. ``overlap`` is how
    long the two (unwidened) intervals actually overlap and ``gap`` how far
    apart they are when they do not; at most one of the two is non-zero
    (``overlap == 0`` means they only come within the margin of each other).
    """

    first: str
    second: str
    reasons: frozenset[str]
    shared_targets: frozenset[str]
    overlap: timedelta
    gap: timedelta


def _margin_micros(margin: timedelta) -> int:
    if margin < timedelta(0):
        raise ValueError(f"margin must not be negative, got {margin!r}")
    return margin // _MICROSECOND


def _check_unique_ids(activities: Sequence[Activity]) -> None:
    seen: set[str] = set()
    for activity in activities:
        if activity.id in seen:
            raise ValueError(f"duplicate activity id {activity.id!r}")
        seen.add(activity.id)


def _clash(
    a: Activity,
    a_start: int,
    a_end: int,
    b: Activity,
    b_start: int,
    b_end: int,
    margin: int,
) -> Clash | None:
    """Apply the full clash rules to one pair; times are integer microseconds.

    ``a`` and ``b`` may come in either order; the result is ordered by id.
    """
    if a.owner == b.owner or a.owner in b.participants or b.owner in a.participants:
        return None
    if not (a_start < b_end + margin and b_start < a_end + margin):
        return None
    same_city = a.city is not None and a.city == b.city
    same_region = a.region is not None and a.region == b.region
    shared = a.targets & b.targets if a.targets and b.targets else _NO_TARGETS
    if not (same_city or same_region or shared):
        return None
    # Positive: how long they truly overlap; negative: minus the gap between them.
    overlap = (a_end if a_end < b_end else b_end) - (a_start if a_start > b_start else b_start)
    first, second = (a.id, b.id) if a.id < b.id else (b.id, a.id)
    return Clash(
        first=first,
        second=second,
        reasons=_REASONS[same_city + 2 * same_region + 4 * bool(shared)],
        shared_targets=shared,
        overlap=_MICROSECOND * overlap if overlap > 0 else _ZERO,
        gap=_ZERO if overlap >= 0 else _MICROSECOND * -overlap,
    )


def find_clashes(
    activities: Iterable[Activity], *, margin: timedelta = timedelta(0)
) -> list[Clash]:
    """Every clash among ``activities``, each pair once, sorted by ``(first, second)``.

    Raises ``ValueError`` for duplicate activity ids or a negative margin.
    """
    margin_us = _margin_micros(margin)
    acts = sorted(activities, key=lambda activity: activity.id)
    _check_unique_ids(acts)
    n = len(acts)
    starts = [_micros(activity.start) for activity in acts]
    ends = [_micros(activity.end) for activity in acts]
    # How far each activity "reaches" once widened by the margin.
    reach = [end + margin_us for end in ends]

    buckets: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for index, activity in enumerate(acts):
        if activity.city is not None:
            buckets[(SAME_CITY, activity.city)].append(index)
        if activity.region is not None:
            buckets[(SAME_REGION, activity.region)].append(index)
        for target in activity.targets:
            buckets[(SAME_TARGET, target)].append(index)

    # Candidate pairs (i < j, i.e. acts[i].id < acts[j].id), encoded as i * n + j.
    candidates: set[int] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        members.sort(key=starts.__getitem__)
        active: list[int] = []
        for j in members:
            start_j = starts[j]
            # Earlier-starting activities still within reach of this start. Since
            # start_i <= start_j < end_j, the other half of the overlap test holds.
            active = [i for i in active if reach[i] > start_j]
            for i in active:
                candidates.add(i * n + j if i < j else j * n + i)
            active.append(j)

    clashes: list[Clash] = []
    for key in sorted(candidates):
        i, j = divmod(key, n)
        clash = _clash(acts[i], starts[i], ends[i], acts[j], starts[j], ends[j], margin_us)
        if clash is not None:
            clashes.append(clash)
    return clashes


def clashes_with(
    candidate: Activity, others: Iterable[Activity], *, margin: timedelta = timedelta(0)
) -> list[Clash]:
    """Clashes between one (new or edited) plan and existing plans.

    Meant for checking a plan on save. An entry of ``others`` with the same id
    as ``candidate`` is taken to be the stored version of the plan being
    edited and is skipped. The result is exactly the clashes involving
    ``candidate`` that :func:`find_clashes` would report for ``others`` with
    ``candidate`` in place of its stored version, sorted by ``(first, second)``.

    Raises ``ValueError`` for duplicate ids among ``others`` or a negative margin.
    """
    margin_us = _margin_micros(margin)
    rest = [other for other in others if other.id != candidate.id]
    _check_unique_ids(rest)
    c_start = _micros(candidate.start)
    c_end = _micros(candidate.end)
    clashes: list[Clash] = []
    for other in rest:
        clash = _clash(
            candidate, c_start, c_end, other, _micros(other.start), _micros(other.end), margin_us
        )
        if clash is not None:
            clashes.append(clash)
    clashes.sort(key=lambda clash: (clash.first, clash.second))
    return clashes

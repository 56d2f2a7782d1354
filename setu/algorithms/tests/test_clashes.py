"""Tests for setu.algorithms.clashes, checked against a brute-force oracle.

Runs without Django (setu/conftest.py loads models and needs pytest-django, hence
``--noconftest``; test_pure.py runs this very command)::

    .venv/bin/python -m pytest -p no:django --noconftest setu/algorithms/tests/test_clashes.py
"""

from __future__ import annotations

import ast
import itertools
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.algorithms import clashes as clashes_module
from setu.algorithms.clashes import Activity, Clash, clashes_with, find_clashes

IST = timezone(timedelta(hours=5, minutes=30), "IST")
JST = timezone(timedelta(hours=9), "JST")
T0 = datetime(2026, 4, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


# --------------------------------------------------------------------------- oracle


def find_clashes_naive(activities: Iterable[Activity], *, margin: timedelta) -> list[Clash]:
    """Brute-force pairwise oracle, written straight from the rules with datetimes."""
    clashes: list[Clash] = []
    for a, b in itertools.combinations(activities, 2):
        if b.id < a.id:
            a, b = b, a
        if a.owner == b.owner or a.owner in b.participants or b.owner in a.participants:
            continue
        # Widen a by the margin on both sides; half-open intervals must overlap.
        if not (a.start - margin < b.end and b.start < a.end + margin):
            continue
        reasons = set()
        if a.city is not None and b.city is not None and a.city == b.city:
            reasons.add("same_city")
        if a.region is not None and b.region is not None and a.region == b.region:
            reasons.add("same_region")
        shared = frozenset(t for t in a.targets if t in b.targets)
        if shared:
            reasons.add("same_target")
        if not reasons:
            continue
        latest_start = max(a.start, b.start)
        earliest_end = min(a.end, b.end)
        clashes.append(
            Clash(
                first=a.id,
                second=b.id,
                reasons=frozenset(reasons),
                shared_targets=shared,
                overlap=max(timedelta(0), earliest_end - latest_start),
                gap=max(timedelta(0), latest_start - earliest_end),
            )
        )
    clashes.sort(key=lambda clash: (clash.first, clash.second))
    return clashes


# --------------------------------------------------------------------------- strategies

OWNERS = ["aichi", "hiroshima", "shizuoka", "toyama"]
CITIES = ["IN-MH/mumbai", "IN-MH/pune", "IN-DL/new-delhi", "JP-27/osaka"]
REGIONS = ["IN-MH", "IN-DL", "IN-KA", "JP-27"]
TARGETS = ["org-1", "org-2", "org-3", "org-4", "org-5"]


@st.composite
def activity_fields(draw: st.DrawFn) -> dict[str, object]:
    # Whole hours in a narrow window, so touching intervals, ties and exact margin
    # boundaries come up often; the instant is then shown in one of three zones.
    start_h = draw(st.integers(min_value=0, max_value=120))
    length_h = draw(st.integers(min_value=1, max_value=48))
    zone = draw(st.sampled_from([UTC, IST, JST]))
    start = (T0 + start_h * HOUR).astimezone(zone)
    end = (T0 + (start_h + length_h) * HOUR).astimezone(draw(st.sampled_from([UTC, IST, JST])))
    return {
        "owner": draw(st.sampled_from(OWNERS)),
        "start": start,
        "end": end,
        "city": draw(st.none() | st.sampled_from(CITIES)),
        "region": draw(st.none() | st.sampled_from(REGIONS)),
        "targets": draw(st.frozensets(st.sampled_from(TARGETS), max_size=3)),
        "participants": draw(st.frozensets(st.sampled_from(OWNERS), max_size=2)),
    }


@st.composite
def activity_lists(draw: st.DrawFn, min_size: int = 0, max_size: int = 25) -> list[Activity]:
    fields = draw(st.lists(activity_fields(), min_size=min_size, max_size=max_size))
    ids = draw(
        st.lists(
            st.text(alphabet="abcxyz0", min_size=1, max_size=4),
            min_size=len(fields),
            max_size=len(fields),
            unique=True,
        )
    )
    return [Activity(id=i, **f) for i, f in zip(ids, fields, strict=True)]  # type: ignore[arg-type]


margins = st.integers(min_value=0, max_value=12).map(lambda h: h * HOUR) | st.sampled_from(
    [timedelta(0), timedelta(minutes=30), timedelta(hours=1, microseconds=1), 3 * DAY]
)


def act(
    id: str,
    owner: str,
    start_h: float,
    end_h: float,
    *,
    city: str | None = None,
    region: str | None = None,
    targets: Iterable[str] = (),
    participants: Iterable[str] = (),
) -> Activity:
    return Activity(
        id=id,
        owner=owner,
        start=T0 + timedelta(hours=start_h),
        end=T0 + timedelta(hours=end_h),
        city=city,
        region=region,
        targets=frozenset(targets),
        participants=frozenset(participants),
    )


def pairs(clashes: list[Clash]) -> list[tuple[str, str]]:
    return [(clash.first, clash.second) for clash in clashes]


# --------------------------------------------------------------------------- properties


@settings(max_examples=250, deadline=None)
@given(activity_lists(), margins)
def test_find_clashes_equals_oracle(activities: list[Activity], margin: timedelta) -> None:
    assert find_clashes(activities, margin=margin) == find_clashes_naive(activities, margin=margin)


def random_activities(rnd: random.Random, n: int) -> list[Activity]:
    """Bulk inputs drawn from a seeded generator: cheaper than drawing every field."""
    activities = []
    for index in range(n):
        start_h = rnd.randint(0, 24 * 30)
        zone = rnd.choice([UTC, IST, JST])
        activities.append(
            Activity(
                id=f"p{rnd.randrange(10**6):06d}-{index}",
                owner=rnd.choice(OWNERS),
                start=(T0 + start_h * HOUR).astimezone(zone),
                end=(T0 + (start_h + rnd.randint(1, 24 * 5)) * HOUR).astimezone(zone),
                city=rnd.choice([None, *CITIES]),
                region=rnd.choice([None, *REGIONS]),
                targets=frozenset(rnd.sample(TARGETS, rnd.randint(0, 2))),
                participants=frozenset(rnd.sample(OWNERS, rnd.choice([0, 0, 0, 1, 2]))),
            )
        )
    return activities


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(min_value=40, max_value=160), margins)
def test_find_clashes_equals_oracle_larger_inputs(
    rnd: random.Random, n: int, margin: timedelta
) -> None:
    activities = random_activities(rnd, n)
    assert find_clashes(activities, margin=margin) == find_clashes_naive(activities, margin=margin)


@settings(max_examples=120, deadline=None)
@given(activity_lists(), margins, st.randoms(use_true_random=False))
def test_result_is_sorted_unique_and_order_independent(
    activities: list[Activity], margin: timedelta, rnd: random.Random
) -> None:
    result = find_clashes(activities, margin=margin)
    keys = pairs(result)
    assert all(first < second for first, second in keys)
    assert keys == sorted(set(keys))
    shuffled = list(activities)
    rnd.shuffle(shuffled)
    assert find_clashes(shuffled, margin=margin) == result


@settings(max_examples=100, deadline=None)
@given(activity_lists(), margins, st.data())
def test_clashes_with_is_the_candidates_share_of_find_clashes(
    activities: list[Activity], margin: timedelta, data: st.DataObject
) -> None:
    if not activities:
        return
    candidate = data.draw(st.sampled_from(activities))
    expected = [
        clash
        for clash in find_clashes(activities, margin=margin)
        if candidate.id in (clash.first, clash.second)
    ]
    # The candidate's own stored version among ``others`` is skipped.
    assert clashes_with(candidate, activities, margin=margin) == expected
    others = [a for a in activities if a.id != candidate.id]
    assert clashes_with(candidate, others, margin=margin) == expected


@settings(max_examples=100, deadline=None)
@given(activity_lists(), margins, margins)
def test_wider_margin_only_adds_clashes(
    activities: list[Activity], m1: timedelta, m2: timedelta
) -> None:
    small, large = sorted([m1, m2])
    assert set(pairs(find_clashes(activities, margin=small))) <= set(
        pairs(find_clashes(activities, margin=large))
    )


@settings(max_examples=100, deadline=None)
@given(activity_lists(), margins)
def test_clash_fields_are_consistent(activities: list[Activity], margin: timedelta) -> None:
    by_id = {a.id: a for a in activities}
    for clash in find_clashes(activities, margin=margin):
        a, b = by_id[clash.first], by_id[clash.second]
        assert a.owner != b.owner
        assert clash.shared_targets == a.targets & b.targets
        assert ("same_target" in clash.reasons) == bool(clash.shared_targets)
        assert clash.reasons <= {"same_city", "same_region", "same_target"}
        assert clash.reasons
        assert clash.overlap == timedelta(0) or clash.gap == timedelta(0)
        assert clash.gap < margin or clash.overlap > timedelta(0)


# --------------------------------------------------------------------------- examples


def test_touching_intervals_do_not_clash_with_zero_margin() -> None:
    a = act("a", "aichi", 0, 10, city="IN-DL/new-delhi")
    b = act("b", "toyama", 10, 20, city="IN-DL/new-delhi")
    assert find_clashes([a, b]) == []
    # One microsecond of real overlap is a clash.
    b_early = Activity(
        id="b",
        owner="toyama",
        start=T0 + timedelta(hours=10) - timedelta(microseconds=1),
        end=T0 + timedelta(hours=20),
        city="IN-DL/new-delhi",
    )
    [clash] = find_clashes([a, b_early])
    assert clash.overlap == timedelta(microseconds=1)
    assert clash.gap == timedelta(0)


def test_touching_intervals_clash_with_any_positive_margin() -> None:
    a = act("a", "aichi", 0, 10, city="IN-DL/new-delhi")
    b = act("b", "toyama", 10, 20, city="IN-DL/new-delhi")
    [clash] = find_clashes([a, b], margin=timedelta(microseconds=1))
    assert clash.overlap == timedelta(0)
    assert clash.gap == timedelta(0)


def test_margin_boundary_is_exclusive() -> None:
    """Activities exactly ``margin`` apart do not clash; a microsecond closer they do."""
    a = act("a", "aichi", 0, 24, region="IN-MH")
    b = act("b", "toyama", 72, 96, region="IN-MH")  # 48 hours after a ends
    assert find_clashes([a, b], margin=2 * DAY) == []
    assert clashes_with(a, [b], margin=2 * DAY) == []
    [clash] = find_clashes([a, b], margin=2 * DAY + timedelta(microseconds=1))
    assert clash == Clash(
        first="a",
        second="b",
        reasons=frozenset({"same_region"}),
        shared_targets=frozenset(),
        overlap=timedelta(0),
        gap=2 * DAY,
    )
    assert clashes_with(b, [a], margin=2 * DAY + timedelta(microseconds=1)) == [clash]


def test_margin_boundary_is_symmetric() -> None:
    later = act("a", "aichi", 72, 96, region="IN-MH")
    earlier = act("b", "toyama", 0, 24, region="IN-MH")
    assert find_clashes([later, earlier], margin=2 * DAY) == []
    assert pairs(find_clashes([later, earlier], margin=3 * DAY)) == [("a", "b")]


def test_same_owner_never_clashes() -> None:
    a = act("a", "aichi", 0, 48, city="IN-KA/bengaluru", region="IN-KA", targets={"org-1"})
    b = act("b", "aichi", 0, 48, city="IN-KA/bengaluru", region="IN-KA", targets={"org-1"})
    assert find_clashes([a, b], margin=30 * DAY) == []
    assert clashes_with(a, [b]) == []


@pytest.mark.parametrize("joint_side", ["first", "second"])
def test_participant_of_the_other_plan_never_clashes(joint_side: str) -> None:
    joint = act("a", "aichi", 0, 48, city="IN-TN/chennai", participants={"toyama"})
    other = act("b", "toyama", 10, 30, city="IN-TN/chennai")
    if joint_side == "second":
        joint = act("b", "aichi", 0, 48, city="IN-TN/chennai", participants={"toyama"})
        other = act("a", "toyama", 10, 30, city="IN-TN/chennai")
    assert find_clashes([joint, other]) == []
    assert clashes_with(joint, [other]) == []
    assert clashes_with(other, [joint]) == []
    # A third member who is not a participant still clashes with both.
    third = act("c", "shizuoka", 20, 40, city="IN-TN/chennai")
    assert pairs(find_clashes([joint, other, third])) == [("a", "c"), ("b", "c")]


def test_shared_participants_do_not_prevent_a_clash() -> None:
    a = act("a", "aichi", 0, 10, city="IN-GJ/ahmedabad", participants={"toyama"})
    b = act("b", "shizuoka", 5, 15, city="IN-GJ/ahmedabad", participants={"toyama"})
    assert pairs(find_clashes([a, b])) == [("a", "b")]


def test_all_reasons_are_reported_together() -> None:
    a = act(
        "a",
        "aichi",
        0,
        48,
        city="IN-MH/mumbai",
        region="IN-MH",
        targets={"org-tata", "org-iitb", "org-x"},
    )
    b = act(
        "b",
        "toyama",
        24,
        72,
        city="IN-MH/mumbai",
        region="IN-MH",
        targets={"org-tata", "org-iitb", "org-y"},
    )
    assert find_clashes([b, a]) == [
        Clash(
            first="a",
            second="b",
            reasons=frozenset({"same_city", "same_region", "same_target"}),
            shared_targets=frozenset({"org-tata", "org-iitb"}),
            overlap=timedelta(hours=24),
            gap=timedelta(0),
        )
    ]


def test_same_city_and_region_two_reasons() -> None:
    a = act("a", "aichi", 0, 48, city="IN-MH/mumbai", region="IN-MH")
    b = act("b", "toyama", 0, 48, city="IN-MH/mumbai", region="IN-MH")
    [clash] = find_clashes([a, b])
    assert clash.reasons == {"same_city", "same_region"}
    assert clash.overlap == timedelta(hours=48)


def test_region_reported_only_when_both_have_it() -> None:
    a = act("a", "aichi", 0, 48, city="IN-MH/mumbai", region="IN-MH")
    b = act("b", "toyama", 0, 48, city="IN-MH/mumbai")
    [clash] = find_clashes([a, b])
    assert clash.reasons == {"same_city"}


def test_same_region_different_city() -> None:
    a = act("a", "aichi", 0, 48, city="IN-MH/mumbai", region="IN-MH")
    b = act("b", "toyama", 12, 24, city="IN-MH/pune", region="IN-MH")
    [clash] = find_clashes([a, b])
    assert clash.reasons == {"same_region"}
    assert clash.overlap == timedelta(hours=12)


def test_same_target_anywhere() -> None:
    a = act("a", "aichi", 0, 48, city="IN-DL/new-delhi", targets={"org-nasscom"})
    b = act("b", "toyama", 12, 24, city="JP-13/tokyo", targets={"org-nasscom", "org-z"})
    [clash] = find_clashes([a, b])
    assert clash.reasons == {"same_target"}
    assert clash.shared_targets == {"org-nasscom"}


def test_nothing_in_common_does_not_clash() -> None:
    a = act("a", "aichi", 0, 48, city="IN-DL/new-delhi", region="IN-DL", targets={"org-1"})
    b = act("b", "toyama", 0, 48, city="IN-KA/bengaluru", region="IN-KA", targets={"org-2"})
    c = act("c", "shizuoka", 0, 48)
    assert find_clashes([a, b, c], margin=10 * DAY) == []


def test_time_zones_compare_as_instants() -> None:
    # 10:00 IST is 04:30 UTC: b (in IST) starts exactly when a (in UTC) ends.
    a = Activity(
        id="a",
        owner="aichi",
        start=datetime(2026, 5, 1, 0, 0, tzinfo=UTC),
        end=datetime(2026, 5, 1, 4, 30, tzinfo=UTC),
        city="IN-DL/new-delhi",
    )
    b = Activity(
        id="b",
        owner="toyama",
        start=datetime(2026, 5, 1, 10, 0, tzinfo=IST),
        end=datetime(2026, 5, 1, 15, 30, tzinfo=JST),
        city="IN-DL/new-delhi",
    )
    assert find_clashes([a, b]) == []
    [clash] = find_clashes([a, b], margin=timedelta(seconds=1))
    assert clash.gap == timedelta(0)


def test_output_is_sorted_by_ids() -> None:
    acts = [
        act(name, owner, 0, 10, city="IN-TG/hyderabad")
        for name, owner in [("m", "aichi"), ("c", "toyama"), ("x", "shizuoka"), ("a", "hiroshima")]
    ]
    assert pairs(find_clashes(acts)) == [
        ("a", "c"),
        ("a", "m"),
        ("a", "x"),
        ("c", "m"),
        ("c", "x"),
        ("m", "x"),
    ]


def test_clashes_with_skips_the_stored_version_of_the_candidate() -> None:
    stored = act("a", "aichi", 0, 10, city="IN-DL/new-delhi")
    other = act("b", "toyama", 100, 110, city="IN-DL/new-delhi")
    edited = act("a", "aichi", 105, 120, city="IN-DL/new-delhi")
    [clash] = clashes_with(edited, [stored, other])
    assert (clash.first, clash.second, clash.overlap) == ("a", "b", timedelta(hours=5))


def test_empty_inputs() -> None:
    assert find_clashes([]) == []
    assert clashes_with(act("a", "aichi", 0, 1), []) == []


def test_accepts_any_iterable() -> None:
    a = act("a", "aichi", 0, 10, targets={"org-1"})
    b = act("b", "toyama", 5, 10, targets={"org-1"})
    assert len(find_clashes(iter([a, b]))) == 1
    assert len(clashes_with(a, (x for x in [b]))) == 1


# --------------------------------------------------------------------------- validation


def test_end_before_start_raises_naming_the_id() -> None:
    with pytest.raises(ValueError, match=r"'mission-42'.*end .* must be after start"):
        act("mission-42", "aichi", 10, 5)


def test_zero_length_raises_naming_the_id() -> None:
    with pytest.raises(ValueError, match="'event-7'"):
        act("event-7", "aichi", 10, 10)


def test_end_before_start_across_time_zones_raises() -> None:
    # 12:00 IST (06:30 UTC) is before 07:00 UTC even though the wall clock says later.
    with pytest.raises(ValueError, match="'tz-trap'"):
        Activity(
            id="tz-trap",
            owner="aichi",
            start=datetime(2026, 5, 1, 7, 0, tzinfo=UTC),
            end=datetime(2026, 5, 1, 12, 0, tzinfo=IST),
        )


def test_naive_datetimes_rejected() -> None:
    with pytest.raises(ValueError, match=r"'naive'.*timezone-aware"):
        Activity(
            id="naive",
            owner="aichi",
            start=datetime(2026, 5, 1, 7, 0),
            end=datetime(2026, 5, 2, 7, 0, tzinfo=UTC),
        )


@pytest.mark.parametrize(
    "overrides",
    [{"id": ""}, {"owner": ""}, {"city": ""}, {"region": ""}, {"targets": frozenset({""})}],
)
def test_empty_strings_rejected(overrides: dict[str, object]) -> None:
    fields: dict[str, object] = {"id": "x", "owner": "aichi", "start": T0, "end": T0 + HOUR}
    fields.update(overrides)
    with pytest.raises(ValueError):
        Activity(**fields)  # type: ignore[arg-type]


def test_duplicate_ids_rejected() -> None:
    a = act("dup", "aichi", 0, 1)
    b = act("dup", "toyama", 0, 1)
    with pytest.raises(ValueError, match="'dup'"):
        find_clashes([a, b])
    with pytest.raises(ValueError, match="'dup'"):
        clashes_with(act("c", "shizuoka", 0, 1), [a, b])


def test_negative_margin_rejected() -> None:
    a = act("a", "aichi", 0, 1)
    with pytest.raises(ValueError, match="margin"):
        find_clashes([a], margin=-HOUR)
    with pytest.raises(ValueError, match="margin"):
        clashes_with(a, [], margin=-HOUR)


def test_activity_and_clash_are_frozen_and_slotted() -> None:
    a = act("a", "aichi", 0, 1)
    with pytest.raises(AttributeError):
        a.owner = "toyama"  # type: ignore[misc]
    assert not hasattr(a, "__dict__")
    assert hash(a) == hash(act("a", "aichi", 0, 1))


def test_module_does_not_import_django() -> None:
    tree = ast.parse(Path(clashes_module.__file__).read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    assert imported
    assert not [name for name in imported if name.split(".")[0] == "django"]

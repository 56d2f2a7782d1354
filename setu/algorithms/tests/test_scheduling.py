"""Tests of the B2B meeting scheduler: validity, the bound, optimality on small cases, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from setu.algorithms.scheduling import (
    UNPLACED_REASONS,
    Meeting,
    Participant,
    Problem,
    ProblemError,
    Request,
    Schedule,
    meeting_upper_bound,
    problem_from_json,
    schedule_greedy,
    schedule_meetings,
    schedule_to_json,
    validate_schedule,
)

ROOT = Path(__file__).resolve().parents[3]
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- instance generation ------------------------------------------------------------------------


@st.composite
def problems(
    draw: st.DrawFn,
    max_people: int = 8,
    max_requests: int = 12,
    max_slots: int = 4,
    fixed_tables: bool = True,
    availability: bool = True,
    cross_only: bool = False,
    plenty_of_tables: bool = False,
) -> Problem:
    slots = draw(st.integers(1, max_slots))
    people = draw(st.integers(2, max_people))
    if plenty_of_tables:
        tables = (people,) * slots
    elif draw(st.booleans()):
        tables = (draw(st.integers(0, 4)),) * slots
    else:
        tables = tuple(draw(st.lists(st.integers(0, 4), min_size=slots, max_size=slots)))
    most = max(tables)
    participants = []
    for i in range(people):
        side = "JP" if i % 2 == 0 else "IN"
        away = (
            frozenset(draw(st.sets(st.integers(0, slots - 1), max_size=slots)))
            if availability
            else frozenset()
        )
        table = None
        if fixed_tables and most > 0 and draw(st.integers(0, 3)) == 0:
            table = draw(st.integers(0, most - 1))
        participants.append(Participant(id=f"p{i}", side=side, unavailable=away, table=table))
    count = draw(st.integers(0, max_requests))
    requests = []
    for k in range(count):
        a = draw(st.integers(0, people - 1))
        if cross_only:
            choices = [j for j in range(people) if j % 2 != a % 2]
        else:
            choices = [j for j in range(people) if j != a]
        b = draw(st.sampled_from(choices))
        priority = draw(st.integers(0, 20))
        requests.append(Request(id=f"r{k}", a=f"p{a}", b=f"p{b}", priority=priority))
    return Problem(
        slots=slots,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(requests),
    )


def exact_optimum(
    problem: Problem, objective: str = "meetings", fixed: tuple[Meeting, ...] = ()
) -> int:
    """Best number of meetings (or total priority) by an integer program over x[r, s, t].

    ``fixed`` meetings are forced: their request may only take their (slot, table).
    """
    people = {p.id: p for p in problem.participants}
    forced = {m.request: (m.slot, m.table) for m in fixed}
    columns: list[tuple[int, int, int]] = []
    lower: list[float] = []
    for r, request in enumerate(problem.requests):
        if request.id in forced:
            columns.append((r, *forced[request.id]))
            lower.append(1)
            continue
        a, b = people[request.a], people[request.b]
        fixed_tables = {t for t in (a.table, b.table) if t is not None}
        for s in range(problem.slots):
            if s in a.unavailable or s in b.unavailable:
                continue
            for t in range(problem.tables[s]):
                if not fixed_tables or t in fixed_tables:
                    columns.append((r, s, t))
                    lower.append(0)
    if not columns:
        return 0
    rows: dict[tuple[Any, ...], int] = {}
    entries: list[tuple[int, int]] = []
    for c, (r, s, t) in enumerate(columns):
        request = problem.requests[r]
        for key in (("r", r), ("p", request.a, s), ("p", request.b, s), ("t", s, t)):
            entries.append((rows.setdefault(key, len(rows)), c))
    matrix = coo_array(
        (np.ones(len(entries)), tuple(np.array(entries).T)), shape=(len(rows), len(columns))
    )
    if objective == "meetings":
        gain = np.ones(len(columns))
    else:
        gain = np.array([problem.requests[r].priority for r, _, _ in columns], dtype=float)
    result = milp(
        -gain,
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, 1),
        integrality=np.ones(len(columns)),
        bounds=Bounds(np.array(lower), 1),
    )
    assert result.success
    return round(-result.fun)


def check_schedule(problem: Problem, schedule: Schedule) -> None:
    assert validate_schedule(problem, schedule.meetings) == []
    priorities = {r.id: r.priority for r in problem.requests}
    assert schedule.placed == len(schedule.meetings)
    assert schedule.priority_placed == sum(priorities[m.request] for m in schedule.meetings)
    assert schedule.placed <= schedule.upper_bound
    assert schedule.priority_placed <= schedule.priority_upper_bound
    out = {u.request for u in schedule.unplaced}
    assert out.isdisjoint(m.request for m in schedule.meetings)
    assert len(out) + schedule.placed == len(problem.requests)
    assert all(u.reason in UNPLACED_REASONS for u in schedule.unplaced)


# -- properties ---------------------------------------------------------------------------------


@FAST
@given(problems(max_people=30, max_requests=80, max_slots=8))
def test_schedule_is_valid_and_within_the_bound(problem: Problem) -> None:
    check_schedule(problem, schedule_meetings(problem))


@FAST
@given(problems(max_people=30, max_requests=80, max_slots=8))
def test_greedy_baseline_is_valid(problem: Problem) -> None:
    check_schedule(problem, schedule_greedy(problem))


@FAST
@given(problems(max_people=20, max_requests=50, max_slots=6), st.randoms(use_true_random=False))
def test_fixed_meetings_stay_exactly_where_they_are(problem: Problem, random: Any) -> None:
    published = list(schedule_greedy(problem).meetings)
    fixed = [m for m in published if random.random() < 0.5]
    schedule = schedule_meetings(problem, fixed=fixed)
    check_schedule(problem, schedule)
    assert set(fixed) <= set(schedule.meetings)


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_small_instances_with_published_meetings_reach_the_optimum(
    problem: Problem, random: Any
) -> None:
    fixed = tuple(m for m in schedule_greedy(problem).meetings if random.random() < 0.5)
    schedule = schedule_meetings(problem, fixed=fixed)
    check_schedule(problem, schedule)
    assert set(fixed) <= set(schedule.meetings)
    assert schedule.placed == exact_optimum(problem, fixed=fixed)
    assert schedule.priority_upper_bound >= exact_optimum(problem, "priority", fixed=fixed)


@FAST
@given(problems())
def test_small_instances_reach_the_exact_optimum(problem: Problem) -> None:
    schedule = schedule_meetings(problem)
    best = exact_optimum(problem)
    assert schedule.placed == best
    bound = meeting_upper_bound(problem)
    assert bound.meetings >= best
    assert bound.priority >= exact_optimum(problem, objective="priority")


@FAST
@given(
    problems(
        max_people=8,
        max_requests=16,
        max_slots=4,
        fixed_tables=False,
        availability=False,
        cross_only=True,
        plenty_of_tables=True,
    )
)
def test_bound_is_exact_when_always_available_across_sides(problem: Problem) -> None:
    best = exact_optimum(problem)
    assert meeting_upper_bound(problem).meetings == best
    assert schedule_meetings(problem).placed == best


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_large_bipartite_instances_meet_the_bound(seed: int) -> None:
    """König: always-available cross-side requests with plenty of tables fill the bound."""
    rng = np.random.default_rng(seed)
    people, slots = 60, 6
    participants = tuple(
        Participant(id=f"p{i}", side="JP" if i < people // 2 else "IN") for i in range(people)
    )
    pairs = {
        (int(a), int(b))
        for a, b in zip(
            rng.integers(0, people // 2, 400), rng.integers(people // 2, people, 400), strict=True
        )
    }
    requests = tuple(
        Request(id=f"r{k}", a=f"p{a}", b=f"p{b}") for k, (a, b) in enumerate(sorted(pairs))
    )
    problem = Problem(
        slots=slots, tables=(people,) * slots, participants=participants, requests=requests
    )
    schedule = schedule_meetings(problem)
    check_schedule(problem, schedule)
    assert schedule.placed == schedule.upper_bound


def test_same_input_gives_the_same_schedule() -> None:
    problem = _sample_problem()
    assert schedule_meetings(problem).meetings == schedule_meetings(problem).meetings


def test_busy_participants_tables_and_reasons() -> None:
    problem = Problem(
        slots=2,
        tables=(1, 1),
        participants=(
            Participant(id="a"),
            Participant(id="b"),
            Participant(id="c"),
            Participant(id="d"),
            Participant(id="e", unavailable=frozenset({0, 1})),
        ),
        requests=(
            Request(id="ab", a="a", b="b", priority=3),
            Request(id="ac", a="a", b="c", priority=2),
            Request(id="ad", a="a", b="d", priority=1),
            Request(id="be", a="b", b="e"),
            Request(id="cd", a="c", b="d"),
        ),
    )
    schedule = schedule_meetings(problem)
    check_schedule(problem, schedule)
    assert schedule.placed == 2
    assert {m.request for m in schedule.meetings} == {"ab", "ac"}
    reasons = {u.request: u.reason for u in schedule.unplaced}
    assert reasons == {"ad": "participant_full", "be": "no_common_free_slot", "cd": "no_table"}


def test_priority_bound_holds_with_many_distinct_priorities() -> None:
    """Ten pairs at priorities 1..10 all fit: the bound must not fall below 55.

    More distinct priorities than the bound's levels are rounded onto fewer thresholds; rounding
    down (as before) reported 53 here.
    """
    participants = tuple(Participant(id=f"p{i}") for i in range(20))
    requests = tuple(
        Request(id=f"r{k}", a=f"p{2 * k}", b=f"p{2 * k + 1}", priority=k + 1) for k in range(10)
    )
    problem = Problem(slots=1, tables=(10,), participants=participants, requests=requests)
    schedule = schedule_meetings(problem)
    check_schedule(problem, schedule)
    assert schedule.placed == 10 and schedule.priority_placed == 55
    assert meeting_upper_bound(problem).priority >= 55
    assert schedule.priority_upper_bound >= 55


@FAST
@given(st.lists(st.integers(0, 20), min_size=1, max_size=30), st.integers(1, 3))
def test_priority_bound_with_many_levels_is_above_every_schedule(
    priorities: list[int], slots: int
) -> None:
    """Disjoint pairs with plenty of tables: everything fits, so the bound is at least the sum."""
    participants = tuple(Participant(id=f"p{i}") for i in range(2 * len(priorities)))
    requests = tuple(
        Request(id=f"r{k}", a=f"p{2 * k}", b=f"p{2 * k + 1}", priority=p)
        for k, p in enumerate(priorities)
    )
    tables = (len(priorities),) * slots
    problem = Problem(slots=slots, tables=tables, participants=participants, requests=requests)
    schedule = schedule_meetings(problem)
    check_schedule(problem, schedule)
    assert schedule.priority_placed == sum(priorities)
    assert meeting_upper_bound(problem).priority >= sum(priorities)


def test_fixed_tables_are_used() -> None:
    problem = Problem(
        slots=1,
        tables=(3,),
        participants=(
            Participant(id="x", table=2),
            Participant(id="y", table=2),
            Participant(id="z", table=1),
            Participant(id="q"),
            Participant(id="w"),
        ),
        requests=(
            Request(id="xq", a="x", b="q"),
            Request(id="yw", a="y", b="w"),
            Request(id="xz", a="x", b="z"),
        ),
    )
    schedule = schedule_meetings(problem)
    check_schedule(problem, schedule)
    # x and y share table 2, so xq and yw cannot both happen; xz can use z's table 1.
    assert schedule.placed == 2
    tables = {m.request: m.table for m in schedule.meetings}
    assert tables == {"xz": 1, "yw": 2}


# -- validate_schedule --------------------------------------------------------------------------


def _sample_problem() -> Problem:
    return Problem(
        slots=3,
        tables=(2, 2, 1),
        participants=(
            Participant(id="a", side="JP", unavailable=frozenset({2})),
            Participant(id="b", side="IN"),
            Participant(id="c", side="IN", table=1),
            Participant(id="d", side="JP", table=1),
        ),
        requests=(
            Request(id="ab", a="a", b="b", priority=2),
            Request(id="ac", a="a", b="c"),
            Request(id="bd", a="b", b="d"),
            Request(id="cd", a="c", b="d", priority=3),
        ),
    )


@pytest.mark.parametrize(
    ("meetings", "expected"),
    [
        ([Meeting("zz", 0, 0)], 'meeting "zz": no such request'),
        ([Meeting("ab", 0, 0), Meeting("ab", 1, 0)], "scheduled more than once"),
        ([Meeting("ab", 3, 0)], "slot 3 is not in 0..2"),
        ([Meeting("ab", 2, 1)], "table 1 does not exist in slot 2"),
        ([Meeting("ab", 2, 0)], 'participant "a" is unavailable in slot 2'),
        ([Meeting("ab", 0, 0), Meeting("ac", 0, 1)], 'participant "a" already meets in slot 0'),
        ([Meeting("ac", 1, 0)], "a participant is fixed to table 1"),
        ([Meeting("ab", 0, 1), Meeting("cd", 0, 1)], 'table 1 in slot 0 is taken by "ab"'),
        ([Meeting("ab", 1, 1), Meeting("bd", 0, 1), Meeting("ac", 0, 1)], "is taken by"),
    ],
)
def test_validate_schedule_catches(meetings: list[Meeting], expected: str) -> None:
    errors = validate_schedule(_sample_problem(), meetings)
    assert any(expected in error for error in errors), errors


def test_validate_schedule_counts_tables_per_slot() -> None:
    problem = Problem(
        slots=1,
        tables=(1,),
        participants=tuple(Participant(id=f"p{i}") for i in range(4)),
        requests=(Request(id="r1", a="p0", b="p1"), Request(id="r2", a="p2", b="p3")),
    )
    errors = validate_schedule(problem, [Meeting("r1", 0, 0), Meeting("r2", 0, 0)])
    assert "slot 0: 2 meetings but only 1 tables" in errors


def test_validate_schedule_accepts_a_valid_schedule() -> None:
    meetings = [Meeting("bd", 0, 1), Meeting("ab", 1, 0), Meeting("cd", 1, 1)]
    assert validate_schedule(_sample_problem(), meetings) == []


# -- problem validation -------------------------------------------------------------------------


def _json_problem() -> dict[str, Any]:
    return {
        "slots": 3,
        "tables": 2,
        "participants": [
            {"id": "p1", "side": "JP", "unavailable": [0]},
            {"id": "p2", "side": "IN", "table": 1},
            {"id": "p3"},
        ],
        "requests": [
            {"id": "r1", "a": "p1", "b": "p2", "priority": 2},
            {"id": "r2", "a": "p2", "b": "p3"},
            {"id": "r3", "a": "p3", "b": "p1", "priority": 1},
        ],
    }


def _broken(change: str) -> tuple[dict[str, Any], str]:
    data = _json_problem()
    if change == "unknown participant":
        data["requests"][0]["b"] = "p9"
        return data, '"p9"'
    if change == "request to oneself":
        data["requests"][1]["b"] = "p2"
        return data, '"r2"'
    if change == "duplicate participant":
        data["participants"][2]["id"] = "p1"
        return data, '"p1"'
    if change == "duplicate request":
        data["requests"][2]["id"] = "r1"
        return data, '"r1"'
    if change == "negative slots":
        data["slots"] = -1
        return data, "slots"
    if change == "negative tables":
        data["tables"] = [2, -1, 2]
        return data, "slot 1"
    if change == "slot out of range":
        data["participants"][0]["unavailable"] = [3]
        return data, '"p1"'
    if change == "wrong table list":
        data["tables"] = [2, 2]
        return data, "tables"
    if change == "fixed table out of range":
        data["participants"][1]["table"] = 5
        return data, '"p2"'
    if change == "negative priority":
        data["requests"][2]["priority"] = -3
        return data, '"r3"'
    if change == "missing request end":
        del data["requests"][1]["a"]
        return data, '"r2"'
    raise AssertionError(change)


BROKEN = [
    "unknown participant",
    "request to oneself",
    "duplicate participant",
    "duplicate request",
    "negative slots",
    "negative tables",
    "slot out of range",
    "wrong table list",
    "fixed table out of range",
    "negative priority",
    "missing request end",
]


@pytest.mark.parametrize("change", BROKEN)
def test_problem_errors_name_the_offending_item(change: str) -> None:
    data, name = _broken(change)
    with pytest.raises(ProblemError, match=name):
        problem_from_json(data)


def test_unknown_participant_message() -> None:
    with pytest.raises(ProblemError) as error:
        Problem(
            slots=1,
            tables=(1,),
            participants=(Participant(id="p1"),),
            requests=(Request(id="r17", a="p1", b="p9"),),
        )
    assert str(error.value) == 'request "r17": participant "p9" is not in participants'


def test_invalid_fixed_meetings_are_rejected() -> None:
    problem = problem_from_json(_json_problem())
    with pytest.raises(ProblemError, match='"r9"'):
        schedule_meetings(problem, fixed=[Meeting("r9", 0, 0)])
    with pytest.raises(ProblemError, match='"r1"'):
        schedule_meetings(problem, fixed=[Meeting("r1", 0, 1)])  # p1 is away in slot 0


def test_json_round_trip_in_process() -> None:
    problem = problem_from_json(_json_problem())
    assert problem.tables == (2, 2, 2)
    schedule = schedule_meetings(problem)
    out = schedule_to_json(schedule)
    assert out["placed"] == schedule.placed == 3
    assert json.loads(json.dumps(out)) == out


# -- CLI ----------------------------------------------------------------------------------------


def _cli(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "setu.algorithms.scheduling"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_cli_round_trip() -> None:
    data = _json_problem()
    done = _cli(json.dumps(data))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {
        "meetings",
        "placed",
        "upper_bound",
        "priority_placed",
        "priority_upper_bound",
        "seconds",
        "unplaced",
    }
    problem = problem_from_json(data)
    meetings = [Meeting(m["request"], m["slot"], m["table"]) for m in out["meetings"]]
    assert validate_schedule(problem, meetings) == []
    assert out["placed"] == len(meetings) == 3
    assert out["upper_bound"] == 3


def test_cli_keeps_fixed_meetings() -> None:
    data = _json_problem()
    data["fixed"] = [{"request": "r2", "slot": 2, "table": 1}]
    done = _cli(json.dumps(data))
    assert done.returncode == 0, done.stderr
    assert {"request": "r2", "slot": 2, "table": 1} in json.loads(done.stdout)["meetings"]


@pytest.mark.parametrize("change", BROKEN)
def test_cli_rejects_invalid_input(change: str) -> None:
    data, name = _broken(change)
    done = _cli(json.dumps(data))
    assert done.returncode == 2
    assert done.stdout == ""
    assert name in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_rejects_bad_json() -> None:
    done = _cli('{"slots": 2, ')
    assert done.returncode == 2
    assert done.stdout == ""
    assert "invalid JSON" in done.stderr


def test_algorithms_do_not_import_django() -> None:
    code = (
        "import sys, setu.algorithms.scheduling as s; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr


def test_chronological_slots_are_sorted() -> None:
    schedule = schedule_meetings(_sample_problem())
    keys = [(m.slot, m.table) for m in schedule.meetings]
    assert all(x < y for x, y in pairwise(keys))


def test_exact_finish_improves_a_poor_start() -> None:
    from setu.algorithms.scheduling_bound import index_problem, meeting_upper_bound_index
    from setu.algorithms.scheduling_exact import improve_exactly
    from setu.algorithms.scheduling_repair import Engine

    # p1 can meet p2 or p3 in slot 0 only; p2 and p3 also meet each other in slot 0 or 1.
    problem = Problem(
        slots=2,
        tables=(2, 2),
        participants=(
            Participant(id="p1", unavailable=frozenset({1})),
            Participant(id="p2"),
            Participant(id="p3"),
        ),
        requests=(
            Request(id="r12", a="p1", b="p2"),
            Request(id="r13", a="p1", b="p3"),
            Request(id="r23", a="p2", b="p3"),
        ),
    )
    ix = index_problem(problem)
    engine = Engine(ix)
    engine.place(2, 0)  # r23 in slot 0 blocks both of p1's meetings
    improve_exactly(ix, engine, meeting_upper_bound_index(ix))
    assert engine.placed == 2
    assert engine.slot[2] == 1

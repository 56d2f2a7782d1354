"""B2B meeting scheduler with a proven upper bound.

Plain data in, plain data out: build a :class:`Problem` (or read one with
:func:`problem_from_json`), call :func:`schedule_meetings`, and check any schedule with
:func:`validate_schedule`. Command line: ``python -m setu.algorithms.scheduling < problem.json``.
See ``docs/scheduling.md`` for the formats, the bound and the heuristic's stages.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from setu.algorithms.scheduling_bound import (
    Index,
    index_problem,
    meeting_upper_bound_index,
    residual_bound,
)
from setu.algorithms.scheduling_exact import improve_exactly
from setu.algorithms.scheduling_model import (
    UNPLACED_REASONS,
    Bound,
    Meeting,
    Participant,
    Problem,
    ProblemError,
    Request,
    Schedule,
    Unplaced,
    validate_schedule,
)
from setu.algorithms.scheduling_repair import Engine
from setu.algorithms.scheduling_solve import FixedMeeting, solve

__all__ = [
    "UNPLACED_REASONS",
    "Bound",
    "Meeting",
    "Participant",
    "Problem",
    "ProblemError",
    "Request",
    "Schedule",
    "Unplaced",
    "main",
    "meeting_upper_bound",
    "problem_from_json",
    "schedule_greedy",
    "schedule_meetings",
    "schedule_to_json",
    "validate_schedule",
]


def meeting_upper_bound(problem: Problem) -> Bound:
    """Upper bounds on the meetings and the total priority that any valid schedule can place."""
    return meeting_upper_bound_index(index_problem(problem))


def schedule_meetings(problem: Problem, *, fixed: Iterable[Meeting] = ()) -> Schedule:
    """Schedule as many requests as possible, then as much priority, then fewer idle slots.

    ``fixed`` meetings (already published) stay exactly where they are; everything else is
    placed around them, and the bounds are then for schedules that keep them. Raises
    :class:`ProblemError` if the fixed meetings are not valid.
    """
    started = time.perf_counter()
    ix = index_problem(problem)
    pinned = _fixed_meetings(problem, ix, list(fixed))
    bound = residual_bound(ix, [(r, s) for r, s, _ in pinned])
    engine = solve(ix, pinned, bound)
    improve_exactly(ix, engine, bound)
    return _result(ix, engine, bound, started)


def schedule_greedy(problem: Problem) -> Schedule:
    """First come, first served: each request, in input order, into its earliest possible slot."""
    started = time.perf_counter()
    ix = index_problem(problem)
    bound = meeting_upper_bound_index(ix)
    engine = Engine(ix)
    for r in range(len(engine.ends_a)):
        mask = engine.candidates(r)
        if mask:
            engine.place(r, (mask & -mask).bit_length() - 1)
    engine.journal.clear()
    return _result(ix, engine, bound, started)


def _fixed_meetings(problem: Problem, ix: Index, fixed: list[Meeting]) -> list[FixedMeeting]:
    numbers = {request.id: r for r, request in enumerate(problem.requests)}
    for meeting in fixed:
        if meeting.request not in numbers:
            raise ProblemError(f'fixed meeting "{meeting.request}": no such request')
    errors = validate_schedule(problem, fixed)
    if errors:
        raise ProblemError(f"fixed meetings: {errors[0]}")
    return [(numbers[m.request], m.slot, m.table) for m in fixed]


def _result(ix: Index, engine: Engine, bound: Bound, started: float) -> Schedule:
    problem = ix.problem
    requests = problem.requests
    meetings = _tables(ix, engine)
    placed = [r for r, s in enumerate(engine.slot) if s >= 0]
    unplaced = []
    for r, s in enumerate(engine.slot):
        if s >= 0:
            continue
        a, b = engine.ends_a[r], engine.ends_b[r]
        if not engine.common[r]:
            reason = "no_common_free_slot"
        elif engine.free[a] & engine.free[b] & engine.static_mask(r):
            reason = "no_table"
        else:
            reason = "participant_full"
        unplaced.append(Unplaced(request=requests[r].id, reason=reason))
    return Schedule(
        meetings=meetings,
        placed=len(placed),
        upper_bound=bound.meetings,
        priority_placed=sum(engine.priority[r] for r in placed),
        priority_upper_bound=bound.priority,
        seconds=time.perf_counter() - started,
        unplaced=tuple(unplaced),
    )


def _tables(ix: Index, engine: Engine) -> tuple[Meeting, ...]:
    """Table numbers: fixed tables (and published meetings) first, then the lowest free ones."""
    by_slot: list[list[int]] = [[] for _ in range(ix.slots)]
    for r, s in enumerate(engine.slot):
        if s >= 0:
            by_slot[s].append(r)
    requests = ix.problem.requests
    meetings = []
    for s, rs in enumerate(by_slot):
        taken = {engine.table[r] for r in rs if engine.table[r] >= 0}
        spare = (t for t in range(engine.cap[s]) if t not in taken)
        for r in rs:
            table = engine.table[r] if engine.table[r] >= 0 else next(spare)
            meetings.append(Meeting(request=requests[r].id, slot=s, table=table))
    meetings.sort(key=lambda m: (m.slot, m.table))
    return tuple(meetings)


# -- JSON ---------------------------------------------------------------------------------------


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(f"{where}: expected an integer, got {json.dumps(value)}")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError(f"{where}: expected a non-empty string, got {json.dumps(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProblemError(f"{where}: expected a list")
    return value


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProblemError(f"{where}: expected an object")
    return value


def problem_from_json(data: Mapping[str, Any]) -> Problem:
    """Read the problem JSON object (see ``docs/scheduling.md``); raises :class:`ProblemError`."""
    data = _object(data, "problem")
    for key in ("slots", "tables", "participants", "requests"):
        if key not in data:
            raise ProblemError(f'problem: missing "{key}"')
    slots = _int(data["slots"], "slots")
    raw_tables = data["tables"]
    if isinstance(raw_tables, list):
        tables = tuple(_int(t, f"tables[{i}]") for i, t in enumerate(raw_tables))
    else:
        tables = (_int(raw_tables, "tables"),) * max(slots, 0)
    participants = []
    for i, raw in enumerate(_list(data["participants"], "participants")):
        item = _object(raw, f"participants[{i}]")
        pid = _str(item.get("id"), f"participants[{i}].id")
        where = f'participant "{pid}"'
        side = item.get("side")
        if side is not None and not isinstance(side, str):
            raise ProblemError(f"{where}: side must be a string")
        unavailable = frozenset(
            _int(s, f"{where}: unavailable") for s in _list(item.get("unavailable", []), where)
        )
        table = item.get("table")
        participants.append(
            Participant(
                id=pid,
                side=side,
                unavailable=unavailable,
                table=None if table is None else _int(table, f"{where}: table"),
            )
        )
    requests = []
    for i, raw in enumerate(_list(data["requests"], "requests")):
        item = _object(raw, f"requests[{i}]")
        rid = _str(item.get("id"), f"requests[{i}].id")
        where = f'request "{rid}"'
        requests.append(
            Request(
                id=rid,
                a=_str(item.get("a"), f"{where}: a"),
                b=_str(item.get("b"), f"{where}: b"),
                priority=_int(item.get("priority", 1), f"{where}: priority"),
            )
        )
    return Problem(
        slots=slots,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(requests),
    )


def meetings_from_json(data: Sequence[Any]) -> list[Meeting]:
    """Read a list of ``{"request", "slot", "table"}`` objects (the CLI's optional "fixed")."""
    meetings = []
    for i, raw in enumerate(_list(data, "fixed")):
        item = _object(raw, f"fixed[{i}]")
        rid = _str(item.get("request"), f"fixed[{i}].request")
        where = f'fixed meeting "{rid}"'
        meetings.append(
            Meeting(
                request=rid,
                slot=_int(item.get("slot"), f"{where}: slot"),
                table=_int(item.get("table"), f"{where}: table"),
            )
        )
    return meetings


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    """The schedule as the CLI's output object."""
    return {
        "meetings": [
            {"request": m.request, "slot": m.slot, "table": m.table} for m in schedule.meetings
        ],
        "placed": schedule.placed,
        "upper_bound": schedule.upper_bound,
        "priority_placed": schedule.priority_placed,
        "priority_upper_bound": schedule.priority_upper_bound,
        "seconds": round(schedule.seconds, 6),
        "unplaced": [{"request": u.request, "reason": u.reason} for u in schedule.unplaced],
    }


def main(stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """CLI: problem JSON on stdin, schedule JSON on stdout; invalid input exits with 2."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        data = json.loads(stdin.read())
        problem = problem_from_json(data)
        fixed = meetings_from_json(data.get("fixed", []))
        schedule = schedule_meetings(problem, fixed=fixed)
    except json.JSONDecodeError as error:
        print(f"invalid JSON: {error}", file=sys.stderr)
        return 2
    except ProblemError as error:
        print(f"invalid problem: {error}", file=sys.stderr)
        return 2
    json.dump(schedule_to_json(schedule), stdout)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

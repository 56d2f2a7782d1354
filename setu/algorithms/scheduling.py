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
    residual_index,
)
from setu.algorithms.scheduling_exact import improve_exactly
from setu.algorithms.scheduling_lp import MAX_COLUMNS, relax, relax_aggregated
from setu.algorithms.scheduling_model import (
    UNPLACED_REASONS,
    Bound,
    Interpreter,
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
from setu.algorithms.scheduling_solve import FixedMeeting, solve, solve_guided

# The full LP is solved only while the schedule is more than this share of the bound short of
# it: the schedule itself proves the bound within that share of the optimum. On the booth and
# same-side families at 150-300 participants the full LP took 1-4 s there and gave the
# slot-free LP's value again (docs/decisions/0011-lp-scheduling-bound.md).
FULL_LP_GAP = 0.01

__all__ = [
    "UNPLACED_REASONS",
    "Bound",
    "Interpreter",
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
    "uses_interpreters",
    "validate_schedule",
]


def meeting_upper_bound(problem: Problem) -> Bound:
    """Upper bounds on the meetings and the total priority that any valid schedule can place."""
    return meeting_upper_bound_index(index_problem(problem))


def schedule_meetings(
    problem: Problem,
    *,
    fixed: Iterable[Meeting] = (),
    exact: bool = True,
    strengthen: bool = True,
) -> Schedule:
    """Schedule as many requests as possible, then as much priority, then fewer idle slots.

    ``fixed`` meetings (already published) stay exactly where they are; everything else is
    placed around them, and the bounds are then for schedules that keep them. Raises
    :class:`ProblemError` if the fixed meetings are not valid.

    ``exact=False`` switches off the exact finish of tiny instances (to test the heuristic
    alone); ``strengthen=False`` skips the LP bound and the LP-guided start, which is the
    scheduler of the previous release (the benchmarks' baseline).
    """
    started = time.perf_counter()
    ix = index_problem(problem)
    pinned = _fixed_meetings(problem, ix, list(fixed))
    kept = [(r, s, i) for r, s, _, i in pinned]
    bound = residual_bound(ix, kept)
    if strengthen and bool(ix.needs.any()):
        # The flow bound knows nothing of interpreters: start from the slot-free LP.
        engine, bound = _interpreted(ix, pinned, bound)
    else:
        engine = solve(ix, pinned, bound)
    if strengthen and _short_of_meetings(engine, bound):
        engine, bound = _strengthen(ix, pinned, engine, bound)
    if exact:
        improve_exactly(ix, engine, bound)
    return _result(ix, engine, bound, started)


def _interpreted(ix: Index, pinned: list[FixedMeeting], bound: Bound) -> tuple[Engine, Bound]:
    kept = [(r, s, i) for r, s, _, i in pinned]
    relaxation = relax_aggregated(residual_index(ix, kept))
    if relaxation is None:
        return solve(ix, pinned, bound), bound
    done = sum(int(ix.priority[r]) for r, _, _ in kept)
    bound = Bound(
        meetings=min(bound.meetings, len(kept) + relaxation.meetings),
        priority=min(bound.priority, done + relaxation.priority),
    )
    return solve_guided(ix, pinned, bound, relaxation), bound


def _strengthen(
    ix: Index, pinned: list[FixedMeeting], engine: Engine, bound: Bound
) -> tuple[Engine, Bound]:
    """Tighter bounds from the LPs, and LP-guided schedules where they place more.

    The slot-free LP first (fast) while the schedule is short of the meeting bound; the full
    LP only while the schedule is still more than FULL_LP_GAP short of it and the LP is small
    enough (docs/decisions/0011-lp-scheduling-bound.md and 0028).
    """
    kept = [(r, s, i) for r, s, _, i in pinned]
    rest = residual_index(ix, kept)
    done = sum(int(ix.priority[r]) for r, _, _ in kept)
    small = int(rest.common.sum()) <= MAX_COLUMNS
    stages: list[str] = [] if bool(ix.needs.any()) else ["slot-free"]  # done if needed
    if small:
        stages.append("full")
    for stage in stages:
        if not _short_of_meetings(engine, bound):
            break
        if stage == "full" and not _far_from_bound(engine, bound):
            break
        known = bound.meetings - len(kept)
        if stage == "full":
            relaxation = relax(rest)
        else:
            relaxation = relax_aggregated(rest, None if small else known, held=True)
        if relaxation is None:
            continue
        # A slot-free relaxation that does not lower the bound sees nothing the b-matching did
        # not (odd cycles, say); its guided schedule costs seconds on large events. On small
        # ones it is followed where the full LP will not be (0.1-0.4 s; it placed the last
        # meeting of same_side 300). The full LP's is followed whenever it is solved: it is
        # only solved when the schedule is well short of the bound.
        lowered = len(kept) + relaxation.meetings < bound.meetings
        bound = Bound(
            meetings=min(bound.meetings, len(kept) + relaxation.meetings),
            priority=bound.priority
            if relaxation.priority < 0
            else min(bound.priority, done + relaxation.priority),
        )
        if lowered or stage == "full" or (small and not _far_from_bound(engine, bound)):
            # From the LP's most-priority solution at its meeting count where solved: where
            # a few tight tables or booths decide, it picks the meetings that carry the most
            # priority, and places as many.
            guided = solve_guided(ix, pinned, bound, relaxation, relaxation.at_count)
            if _score(guided) > _score(engine):
                engine = guided
    return engine, bound


def _short_of_meetings(engine: Engine, bound: Bound) -> bool:
    """Whether the schedule places fewer meetings than the bound: only then is the flow bound
    possibly loose (a schedule that reaches it proves it exact) and the LP worth solving."""
    return _score(engine)[0] < bound.meetings


def _far_from_bound(engine: Engine, bound: Bound) -> bool:
    """Whether the schedule is more than FULL_LP_GAP of the bound short of it."""
    return bound.meetings - _score(engine)[0] > FULL_LP_GAP * bound.meetings


def _score(engine: Engine) -> tuple[int, int]:
    placed = [r for r, s in enumerate(engine.slot) if s >= 0]
    return len(placed), sum(engine.priority[r] for r in placed)


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
    interpreters = {person.id: i for i, person in enumerate(problem.interpreters)}
    return [
        (numbers[m.request], m.slot, m.table, interpreters.get(m.interpreter or "", -1))
        for m in fixed
    ]


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
        both = engine.free[a] & engine.free[b]
        if engine.needs[r] and not engine.classes[r]:
            reason = "no_interpreter"  # nobody interprets between these two sides
        elif not engine.common[r]:
            reason = "no_common_free_slot"
        elif engine.needs[r] and both & engine.static_mask(r) & ~engine.interpreter_mask(r):
            reason = "no_interpreter"
        elif both & engine.static_mask(r):
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
    interpreters = [person.id for person in ix.problem.interpreters]
    meetings = []
    for s, rs in enumerate(by_slot):
        taken = {engine.table[r] for r in rs if engine.table[r] >= 0}
        spare = (t for t in range(engine.cap[s]) if t not in taken)
        for r in rs:
            table = engine.table[r] if engine.table[r] >= 0 else next(spare)
            i = engine.interp[r]
            meetings.append(
                Meeting(
                    request=requests[r].id,
                    slot=s,
                    table=table,
                    interpreter=interpreters[i] if i >= 0 else None,
                )
            )
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
                languages=_languages(item.get("languages", []), where),
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
    interpreters = []
    for i, raw in enumerate(_list(data.get("interpreters", []), "interpreters")):
        item = _object(raw, f"interpreters[{i}]")
        iid = _str(item.get("id"), f"interpreters[{i}].id")
        where = f'interpreter "{iid}"'
        interpreters.append(
            Interpreter(
                id=iid,
                languages=_languages(item.get("languages", []), where),
                unavailable=frozenset(
                    _int(s, f"{where}: unavailable")
                    for s in _list(item.get("unavailable", []), where)
                ),
            )
        )
    return Problem(
        slots=slots,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(requests),
        interpreters=tuple(interpreters),
    )


def _languages(value: Any, where: str) -> frozenset[str]:
    return frozenset(_str(code, f"{where}: languages") for code in _list(value, where))


def uses_interpreters(data: Mapping[str, Any]) -> bool:
    """Whether the problem JSON mentions interpreters or languages (then meetings name theirs)."""
    if "interpreters" in data:
        return True
    people = data.get("participants")
    return isinstance(people, list) and any(
        isinstance(item, Mapping) and "languages" in item for item in people
    )


def meetings_from_json(data: Sequence[Any]) -> list[Meeting]:
    """Read a list of ``{"request", "slot", "table"}`` objects (the CLI's optional "fixed")."""
    meetings = []
    for i, raw in enumerate(_list(data, "fixed")):
        item = _object(raw, f"fixed[{i}]")
        rid = _str(item.get("request"), f"fixed[{i}].request")
        where = f'fixed meeting "{rid}"'
        interpreter = item.get("interpreter")
        meetings.append(
            Meeting(
                request=rid,
                slot=_int(item.get("slot"), f"{where}: slot"),
                table=_int(item.get("table"), f"{where}: table"),
                interpreter=None if interpreter is None else _str(interpreter, where),
            )
        )
    return meetings


def schedule_to_json(schedule: Schedule, *, interpreters: bool = False) -> dict[str, Any]:
    """The schedule as the CLI's output object.

    With ``interpreters`` every meeting also carries ``"interpreter"`` (an id or null); without,
    the output is exactly what it was before interpreters existed.
    """
    meetings: list[dict[str, Any]] = [
        {"request": m.request, "slot": m.slot, "table": m.table} for m in schedule.meetings
    ]
    if interpreters:
        for item, meeting in zip(meetings, schedule.meetings, strict=True):
            item["interpreter"] = meeting.interpreter
    return {
        "meetings": meetings,
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
    json.dump(schedule_to_json(schedule, interpreters=uses_interpreters(data)), stdout)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

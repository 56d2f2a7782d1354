"""What one more interpreter would bring: for the organiser's draft page.

For every language pair that an unplaced request needs, one extra interpreter of that pair is
added for the slots where that pair's interpreters are all busy, and the interpreter-aware
bound is computed again; the difference is at most what that interpreter could add. It is a
bound, not a schedule: the page says "up to".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from setu.algorithms.scheduling_bound import index_problem, meeting_upper_bound_index
from setu.algorithms.scheduling_lp import relax_aggregated
from setu.algorithms.scheduling_model import Interpreter, Problem, Schedule, needs_interpreter

# Language pairs looked at, at most (those with the most unplaced requests first).
MAX_PAIRS = 4


@dataclass(frozen=True, slots=True)
class Advice:
    languages: tuple[str, str]
    slots: tuple[int, ...]  # 0-based slots the extra interpreter would work
    more: int  # up to this many more meetings


def interpreter_bound(problem: Problem) -> int:
    """The meeting bound that accounts for interpreters (flow bound and slot-free LP)."""
    ix = index_problem(problem)
    flow = meeting_upper_bound_index(ix).meetings
    relaxation = relax_aggregated(ix) if bool(ix.needs.any()) else None
    return flow if relaxation is None else min(flow, relaxation.meetings)


def interpreter_advice(problem: Problem, schedule: Schedule) -> list[Advice]:
    """Per language pair wanted by unplaced requests, what one more interpreter could add."""
    if not problem.interpreters:
        return []
    people = {p.id: p for p in problem.participants}
    requests = {r.id: r for r in problem.requests}
    wanted: dict[tuple[str, str], int] = {}
    for item in schedule.unplaced:
        request = requests[item.request]
        a, b = people[request.a], people[request.b]
        if not needs_interpreter(a, b):
            continue
        for x in sorted(a.languages):
            for y in sorted(b.languages):
                pair = (min(x, y), max(x, y))
                wanted[pair] = wanted.get(pair, 0) + 1
    if not wanted:
        return []
    busy: dict[str, set[int]] = {}
    for meeting in schedule.meetings:
        if meeting.interpreter is not None:
            busy.setdefault(meeting.interpreter, set()).add(meeting.slot)
    before = interpreter_bound(problem)
    advice = []
    for pair, _ in sorted(wanted.items(), key=lambda item: (-item[1], item[0]))[:MAX_PAIRS]:
        able = [i for i in problem.interpreters if set(pair) <= i.languages]
        full = tuple(
            s
            for s in range(problem.slots)
            if all(s in i.unavailable or s in busy.get(i.id, ()) for i in able)
        )
        if not full:
            continue
        extra = Interpreter(
            id="\x00extra",
            languages=frozenset(pair),
            unavailable=frozenset(range(problem.slots)) - set(full),
        )
        after = interpreter_bound(replace(problem, interpreters=(*problem.interpreters, extra)))
        more = min(after - before, wanted[pair])
        if more > 0:
            advice.append(Advice(languages=pair, slots=full, more=more))
    return advice

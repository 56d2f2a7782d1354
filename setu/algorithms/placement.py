"""Placing students on exchange programmes: student-proposing deferred acceptance.

Each student ranks programmes (best first); each programme ranks its applicants by the score
it gave them (higher is better; any real number, negative ones included), ties broken in
favour of the student whose id sorts first, so every programme's order is strict. Deferred
acceptance with capacities (Gale and Shapley 1962; Roth 1984) then gives the stable matching
every student likes at least as much as any other stable matching (student-optimal). The
result does not depend on the order in which students propose.

A student who declines a place is removed and the problem solved again: in the
student-optimal matching, removing a student leaves every other student at least as well off
(Gale and Sotomayor 1985), so a re-run never moves anyone down their list.

Command line (invalid input exits with 2 and a message naming the item)::

    python -m setu.algorithms.placement < problem.json > placement.json

No Django here: plain data in, plain data out.
"""

from __future__ import annotations

import heapq
import json
import math
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO


class ProblemError(ValueError):
    """The problem is malformed; the message names the offending item."""


@dataclass(frozen=True, slots=True)
class Choice:
    programme: str
    score: float


@dataclass(frozen=True, slots=True)
class Student:
    id: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    capacity: int


@dataclass(frozen=True, slots=True)
class Problem:
    programmes: tuple[Programme, ...]
    students: tuple[Student, ...]


@dataclass(frozen=True, slots=True)
class Placement:
    """``assignments`` maps a student id to the programme id they are placed on."""

    assignments: Mapping[str, str]
    unassigned: tuple[str, ...]
    seconds: float = field(default=0.0, compare=False)


def validate(problem: Problem) -> None:
    """Raise ProblemError naming the first bad item (see the module's rules)."""
    programme_ids: set[str] = set()
    for programme in problem.programmes:
        if programme.id in programme_ids:
            raise ProblemError(f'programme "{programme.id}" is listed twice')
        programme_ids.add(programme.id)
        if isinstance(programme.capacity, bool) or not isinstance(programme.capacity, int):
            raise ProblemError(
                f'programme "{programme.id}": capacity {programme.capacity!r} is not an integer'
            )
        if programme.capacity < 0:
            raise ProblemError(
                f'programme "{programme.id}": capacity {programme.capacity} is negative'
            )
    student_ids: set[str] = set()
    for student in problem.students:
        if student.id in student_ids:
            raise ProblemError(f'student "{student.id}" is listed twice')
        student_ids.add(student.id)
        seen: set[str] = set()
        for position, choice in enumerate(student.choices, start=1):
            where = f'student "{student.id}", choice {position}'
            if choice.programme not in programme_ids:
                raise ProblemError(f'{where}: unknown programme "{choice.programme}"')
            if choice.programme in seen:
                raise ProblemError(f'{where}: programme "{choice.programme}" is listed twice')
            seen.add(choice.programme)
            score = choice.score
            if isinstance(score, bool) or not isinstance(score, int | float):
                raise ProblemError(f"{where}: score {score!r} is not a number")
            if not math.isfinite(score):
                raise ProblemError(f"{where}: score {score!r} is not a finite number")


def place_students(problem: Problem, *, check: bool = True) -> Placement:
    """The student-optimal stable matching. ``seconds`` times the matching alone."""
    if check:
        validate(problem)
    started = time.perf_counter()
    programme_index = {programme.id: i for i, programme in enumerate(problem.programmes)}
    capacity = [programme.capacity for programme in problem.programmes]
    students = problem.students
    # A smaller id wins a tie: rank ids once, and keep ``-rank`` in the key so that the
    # heap's smallest entry is the programme's least preferred holder.
    id_rank = {sid: rank for rank, sid in enumerate(sorted(s.id for s in students))}
    proposals: list[list[tuple[int, float, int]]] = []
    for student in students:
        tie = -id_rank[student.id]
        proposals.append([(programme_index[c.programme], c.score, tie) for c in student.choices])
    held: list[list[tuple[float, int, int]]] = [[] for _ in capacity]
    next_choice = [0] * len(students)
    free = list(range(len(students) - 1, -1, -1))
    push, replace = heapq.heappush, heapq.heapreplace
    while free:
        s = free.pop()
        choices = proposals[s]
        i = next_choice[s]
        while i < len(choices):
            p, score, tie = choices[i]
            i += 1
            holders = held[p]
            if len(holders) < capacity[p]:
                push(holders, (score, tie, s))
                break
            if holders and (score, tie) > holders[0][:2]:
                free.append(replace(holders, (score, tie, s))[2])
                break
        next_choice[s] = i
    placed: dict[int, int] = {}
    for p, holders in enumerate(held):
        for _score, _tie, s in holders:
            placed[s] = p
    seconds = time.perf_counter() - started
    programmes = problem.programmes
    return Placement(
        assignments={
            students[s].id: programmes[placed[s]].id for s in range(len(students)) if s in placed
        },
        unassigned=tuple(students[s].id for s in range(len(students)) if s not in placed),
        seconds=seconds,
    )


def blocking_pairs(problem: Problem, placement: Placement) -> list[tuple[str, str]]:
    """(student, programme) pairs that would both rather have each other: empty when stable.

    A programme wants a student it does not hold when it has a free place, or when it holds
    someone it ranks lower.
    """
    capacity = {p.id: p.capacity for p in problem.programmes}
    score_of = {(s.id, c.programme): c.score for s in problem.students for c in s.choices}
    holders: dict[str, list[str]] = {p.id: [] for p in problem.programmes}
    for sid, pid in placement.assignments.items():
        holders[pid].append(sid)

    def prefers(pid: str, a: str, b: str) -> bool:
        """Programme ``pid`` ranks student ``a`` above student ``b``."""
        score_a, score_b = score_of[(a, pid)], score_of[(b, pid)]
        return score_a > score_b or (score_a == score_b and a < b)

    pairs = []
    for student in problem.students:
        current = placement.assignments.get(student.id)
        for choice in student.choices:
            if choice.programme == current:
                break
            held = holders[choice.programme]
            if len(held) < capacity[choice.programme] or any(
                prefers(choice.programme, student.id, other) for other in held
            ):
                pairs.append((student.id, choice.programme))
    return pairs


def first_choice_count(problem: Problem, placement: Placement) -> int:
    return sum(
        1
        for student in problem.students
        if student.choices and placement.assignments.get(student.id) == student.choices[0].programme
    )


# --- JSON ------------------------------------------------------------------------------------


def problem_from_json(data: Any) -> Problem:
    """Build and validate a Problem from parsed JSON; ProblemError names a bad item."""
    if not isinstance(data, dict):
        raise ProblemError("the problem must be an object with programmes and students")
    raw_programmes = data.get("programmes")
    raw_students = data.get("students")
    if not isinstance(raw_programmes, list):
        raise ProblemError('"programmes" must be a list')
    if not isinstance(raw_students, list):
        raise ProblemError('"students" must be a list')
    programmes = []
    for position, item in enumerate(raw_programmes, start=1):
        if not isinstance(item, dict) or "id" not in item or "capacity" not in item:
            raise ProblemError(f"programme {position}: needs an id and a capacity")
        programmes.append(Programme(id=str(item["id"]), capacity=item["capacity"]))
    students = []
    for position, item in enumerate(raw_students, start=1):
        if not isinstance(item, dict) or "id" not in item:
            raise ProblemError(f"student {position}: needs an id")
        sid = str(item["id"])
        raw_choices = item.get("choices", [])
        if not isinstance(raw_choices, list):
            raise ProblemError(f'student "{sid}": "choices" must be a list')
        choices = []
        for number, choice in enumerate(raw_choices, start=1):
            if not isinstance(choice, dict) or "programme" not in choice or "score" not in choice:
                raise ProblemError(
                    f'student "{sid}", choice {number}: needs a programme and a score'
                )
            choices.append(Choice(programme=str(choice["programme"]), score=choice["score"]))
        students.append(Student(id=sid, choices=tuple(choices)))
    problem = Problem(programmes=tuple(programmes), students=tuple(students))
    validate(problem)
    return problem


def placement_to_json(placement: Placement) -> dict[str, Any]:
    return {
        "assignments": [
            {"student": sid, "programme": pid} for sid, pid in placement.assignments.items()
        ],
        "unassigned": list(placement.unassigned),
        "seconds": round(placement.seconds, 6),
    }


def main(stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """CLI: problem JSON on stdin, placement JSON on stdout; invalid input exits with 2."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        problem = problem_from_json(json.loads(stdin.read()))
    except json.JSONDecodeError as error:
        print(f"invalid JSON: {error}", file=sys.stderr)
        return 2
    except ProblemError as error:
        print(f"invalid problem: {error}", file=sys.stderr)
        return 2
    json.dump(placement_to_json(place_students(problem, check=False)), stdout)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Tests of exchange placement: stability, student-optimality by brute force, re-runs, the CLI."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.algorithms.placement import (
    Choice,
    Placement,
    Problem,
    ProblemError,
    Programme,
    Student,
    blocking_pairs,
    first_choice_count,
    place_students,
    placement_to_json,
    problem_from_json,
)

ROOT = Path(__file__).resolve().parents[3]

# Few distinct scores so that ties (broken by id) come up often.
SCORES = st.sampled_from([-3.5, -1.0, 0.0, 0.0, 2.0, 71.5, 71.5, 90.0])


@st.composite
def problems(draw: Any, max_students: int = 5, max_programmes: int = 3) -> Problem:
    n_programmes = draw(st.integers(1, max_programmes))
    programmes = tuple(
        Programme(id=f"p{i}", capacity=draw(st.integers(0, 2))) for i in range(n_programmes)
    )
    n_students = draw(st.integers(0, max_students))
    students = []
    for i in range(n_students):
        chosen = draw(st.permutations([p.id for p in programmes]))
        length = draw(st.integers(0, len(chosen)))
        choices = tuple(Choice(programme=pid, score=draw(SCORES)) for pid in chosen[:length])
        # Ids that do not sort in list order, so the tie-break is really by id.
        students.append(Student(id=f"s{(i * 7) % 10}{i}", choices=choices))
    return Problem(programmes=programmes, students=tuple(students))


def _all_matchings(problem: Problem) -> list[dict[str, str]]:
    """Every assignment of students to one of their choices (or none) within capacities."""
    options = [[None, *(c.programme for c in s.choices)] for s in problem.students]
    capacity = {p.id: p.capacity for p in problem.programmes}
    matchings = []
    for combo in itertools.product(*options):
        used: dict[str, int] = {}
        for pid in combo:
            if pid is not None:
                used[pid] = used.get(pid, 0) + 1
        if all(count <= capacity[pid] for pid, count in used.items()):
            matchings.append(
                {s.id: pid for s, pid in zip(problem.students, combo, strict=True) if pid}
            )
    return matchings


def _rank(student: Student, pid: str | None) -> int:
    """Position of ``pid`` in the student's list; unplaced is worse than any choice."""
    for position, choice in enumerate(student.choices):
        if choice.programme == pid:
            return position
    return len(student.choices)


def _as_placement(problem: Problem, assignments: dict[str, str]) -> Placement:
    return Placement(
        assignments=assignments,
        unassigned=tuple(s.id for s in problem.students if s.id not in assignments),
    )


def brute_force_student_optimal(problem: Problem) -> dict[str, str]:
    stable = [
        m for m in _all_matchings(problem) if not blocking_pairs(problem, _as_placement(problem, m))
    ]
    assert stable, "a stable matching always exists"
    best = [
        m
        for m in stable
        if all(
            _rank(s, m.get(s.id)) <= _rank(s, other.get(s.id))
            for other in stable
            for s in problem.students
        )
    ]
    assert len(best) == 1, "the student-optimal stable matching exists and is unique"
    return best[0]


@settings(max_examples=300)
@given(problems(max_students=12, max_programmes=5))
def test_every_placement_is_stable_and_within_capacity(problem: Problem) -> None:
    placement = place_students(problem)
    assert blocking_pairs(problem, placement) == []
    capacity = {p.id: p.capacity for p in problem.programmes}
    for pid, cap in capacity.items():
        assert sum(1 for p in placement.assignments.values() if p == pid) <= cap
    for student in problem.students:
        placed = placement.assignments.get(student.id)
        assert placed is None or placed in {c.programme for c in student.choices}
    assert set(placement.assignments) | set(placement.unassigned) == {
        s.id for s in problem.students
    }


@settings(max_examples=300)
@given(problems(max_students=5, max_programmes=3))
def test_placement_is_the_student_optimal_matching_found_by_brute_force(problem: Problem) -> None:
    assert dict(place_students(problem).assignments) == brute_force_student_optimal(problem)


@settings(max_examples=200)
@given(problems(max_students=8, max_programmes=4), st.data())
def test_a_decline_and_rerun_leaves_everyone_else_at_least_as_well_off(
    problem: Problem, data: Any
) -> None:
    before = place_students(problem)
    if not before.assignments:
        return
    decliner = data.draw(st.sampled_from(sorted(before.assignments)))
    rerun_problem = Problem(
        programmes=problem.programmes,
        students=tuple(s for s in problem.students if s.id != decliner),
    )
    after = place_students(rerun_problem)
    for student in rerun_problem.students:
        assert _rank(student, after.assignments.get(student.id)) <= _rank(
            student, before.assignments.get(student.id)
        )


@settings(max_examples=100)
@given(problems(max_students=8, max_programmes=4), st.randoms())
def test_the_order_of_the_students_does_not_change_the_result(
    problem: Problem, random: Any
) -> None:
    shuffled = list(problem.students)
    random.shuffle(shuffled)
    again = Problem(programmes=problem.programmes, students=tuple(shuffled))
    assert dict(place_students(again).assignments) == dict(place_students(problem).assignments)


def test_ties_go_to_the_student_whose_id_sorts_first() -> None:
    problem = Problem(
        programmes=(Programme("p1", 1),),
        students=(
            Student("s2", (Choice("p1", 50.0),)),
            Student("s1", (Choice("p1", 50.0),)),
        ),
    )
    placement = place_students(problem)
    assert dict(placement.assignments) == {"s1": "p1"}
    assert placement.unassigned == ("s2",)


def test_negative_scores_rank_below_positive_ones() -> None:
    problem = Problem(
        programmes=(Programme("p1", 1), Programme("p2", 1)),
        students=(
            Student("a", (Choice("p1", -2.0), Choice("p2", 1.0))),
            Student("b", (Choice("p1", -1.0),)),
        ),
    )
    placement = place_students(problem)
    assert dict(placement.assignments) == {"b": "p1", "a": "p2"}
    assert first_choice_count(problem, placement) == 1


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (
            {"programmes": [{"id": "p1", "capacity": 1}], "students": [
                {"id": "s1", "choices": [{"programme": "p9", "score": 1}]}]},
            ['student "s1", choice 1', 'unknown programme "p9"'],
        ),
        (
            {"programmes": [{"id": "p1", "capacity": 1}], "students": [
                {"id": "s1", "choices": [{"programme": "p1", "score": 1},
                                         {"programme": "p1", "score": 2}]}]},
            ['student "s1", choice 2', '"p1" is listed twice'],
        ),
        (
            {"programmes": [{"id": "p1", "capacity": -1}], "students": []},
            ['programme "p1"', "negative"],
        ),
        (
            {"programmes": [{"id": "p1", "capacity": 1}], "students": [
                {"id": "s1", "choices": [{"programme": "p1", "score": "high"}]}]},
            ['student "s1", choice 1', "'high' is not a number"],
        ),
        (
            {"programmes": [{"id": "p1", "capacity": 1}], "students": [
                {"id": "s1", "choices": [{"programme": "p1", "score": True}]}]},
            ['student "s1", choice 1', "not a number"],
        ),
        (
            {"programmes": [{"id": "p1", "capacity": 1}, {"id": "p1", "capacity": 2}],
             "students": []},
            ['programme "p1" is listed twice'],
        ),
        (
            {"programmes": [{"id": "p1", "capacity": 1.5}], "students": []},
            ['programme "p1"', "not an integer"],
        ),
        ({"programmes": {}, "students": []}, ['"programmes" must be a list']),
    ],
)  # fmt: skip
def test_invalid_problems_name_the_item(data: dict[str, Any], names: list[str]) -> None:
    with pytest.raises(ProblemError) as error:
        problem_from_json(data)
    for name in names:
        assert name in str(error.value)


def _cli(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "setu.algorithms.placement"],
        input=stdin,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_line_reads_a_problem_and_writes_the_placement() -> None:
    problem = {
        "programmes": [{"id": "p1", "capacity": 1}, {"id": "p2", "capacity": 1}],
        "students": [
            {"id": "s1", "choices": [{"programme": "p1", "score": 71.5}]},
            {"id": "s2", "choices": [
                {"programme": "p1", "score": 80}, {"programme": "p2", "score": -4}]},
            {"id": "s7", "choices": []},
        ],
    }  # fmt: skip
    result = _cli(json.dumps(problem))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["assignments"] == [{"student": "s2", "programme": "p1"}]
    assert output["unassigned"] == ["s1", "s7"]
    assert isinstance(output["seconds"], float)
    assert set(output) == {"assignments", "unassigned", "seconds"}


@pytest.mark.parametrize(
    ("stdin", "named"),
    [
        ("{not json", "invalid JSON"),
        (
            '{"programmes": [{"id": "p1", "capacity": 1}], "students": '
            '[{"id": "s3", "choices": [{"programme": "nope", "score": 1}]}]}',
            'student "s3", choice 1: unknown programme "nope"',
        ),
        ('{"programmes": [{"id": "p1", "capacity": -2}], "students": []}', 'programme "p1"'),
    ],
)
def test_the_command_line_exits_2_on_invalid_input(stdin: str, named: str) -> None:
    result = _cli(stdin)
    assert result.returncode == 2
    assert named in result.stderr
    assert result.stdout == ""


def test_placement_to_json_keeps_the_students_order() -> None:
    placement = Placement(assignments={"b": "p1", "a": "p2"}, unassigned=("c",), seconds=0.1234567)
    assert placement_to_json(placement) == {
        "assignments": [{"student": "b", "programme": "p1"}, {"student": "a", "programme": "p2"}],
        "unassigned": ["c"],
        "seconds": 0.123457,
    }

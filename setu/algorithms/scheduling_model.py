"""Plain data types of the B2B meeting scheduler and the checks on them.

Everything here is standard library only: the scheduler's public API in
:mod:`setu.algorithms.scheduling` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

UNPLACED_REASONS: Final = (
    "no_common_free_slot",
    "participant_full",
    "no_table",
    "no_interpreter",  # only when the problem has interpreters or languages
)


class ProblemError(ValueError):
    """The problem (or the fixed meetings given with it) is invalid; the message names the item."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone who holds meetings: ``unavailable`` slots are 0-based, ``table`` is 0-based."""

    id: str
    side: str | None = None
    unavailable: frozenset[int] = frozenset()
    table: int | None = None
    languages: frozenset[str] = frozenset()  # empty: not stated, never needs an interpreter


@dataclass(frozen=True, slots=True)
class Interpreter:
    """Someone who interprets between any two of ``languages``, one meeting per slot."""

    id: str
    languages: frozenset[str] = frozenset()
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Request:
    """An accepted meeting request between participants ``a`` and ``b``."""

    id: str
    a: str
    b: str
    priority: int = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """A scheduling problem; construction validates it and raises :class:`ProblemError`."""

    slots: int
    tables: tuple[int, ...]
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    interpreters: tuple[Interpreter, ...] = ()

    def __post_init__(self) -> None:
        _check_problem(self)


@dataclass(frozen=True, slots=True)
class Meeting:
    """Request ``request`` takes place in ``slot`` at ``table`` (both 0-based)."""

    request: str
    slot: int
    table: int
    interpreter: str | None = None


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A request left out of the schedule, with one of :data:`UNPLACED_REASONS`."""

    request: str
    reason: str


@dataclass(frozen=True, slots=True)
class Bound:
    """Upper bounds on what any valid schedule can place: meetings and total priority."""

    meetings: int
    priority: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """The result of a scheduler run."""

    meetings: tuple[Meeting, ...]
    placed: int
    upper_bound: int
    priority_placed: int
    priority_upper_bound: int
    seconds: float
    unplaced: tuple[Unplaced, ...]


def _check_problem(problem: Problem) -> None:
    slots = problem.slots
    if not _is_int(slots) or slots < 0:
        raise ProblemError(f"slots: must be a non-negative integer, got {slots!r}")
    if not isinstance(problem.tables, tuple):
        raise ProblemError("tables: must be a tuple with one table count per slot")
    if len(problem.tables) != slots:
        raise ProblemError(
            f"tables: expected {slots} per-slot table counts, got {len(problem.tables)}"
        )
    for slot, count in enumerate(problem.tables):
        if not _is_int(count) or count < 0:
            raise ProblemError(f"tables: slot {slot} has an invalid table count {count!r}")
    most_tables = max(problem.tables, default=0)
    seen: set[str] = set()
    for person in problem.participants:
        if not isinstance(person.id, str) or not person.id:
            raise ProblemError(f"participant {person.id!r}: id must be a non-empty string")
        if person.id in seen:
            raise ProblemError(f'participant "{person.id}": duplicate participant id')
        seen.add(person.id)
        if person.side is not None and not isinstance(person.side, str):
            raise ProblemError(f'participant "{person.id}": side must be a string')
        for slot in person.unavailable:
            if not _is_int(slot) or not 0 <= slot < slots:
                raise ProblemError(
                    f'participant "{person.id}": unavailable slot {slot!r} is not in 0..{slots - 1}'
                )
        if person.table is not None and (
            not _is_int(person.table) or not 0 <= person.table < most_tables
        ):
            raise ProblemError(
                f'participant "{person.id}": table {person.table!r} is not in 0..{most_tables - 1}'
            )
    _check_interpreters(problem)
    request_ids: set[str] = set()
    for request in problem.requests:
        if not isinstance(request.id, str) or not request.id:
            raise ProblemError(f"request {request.id!r}: id must be a non-empty string")
        if request.id in request_ids:
            raise ProblemError(f'request "{request.id}": duplicate request id')
        request_ids.add(request.id)
        for end in (request.a, request.b):
            if end not in seen:
                raise ProblemError(
                    f'request "{request.id}": participant "{end}" is not in participants'
                )
        if request.a == request.b:
            raise ProblemError(f'request "{request.id}": a participant cannot meet themself')
        if not _is_int(request.priority) or request.priority < 0:
            raise ProblemError(
                f'request "{request.id}": priority must be a non-negative integer, '
                f"got {request.priority!r}"
            )


def needs_interpreter(a: Participant, b: Participant) -> bool:
    """Whether a meeting of ``a`` and ``b`` needs an interpreter: they share no stated language."""
    return bool(a.languages) and bool(b.languages) and not (a.languages & b.languages)


def can_interpret(interpreter: Interpreter, a: Participant, b: Participant) -> bool:
    """Whether ``interpreter`` covers a language of each side."""
    return bool(interpreter.languages & a.languages) and bool(interpreter.languages & b.languages)


def _check_interpreters(problem: Problem) -> None:
    ids: set[str] = set()
    for person in problem.interpreters:
        if not isinstance(person.id, str) or not person.id:
            raise ProblemError(f"interpreter {person.id!r}: id must be a non-empty string")
        if person.id in ids:
            raise ProblemError(f'interpreter "{person.id}": duplicate interpreter id')
        ids.add(person.id)
        if len(person.languages) < 2:
            raise ProblemError(f'interpreter "{person.id}": needs at least two languages')
        for slot in person.unavailable:
            if not _is_int(slot) or not 0 <= slot < problem.slots:
                raise ProblemError(
                    f'interpreter "{person.id}": unavailable slot {slot!r} '
                    f"is not in 0..{problem.slots - 1}"
                )


def validate_schedule(problem: Problem, meetings: Iterable[Meeting]) -> list[str]:
    """Every rule the meetings break, one human-readable line each; empty when valid."""
    people = {person.id: person for person in problem.participants}
    requests = {request.id: request for request in problem.requests}
    errors: list[str] = []
    scheduled: set[str] = set()
    busy: dict[tuple[str, int], str] = {}
    tables_used: dict[tuple[int, int], str] = {}
    per_slot: dict[int, int] = {}
    interpreters = {person.id: person for person in problem.interpreters}
    interpreting: dict[tuple[str, int], str] = {}
    for meeting in meetings:
        name = f'meeting "{meeting.request}"'
        request = requests.get(meeting.request)
        if request is None:
            errors.append(f"{name}: no such request")
            continue
        if meeting.request in scheduled:
            errors.append(f"{name}: the request is scheduled more than once")
            continue
        scheduled.add(meeting.request)
        if not _is_int(meeting.slot) or not 0 <= meeting.slot < problem.slots:
            errors.append(f"{name}: slot {meeting.slot!r} is not in 0..{problem.slots - 1}")
            continue
        slot = meeting.slot
        count = problem.tables[slot]
        if not _is_int(meeting.table) or not 0 <= meeting.table < count:
            errors.append(
                f"{name}: table {meeting.table!r} does not exist in slot {slot} ({count} tables)"
            )
        per_slot[slot] = per_slot.get(slot, 0) + 1
        ends = (people[request.a], people[request.b])
        for person in ends:
            if slot in person.unavailable:
                errors.append(f'{name}: participant "{person.id}" is unavailable in slot {slot}')
            other = busy.get((person.id, slot))
            if other is not None:
                errors.append(
                    f'{name}: participant "{person.id}" already meets in slot {slot} ("{other}")'
                )
            else:
                busy[(person.id, slot)] = meeting.request
        fixed = [person.table for person in ends if person.table is not None]
        if fixed and meeting.table not in fixed:
            wanted = " or ".join(str(table) for table in fixed)
            errors.append(
                f"{name}: table {meeting.table!r} but a participant is fixed to table {wanted}"
            )
        errors.extend(_interpreter_errors(meeting, ends, interpreters, interpreting))
        holder = tables_used.get((slot, meeting.table))
        if holder is not None:
            errors.append(f'{name}: table {meeting.table} in slot {slot} is taken by "{holder}"')
        else:
            tables_used[(slot, meeting.table)] = meeting.request
    for slot, used in sorted(per_slot.items()):
        if used > problem.tables[slot]:
            errors.append(f"slot {slot}: {used} meetings but only {problem.tables[slot]} tables")
    return errors


def _interpreter_errors(
    meeting: Meeting,
    ends: tuple[Participant, Participant],
    interpreters: dict[str, Interpreter],
    interpreting: dict[tuple[str, int], str],
) -> list[str]:
    name = f'meeting "{meeting.request}"'
    if meeting.interpreter is None:
        if needs_interpreter(*ends):
            return [f"{name}: the participants share no language and no interpreter is assigned"]
        return []
    interpreter = interpreters.get(meeting.interpreter)
    if interpreter is None:
        return [f'{name}: no such interpreter "{meeting.interpreter}"']
    errors = []
    if not can_interpret(interpreter, *ends):
        errors.append(
            f'{name}: interpreter "{interpreter.id}" does not cover a language of each side'
        )
    if meeting.slot in interpreter.unavailable:
        errors.append(
            f'{name}: interpreter "{interpreter.id}" is unavailable in slot {meeting.slot}'
        )
    other = interpreting.get((interpreter.id, meeting.slot))
    if other is not None:
        errors.append(
            f'{name}: interpreter "{interpreter.id}" already interprets in slot '
            f'{meeting.slot} ("{other}")'
        )
    else:
        interpreting[(interpreter.id, meeting.slot)] = meeting.request
    return errors

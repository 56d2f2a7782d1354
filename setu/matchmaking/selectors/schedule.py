"""Reads for the organiser's scheduling: the scheduler's input built from rows, runs, drafts.

``scheduling_input`` turns a matchmaking into a :class:`setu.algorithms.scheduling.Problem` in
five queries whatever its size (six with interpreters). Participant, request and interpreter
ids in the problem are ``"p<pk>"``, ``"r<pk>"`` and ``"i<pk>"``; slots are numbered by their
position in ``Slot.index`` order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from setu.algorithms.scheduling import Interpreter as Interpreting
from setu.algorithms.scheduling import Meeting as PlannedMeeting
from setu.algorithms.scheduling import Participant as Person
from setu.algorithms.scheduling import Problem, Request
from setu.matchmaking.models import (
    Interpreter,
    Matchmaking,
    Meeting,
    MeetingMode,
    MeetingRequest,
    Participant,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Slot,
)

ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


def participant_key(pk: int) -> str:
    return f"p{pk}"


def request_key(pk: int) -> str:
    return f"r{pk}"


def interpreter_key(pk: int) -> str:
    return f"i{pk}"


def key_pk(key: str) -> int:
    return int(key[1:])


def codes(languages: str) -> frozenset[str]:
    """Language codes from a comma-separated field, lower case."""
    return frozenset(code.strip().lower() for code in languages.split(",") if code.strip())


@dataclass(frozen=True, slots=True)
class PersonRow:
    pk: int
    side: str
    mode: str
    online_url: str
    fixed_table: int | None
    unavailable: frozenset[int]  # slot positions
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RequestRow:
    pk: int
    a: int  # requester's participant pk
    b: int  # recipient's participant pk
    priority: int


@dataclass(frozen=True)
class SchedulingInput:
    """The problem for the scheduler and what is needed to turn its answer back into rows."""

    matchmaking: Matchmaking
    problem: Problem
    slot_pks: tuple[int, ...]  # slot position → Slot pk
    people: dict[int, PersonRow]
    requests: dict[int, RequestRow]
    online: frozenset[int]  # pks of requests that become online meetings
    # Fixed tables that exist in no slot: left out of the problem, refused by the services.
    bad_fixed_tables: tuple[tuple[int, int], ...] = ()
    positions: dict[int, int] = field(default_factory=dict)  # Slot pk → position

    @property
    def tables_limit(self) -> bool:
        """Whether tables limit meetings at all (not when every meeting is online)."""
        return self.matchmaking.mode != MeetingMode.ONLINE

    def planned(self, meetings: Iterable[Meeting]) -> list[PlannedMeeting]:
        """Meeting rows as the scheduler's meetings (rows whose slot left the grid are skipped)."""
        interpreters = {person.id for person in self.problem.interpreters}
        planned = []
        for m in meetings:
            if m.slot_id not in self.positions:
                continue
            interpreter = None if m.interpreter_id is None else interpreter_key(m.interpreter_id)
            planned.append(
                PlannedMeeting(
                    request_key(m.request_id),
                    self.positions[m.slot_id],
                    m.table,
                    interpreter if interpreter in interpreters else None,
                )
            )
        return planned


def is_online_request(matchmaking: Matchmaking, mode_a: str, mode_b: str) -> bool:
    """Online when the whole matchmaking is, or (mode "both") when either side only meets online."""
    if matchmaking.mode == MeetingMode.ONLINE:
        return True
    if matchmaking.mode == MeetingMode.BOTH:
        return MeetingMode.ONLINE in (mode_a, mode_b)
    return False


def scheduling_input(*, matchmaking: Matchmaking) -> SchedulingInput:
    """The matchmaking's active participants, accepted requests between them, slots and tables.

    Five queries, independent of the number of participants, requests and slots (one more
    when the event has interpreters). When the matchmaking is online only, tables do not limit
    anything: each slot gets as many tables as there are requests. Languages only count when
    the event has interpreters: without any, meetings are placed whatever the sides speak, as
    before interpreters existed.
    """
    slots = list(
        Slot.objects.filter(matchmaking=matchmaking).order_by("index").values_list("pk", "tables")
    )
    positions = {pk: i for i, (pk, _) in enumerate(slots)}
    rows = list(
        Participant.objects.filter(matchmaking=matchmaking, active=True)
        .order_by("pk")
        .values_list("pk", "side", "mode", "online_url", "fixed_table", "languages")
    )
    away: dict[int, set[int]] = defaultdict(set)
    for participant_id, slot_id in Participant.unavailable.through.objects.filter(
        participant__matchmaking=matchmaking, participant__active=True
    ).values_list("participant_id", "slot_id"):
        if slot_id in positions:
            away[participant_id].add(positions[slot_id])
    active = {row[0] for row in rows}
    # Accepted requests of the matchmaking, kept when both ends are active: filtered here rather
    # than by joining the participants twice, which the (matchmaking, status) index serves alone.
    requests = {
        pk: RequestRow(pk, a, b, priority)
        for pk, a, b, priority in MeetingRequest.objects.filter(
            matchmaking=matchmaking, status=RequestStatus.ACCEPTED
        )
        .order_by("pk")
        .values_list("pk", "requester_id", "recipient_id", "priority")
        if a in active and b in active
    }
    online_only = matchmaking.mode == MeetingMode.ONLINE
    if online_only:
        tables = tuple(max(1, len(requests)) for _ in slots)
    else:
        tables = tuple(matchmaking.tables if count is None else count for _, count in slots)
    most = max(tables, default=0)
    people: dict[int, PersonRow] = {}
    bad: list[tuple[int, int]] = []
    staff = _interpreters(matchmaking, positions)
    for pk, side, mode, online_url, fixed, spoken in rows:
        if online_only:
            fixed = None
        elif fixed is not None and fixed >= most:
            bad.append((pk, fixed))
            fixed = None
        people[pk] = PersonRow(
            pk,
            side,
            mode,
            online_url,
            fixed,
            frozenset(away.get(pk, ())),
            codes(spoken) if staff else frozenset(),
        )
    problem = Problem(
        slots=len(slots),
        tables=tables,
        participants=tuple(
            Person(
                participant_key(p.pk),
                side=p.side,
                unavailable=p.unavailable,
                table=p.fixed_table,
                languages=p.languages,
            )
            for p in people.values()
        ),
        interpreters=staff,
        requests=tuple(
            Request(request_key(r.pk), participant_key(r.a), participant_key(r.b), r.priority)
            for r in requests.values()
        ),
    )
    online = frozenset(
        r.pk
        for r in requests.values()
        if is_online_request(matchmaking, people[r.a].mode, people[r.b].mode)
    )
    return SchedulingInput(
        matchmaking=matchmaking,
        problem=problem,
        slot_pks=tuple(pk for pk, _ in slots),
        people=people,
        requests=requests,
        online=online,
        bad_fixed_tables=tuple(bad),
        positions=positions,
    )


def _interpreters(matchmaking: Matchmaking, positions: dict[int, int]) -> tuple[Interpreting, ...]:
    """The event's interpreters for the scheduler (those with fewer than two languages are
    left out: they can interpret nothing)."""
    rows = list(
        Interpreter.objects.filter(matchmaking=matchmaking)
        .order_by("pk")
        .values_list("pk", "languages")
    )
    if not rows:
        return ()
    away: dict[int, set[int]] = defaultdict(set)
    for interpreter_id, slot_id in Interpreter.unavailable.through.objects.filter(
        interpreter__matchmaking=matchmaking
    ).values_list("interpreter_id", "slot_id"):
        if slot_id in positions:
            away[interpreter_id].add(positions[slot_id])
    return tuple(
        Interpreting(interpreter_key(pk), codes(spoken), frozenset(away.get(pk, ())))
        for pk, spoken in rows
        if len(codes(spoken)) >= 2
    )


# --- runs -------------------------------------------------------------------------------------


def run_list(*, matchmaking: Matchmaking) -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.filter(matchmaking=matchmaking).select_related(
        "created_by", "published_by", "based_on"
    )


def access_run(*, matchmaking: Matchmaking, run_pk: Any) -> ScheduleRun:
    """A run of this matchmaking, else 404."""
    try:
        run = run_list(matchmaking=matchmaking).get(pk=run_pk)
    except (ScheduleRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    run.matchmaking = matchmaking  # keep the event access_matchmaking annotated
    return run


def published_run(*, matchmaking: Matchmaking) -> ScheduleRun | None:
    return run_list(matchmaking=matchmaking).filter(status=RunStatus.PUBLISHED).first()


@dataclass(frozen=True)
class SetupFigures:
    """What the scheduler would work with now, for the schedule page."""

    participants: int
    accepted: int
    slots: int
    tables: int  # in all slots together


def setup_figures(*, matchmaking: Matchmaking) -> SetupFigures:
    participants = Participant.objects.filter(matchmaking=matchmaking, active=True).count()
    accepted = MeetingRequest.objects.filter(
        matchmaking=matchmaking,
        status=RequestStatus.ACCEPTED,
        requester__active=True,
        recipient__active=True,
    ).count()
    slot_tables = list(
        Slot.objects.filter(matchmaking=matchmaking).values_list("tables", flat=True)
    )
    tables = sum(matchmaking.tables if t is None else t for t in slot_tables)
    return SetupFigures(participants, accepted, len(slot_tables), tables)

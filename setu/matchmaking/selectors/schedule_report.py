"""Reads for the organiser's review of a run: the draft's report, its meetings, the slots a
meeting could move to, and the slots × tables grid."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from setu.algorithms.scheduling import meeting_upper_bound
from setu.core.i18n import fallback_order
from setu.core.timefmt import zone
from setu.matchmaking.models import (
    Matchmaking,
    Meeting,
    MeetingMode,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Slot,
    Unplaced,
)
from setu.matchmaking.selectors.interpreters import SlotLoad, interpreter_load
from setu.matchmaking.selectors.schedule import SchedulingInput, scheduling_input

# Warn when tables per slot fall below this share of the bound per slot: tables, not people,
# then limit the schedule (docs/scheduling.md, "Warning when tables bind").
TABLES_HEADROOM = 1.1
# Rows the draft page lists of the unplaced requests and of the participants' loads (the XLSX
# export lists every one): rendering 10,000 rows took most of the page's second.
UNPLACED_SHOWN = 100
LOADS_SHOWN = 100
MEETINGS_PER_PAGE = 50
MEETING_ORDER = ("slot__index", "online", "table", "pk")


@dataclass(frozen=True, slots=True)
class PersonLoad:
    """One participant's line of the draft page: read as plain values, not as model instances
    (2,000 participants with their organisations cost the page most of its time)."""

    participant_id: int
    name: str  # the organisation's name in the reader's language, as ``str(organisation)``
    active: bool
    meetings: int = 0
    idle: int = 0


@dataclass
class MovedOut:
    """A published meeting the reschedule did not keep where it was."""

    request: MeetingRequest
    was: Slot
    was_table: int
    now: Slot | None  # None: not in the new schedule
    now_table: int | None


@dataclass
class RunReport:
    run: ScheduleRun
    unplaced: list[Unplaced]
    loads: list[PersonLoad]  # the LOADS_SHOWN with the most meetings
    loads_total: int  # everyone with a line: taking part, or with meetings
    mean_idle: float
    tables_per_slot: float
    add_tables: int  # 0: tables are not likely to limit the schedule
    moved_out: list[MovedOut]
    slots: list[Slot]
    unplaced_total: int = 0
    interpreter_load: list[SlotLoad] = field(default_factory=list)
    interpreter_advice: list[InterpreterAdvice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class InterpreterAdvice:
    pair: str  # "Japanese–Hindi"
    slots: str  # "3–5" or "2, 7"
    more: int


def slot_days(slots: Iterable[Slot], venue_zone: str) -> dict[int, date]:
    """Slot pk → the venue's date of its start."""
    tz = zone(venue_zone)
    return {slot.pk: slot.starts_at.astimezone(tz).date() for slot in slots}


def idle_slots(busy: Iterable[int], day_of: dict[int, date], order: dict[int, int]) -> int:
    """Idle slots between a participant's first and last meeting of each day.

    ``busy`` are the slot pks of their meetings; ``order`` is each slot's position within its day.
    """
    by_day: dict[date, list[int]] = defaultdict(list)
    for slot_pk in busy:
        by_day[day_of[slot_pk]].append(order[slot_pk])
    return sum(max(p) - min(p) + 1 - len(p) for p in by_day.values())


def _day_order(slots: list[Slot], day_of: dict[int, date]) -> dict[int, int]:
    counters: dict[date, int] = defaultdict(int)
    order = {}
    for slot in slots:
        day = day_of[slot.pk]
        order[slot.pk] = counters[day]
        counters[day] += 1
    return order


def tables_advice(*, tables_per_slot: float, upper_bound: int, slots: int) -> int:
    """About how many tables to add per slot so that tables stop limiting the schedule; 0 if none.

    Tables bind when ``tables per slot < 1.1 × upper bound / slots``.
    """
    if slots == 0 or upper_bound == 0:
        return 0
    wanted = round(TABLES_HEADROOM * upper_bound / slots, 9)  # 1.1 × 100 / 10 is 11, not 11.0…02
    if tables_per_slot >= wanted:
        return 0
    return max(1, math.ceil(round(wanted - tables_per_slot, 9)))


def tables_cap(*, active: int, tables_per_slot: float, more_meetings: int) -> int:
    """The most tables per slot worth adding.

    A slot holds at most ``active // 2`` meetings at once (each needs two of the participants
    taking part), so tables beyond that stay empty; and no more tables than the meetings a
    schedule could still add (``more_meetings``: the unplaced accepted requests, or fewer when
    the bound without table limits says so) can ever be used.
    """
    room = math.floor(round(active // 2 - tables_per_slot, 9))
    return max(0, min(room, more_meetings))


def people_bound(*, matchmaking: Matchmaking) -> int:
    """The upper bound on meetings if tables were unlimited: what the participants allow."""
    return people_bound_of(scheduling_input(matchmaking=matchmaking))


def people_bound_of(data: SchedulingInput) -> int:
    """:func:`people_bound` of an input already read (the worker stores it on the run)."""
    if not data.problem.slots:
        return 0
    plenty = max(len(data.requests), *data.problem.tables, 1)
    return meeting_upper_bound(
        replace(data.problem, tables=(plenty,) * data.problem.slots)
    ).meetings


def run_report(*, run: ScheduleRun) -> RunReport:
    """Everything a draft's page shows besides the meetings themselves, in a fixed number of
    queries: the unplaced requests, each participant's load and idle slots, the tables advice,
    and for a reschedule the published meetings it moved."""
    matchmaking = run.matchmaking
    slots = list(Slot.objects.filter(matchmaking=matchmaking).order_by("index"))
    day_of = slot_days(slots, matchmaking.event.venue_zone)
    order = _day_order(slots, day_of)
    # The page lists the highest-priority unplaced requests; the XLSX export has them all.
    # They are chosen on the requests' priority alone, then only those are read with both
    # sides: joining every unplaced request to its organisations first, to keep 100, cost
    # PostgreSQL most of 100 ms at 10,000 unplaced.
    left_out = Unplaced.objects.filter(run=run)
    by_priority = ("-request__priority", "request_id")
    first = left_out.order_by(*by_priority).values("pk")[:UNPLACED_SHOWN]
    unplaced = list(
        Unplaced.objects.filter(pk__in=first)
        .select_related("request__requester__organisation", "request__recipient__organisation")
        .order_by(*by_priority)
    )
    unplaced_total = left_out.count() if len(unplaced) == UNPLACED_SHOWN else len(unplaced)
    busy: dict[int, list[int]] = defaultdict(list)
    placed: dict[int, tuple[int, int]] = {}
    for request_id, a, b, slot_id, table in Meeting.objects.filter(run=run).values_list(
        "request_id", "request__requester_id", "request__recipient_id", "slot_id", "table"
    ):
        busy[a].append(slot_id)
        busy[b].append(slot_id)
        placed[request_id] = (slot_id, table)
    # The organisation's names in the reader's fallback order: the first one set is what
    # ``str(organisation)`` shows (Organisation.display_name).
    languages = fallback_order()
    participants = Participant.objects.filter(matchmaking=matchmaking).values_list(
        "pk", "active", *(f"organisation__name_{code}" for code in languages)
    )
    loads = []
    active = 0
    for pk, is_active, *names in participants:
        active += is_active
        meetings = busy.get(pk)
        if is_active or meetings:
            name = next((str(n) for n in names if n), "")
            loads.append(
                PersonLoad(
                    pk,
                    name,
                    is_active,
                    len(meetings) if meetings else 0,
                    idle_slots(meetings, day_of, order) if meetings else 0,
                )
            )
    loads.sort(key=lambda load: (-load.meetings, load.name.lower()))
    with_meetings = [load for load in loads if load.meetings]
    mean_idle = (
        sum(load.idle for load in with_meetings) / len(with_meetings) if with_meetings else 0
    )
    total_tables = sum(s.table_count(matchmaking) for s in slots)
    per_slot = total_tables / len(slots) if slots else 0.0
    add = 0
    if matchmaking.mode != MeetingMode.ONLINE:
        add = tables_advice(tables_per_slot=per_slot, upper_bound=run.upper_bound, slots=len(slots))
        if add:
            # The run's bound is capped by the tables it had; ask what people alone allow
            # (stored by the worker; runs from before it did are computed here).
            allowed = run.people_bound
            if allowed is None:
                allowed = people_bound(matchmaking=matchmaking)
            wanted = max(run.upper_bound, allowed)
            add = tables_advice(tables_per_slot=per_slot, upper_bound=wanted, slots=len(slots))
            # Never more than could be used: what the people allow at once, what is left.
            more = min(unplaced_total, max(0, wanted - run.placed))
            add = min(add, tables_cap(active=active, tables_per_slot=per_slot, more_meetings=more))
    return RunReport(
        run=run,
        unplaced=unplaced,
        unplaced_total=unplaced_total,
        loads=loads[:LOADS_SHOWN],
        loads_total=len(loads),
        mean_idle=mean_idle,
        tables_per_slot=per_slot,
        add_tables=add,
        moved_out=_moved_out(run, placed, {s.pk: s for s in slots}),
        slots=slots,
        interpreter_load=interpreter_load(run=run, slots=slots),
        interpreter_advice=[_advice(item) for item in run.interpreter_advice or []],
    )


def _advice(item: dict[str, Any]) -> InterpreterAdvice:
    names = dict(settings.LANGUAGES)
    pair = "–".join(str(names.get(code, code)) for code in item["languages"])
    return InterpreterAdvice(pair=pair, slots=slot_ranges(item["slots"]), more=item["more"])


def slot_ranges(positions: Iterable[int]) -> str:
    """0-based slot positions as 1-based ranges: [2, 3, 4, 7] → "3–5, 8"."""
    ranges: list[list[int]] = []
    for p in sorted(positions):
        if ranges and ranges[-1][1] == p:
            ranges[-1][1] = p + 1
        else:
            ranges.append([p, p + 1])
    return ", ".join(str(a + 1) if b == a + 1 else f"{a + 1}–{b}" for a, b in ranges)


def _moved_out(
    run: ScheduleRun, placed: dict[int, tuple[int, int]], slots: dict[int, Slot]
) -> list[MovedOut]:
    if run.based_on_id is None:
        return []
    moved = []
    for meeting in Meeting.objects.filter(run_id=run.based_on_id).select_related(
        "slot", "request__requester__organisation", "request__recipient__organisation"
    ):
        now = placed.get(meeting.request_id)
        if now == (meeting.slot_id, meeting.table):
            continue
        moved.append(
            MovedOut(
                request=meeting.request,
                was=meeting.slot,
                was_table=meeting.table,
                now=slots.get(now[0]) if now else None,
                now_table=now[1] if now else None,
            )
        )
    return moved


def run_meetings(*, run: ScheduleRun) -> QuerySet[Meeting]:
    """The run's meetings with both organisations, by slot and table."""
    return (
        Meeting.objects.filter(run=run)
        .select_related(
            "slot",
            "request__requester__organisation",
            "request__recipient__organisation",
            "request__requester__contact",
            "request__recipient__contact",
        )
        .order_by(*MEETING_ORDER)
    )


def run_meetings_page(*, run: ScheduleRun, number: str | None) -> Page[Any]:
    """Page ``number`` of :func:`run_meetings` (the draft page's list, MEETINGS_PER_PAGE each).

    The page's meetings are chosen on the meetings and their slots alone, then only those are
    read with their requests, organisations and contacts: joining a whole run first (10,000
    meetings) to keep 50 cost PostgreSQL over 100 ms. The chosen pks are passed as values, not
    as a subquery, for which PostgreSQL still joined the whole run. Three queries: the count,
    the page's pks, its meetings.
    """
    ordered = Meeting.objects.filter(run=run).order_by(*MEETING_ORDER)
    page: Page[Any] = Paginator(ordered.values_list("pk", flat=True), MEETINGS_PER_PAGE).get_page(
        number
    )
    page.object_list = list(run_meetings(run=run).filter(pk__in=list(page.object_list)))
    return page


def access_meeting(*, run: ScheduleRun, meeting_pk: Any) -> Meeting:
    try:
        meeting = run_meetings(run=run).get(pk=meeting_pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    meeting.run = run
    return meeting


def access_unplaced_request(*, run: ScheduleRun, request_pk: Any) -> MeetingRequest:
    """An accepted request of the run's matchmaking that the run has not placed, else 404."""
    requests = MeetingRequest.objects.filter(matchmaking_id=run.matchmaking_id).select_related(
        "requester__organisation", "recipient__organisation"
    )
    try:
        request = requests.get(pk=request_pk)
    except (MeetingRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if Meeting.objects.filter(run=run, request=request).exists():
        raise Http404
    return request


@dataclass
class SlotChoice:
    slot: Slot
    free_tables: int
    both_free: bool
    label: str = ""


def slot_choices(
    *, run: ScheduleRun, request: MeetingRequest, ignore_meeting: int | None = None
) -> list[SlotChoice]:
    """Each slot with its free tables and whether both sides of ``request`` are free in it."""
    matchmaking = run.matchmaking
    slots = list(Slot.objects.filter(matchmaking=matchmaking).order_by("index"))
    sides = (request.requester_id, request.recipient_id)
    meetings = Meeting.objects.filter(run=run).exclude(
        pk__in=[ignore_meeting] if ignore_meeting else []
    )
    used = dict(
        meetings.values("slot_id").annotate(n=Count("id")).values_list("slot_id", "n").order_by()
    )
    busy = set(
        meetings.filter(Q(request__requester_id__in=sides) | Q(request__recipient_id__in=sides))
        .values_list("slot_id", flat=True)
        .order_by()
    )
    away = set(
        Participant.unavailable.through.objects.filter(participant_id__in=sides).values_list(
            "slot_id", flat=True
        )
    )
    online_only = matchmaking.mode == MeetingMode.ONLINE
    return [
        SlotChoice(
            slot=slot,
            free_tables=1
            if online_only
            else max(0, slot.table_count(matchmaking) - used.get(slot.pk, 0)),
            both_free=slot.pk not in busy and slot.pk not in away,
        )
        for slot in slots
    ]


# --- the grid -----------------------------------------------------------------------------------


@dataclass
class GridRow:
    slot: Slot
    cells: list[Meeting | bool | None]  # a meeting, None (free) or False (no such table)
    online: list[Meeting]  # when every meeting is online, there are no table columns


@dataclass
class Grid:
    days: list[date]
    day: date | None
    tables: list[str]  # column labels
    rows: list[GridRow]
    online_only: bool


def schedule_grid(*, run: ScheduleRun, day: date | None) -> Grid:
    """Slots × tables of a run, for one venue day (the first when ``day`` is not one of them)."""
    matchmaking = run.matchmaking
    slots = list(Slot.objects.filter(matchmaking=matchmaking).order_by("index"))
    day_of = slot_days(slots, matchmaking.event.venue_zone)
    days = sorted(set(day_of.values()))
    if day not in days:
        day = days[0] if days else None
    shown = [slot for slot in slots if day_of[slot.pk] == day]
    online_only = matchmaking.mode == MeetingMode.ONLINE
    width = 0 if online_only else max((s.table_count(matchmaking) for s in shown), default=0)
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in run_meetings(run=run).filter(slot__in=shown):
        by_slot[meeting.slot_id].append(meeting)
    rows = []
    for slot in shown:
        count = slot.table_count(matchmaking)
        cells: list[Meeting | bool | None] = [None if t < count else False for t in range(width)]
        online = []
        for meeting in by_slot.get(slot.pk, []):
            # With mode "both", an online meeting still holds its table (docs/matchmaking.md).
            if online_only:
                online.append(meeting)
            elif meeting.table < width:
                cells[meeting.table] = meeting
        rows.append(GridRow(slot, cells, online))
    return Grid(
        days=days,
        day=day,
        tables=[matchmaking.table_label(t) for t in range(width)],
        rows=rows,
        online_only=online_only,
    )

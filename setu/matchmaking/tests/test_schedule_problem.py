"""The scheduler's input built from rows: what goes in, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from setu.algorithms.scheduling import meeting_upper_bound, schedule_meetings, validate_schedule
from setu.conftest import World
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import MeetingMode, RequestStatus, Slot
from setu.matchmaking.selectors.schedule import participant_key, request_key, scheduling_input
from setu.matchmaking.selectors.schedule_report import tables_advice, tables_cap
from setu.matchmaking.tests.factories import accepted, matchmaking_for
from setu.matchmaking.tests.schedule_builders import companies

pytestmark = pytest.mark.django_db


def test_problem_holds_active_participants_and_accepted_requests(world: World) -> None:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=4, tables=3)
    jp = companies(mm, 3)
    india = companies(mm, 2, country="IN")
    gone = companies(mm, 1, active=False)[0]
    slots = list(Slot.objects.filter(matchmaking=mm).order_by("index"))
    jp[0].unavailable.add(slots[1], slots[3])
    jp[1].fixed_table = 2
    jp[1].save()
    slots[2].tables = 1
    slots[2].save()
    kept = accepted(jp[0], india[0], priority=3)
    accepted(jp[1], india[1])
    accepted(jp[2], gone)  # the other side left
    pending = accepted(jp[2], india[0])
    pending.status = RequestStatus.PENDING
    pending.save()

    data = scheduling_input(matchmaking=mm)

    problem = data.problem
    assert problem.slots == 4
    assert problem.tables == (3, 3, 1, 3)
    ids = [p.id for p in problem.participants]
    assert ids == [participant_key(p.pk) for p in [*jp, *india]]
    first = problem.participants[0]
    assert first.unavailable == frozenset({1, 3}) and first.side == "JP"
    assert problem.participants[1].table == 2
    first_request = problem.requests[0]
    assert (first_request.id, first_request.a, first_request.b, first_request.priority) == (
        request_key(kept.pk),
        participant_key(jp[0].pk),
        participant_key(india[0].pk),
        3,
    )
    assert len(problem.requests) == 2
    assert data.slot_pks == tuple(s.pk for s in slots)
    assert data.online == frozenset()


@pytest.mark.parametrize("size", [2, 20])
def test_problem_is_built_in_five_queries(
    world: World, size: int, django_assert_num_queries: Any
) -> None:
    """Slots, participants, their unavailability, requests, interpreters (none here)."""
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=6, tables=3)
    jp = companies(mm, size)
    india = companies(mm, size, country="IN")
    slot = Slot.objects.filter(matchmaking=mm).first()
    for a, b in zip(jp, india, strict=True):
        a.unavailable.add(slot)
        accepted(a, b)
    with django_assert_num_queries(5):
        data = scheduling_input(matchmaking=mm)
    assert len(data.problem.requests) == size


def test_small_event_gets_a_valid_schedule_with_every_request(world: World) -> None:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=6, tables=4)
    jp = companies(mm, 5)
    india = companies(mm, 5, country="IN")
    slots = list(Slot.objects.filter(matchmaking=mm).order_by("index"))
    jp[0].unavailable.add(slots[0], slots[1])
    count = 0
    for i, a in enumerate(jp):
        for b in india[: 3 + i % 2]:
            accepted(a, b, priority=1 + (i % 3))
            count += 1
    data = scheduling_input(matchmaking=mm)
    schedule = schedule_meetings(data.problem)
    assert validate_schedule(data.problem, schedule.meetings) == []
    assert schedule.placed == count == schedule.upper_bound
    assert not schedule.unplaced


def test_online_only_event_has_no_table_limit(world: World) -> None:
    mm = matchmaking_for(
        EventFactory.create(owner=world.prefecture), slots=2, tables=0, mode=MeetingMode.ONLINE
    )
    jp = companies(mm, 4, fixed_table=7)  # a booth means nothing online
    india = companies(mm, 4, country="IN")
    for a, b in zip(jp, india, strict=True):
        accepted(a, b)
    data = scheduling_input(matchmaking=mm)
    assert data.problem.tables == (4, 4)
    assert all(p.table is None for p in data.problem.participants)
    assert len(data.online) == 4 and not data.tables_limit
    assert schedule_meetings(data.problem).placed == 4


def test_mode_both_puts_online_only_participants_online(world: World) -> None:
    mm = matchmaking_for(
        EventFactory.create(owner=world.prefecture), slots=2, tables=1, mode=MeetingMode.BOTH
    )
    remote = companies(mm, 1, mode=MeetingMode.ONLINE)[0]
    flexible = companies(mm, 1, mode=MeetingMode.BOTH)[0]
    india = companies(mm, 2, country="IN")
    online = accepted(remote, india[0])
    in_person = accepted(flexible, india[1])
    data = scheduling_input(matchmaking=mm)
    assert data.online == frozenset({online.pk})
    assert in_person.pk in data.requests
    # Online meetings still count against the tables: 1 table × 2 slots holds both.
    assert data.problem.tables == (1, 1)


def test_fixed_table_beyond_every_slot_is_reported_not_passed_on(world: World) -> None:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=2, tables=2)
    booth = companies(mm, 1, fixed_table=5)[0]
    data = scheduling_input(matchmaking=mm)
    assert data.bad_fixed_tables == ((booth.pk, 5),)
    assert data.problem.participants[0].table is None


def test_bound_stays_correct_with_very_many_tables(world: World) -> None:
    mm = matchmaking_for(
        EventFactory.create(owner=world.prefecture), slots=3, tables=0, mode=MeetingMode.ONLINE
    )
    jp = companies(mm, 2)
    india = companies(mm, 3, country="IN")
    for a in jp:
        for b in india:
            accepted(a, b)
    data = scheduling_input(matchmaking=mm)
    # Each JP participant has 3 slots and 3 requests: all 6 fit; the bound must say 6, not more.
    assert meeting_upper_bound(data.problem).meetings == 6
    huge = type(data.problem)(
        slots=3,
        tables=(10**6,) * 3,
        participants=data.problem.participants,
        requests=data.problem.requests,
    )
    assert meeting_upper_bound(huge).meetings == 6
    assert schedule_meetings(huge).placed == 6


@pytest.mark.parametrize(
    ("tables", "bound", "slots", "advice"),
    [(10, 100, 10, 1), (11, 100, 10, 0), (5, 100, 10, 6), (3, 0, 10, 0), (3, 10, 0, 0)],
)
def test_tables_advice(tables: int, bound: int, slots: int, advice: int) -> None:
    assert tables_advice(tables_per_slot=tables, upper_bound=bound, slots=slots) == advice


@pytest.mark.parametrize(
    ("active", "tables", "more_meetings", "cap"),
    [
        (12, 2, 8, 4),  # 6 meetings at once: 4 more tables
        (13, 2, 8, 4),  # an odd one out meets nobody
        (12, 2, 3, 3),  # only 3 more meetings are possible
        (6, 3, 5, 0),  # every table a slot could use is there
        (6, 4, 5, 0),  # more tables than people could use
        (40, 2.5, 100, 17),  # uneven slots: 20 at once, 2.5 on average
        (12, 2, 0, 0),  # nothing left to place
    ],
)
def test_tables_cap(active: int, tables: float, more_meetings: int, cap: int) -> None:
    assert tables_cap(active=active, tables_per_slot=tables, more_meetings=more_meetings) == cap

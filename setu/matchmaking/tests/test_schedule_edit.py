"""Hand changes to a draft: move, place, remove; every clash refused with nothing changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import (
    Meeting,
    MeetingRequest,
    Participant,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Slot,
    Unplaced,
    UnplacedReason,
)
from setu.matchmaking.services import schedule_edit as services_schedule_edit
from setu.matchmaking.services.schedule_edit import meeting_move, meeting_place, meeting_remove
from setu.matchmaking.tests.factories import accepted, matchmaking_for
from setu.matchmaking.tests.schedule_builders import companies

pytestmark = pytest.mark.django_db


@dataclass
class Draft:
    run: ScheduleRun
    slots: list[Slot]
    people: dict[str, Participant]
    meetings: dict[str, Meeting]
    waiting: MeetingRequest  # accepted, not placed
    officer: Any


def _draft(world: World) -> Draft:
    """Four slots, two tables. a–c at 0/T1, a–d at 1/T1, b–c at 1/T2, e–f at 2/T1; b–d waits."""
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=4, tables=2)
    a, b, e = companies(mm, 3)
    c, d, f = companies(mm, 3, country="IN")
    people = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
    slots = list(Slot.objects.filter(matchmaking=mm).order_by("index"))
    run = ScheduleRun.objects.create(
        matchmaking=mm, status=RunStatus.DONE, placed=4, upper_bound=5, priority_placed=4
    )
    meetings = {}
    for pair, slot, table in [("ac", 0, 0), ("ad", 1, 0), ("bc", 1, 1), ("ef", 2, 0)]:
        request = accepted(people[pair[0]], people[pair[1]])
        meetings[pair] = Meeting.objects.create(
            run=run, request=request, slot=slots[slot], table=table
        )
    waiting = accepted(b, d, priority=3)
    Unplaced.objects.create(run=run, request=waiting, reason=UnplacedReason.PARTICIPANT_FULL)
    return Draft(run, slots, people, meetings, waiting, world.users["officer_own"])


def _positions(run: ScheduleRun) -> set[tuple[int, int, int, bool]]:
    return set(run.meetings.values_list("request_id", "slot_id", "table", "moved_by_hand"))


def _refused_move(d: Draft, pair: str, slot: int, table: int, *texts: str) -> None:
    before = _positions(d.run)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        meeting_move(meeting=d.meetings[pair], slot=d.slots[slot], table=table, actor=d.officer)
    message = " ".join(caught.value.messages)
    for text in texts:
        assert text in message, message
    assert _positions(d.run) == before
    assert AuditEntry.objects.count() == audits


def test_move_refused_when_it_double_books_someone(world: World) -> None:
    d = _draft(world)
    c, b = d.people["c"].organisation, d.people["b"].organisation
    _refused_move(d, "ac", 1, 1, f"{c} already meets {b} at")


def test_move_refused_into_an_unavailable_slot(world: World) -> None:
    d = _draft(world)
    d.people["c"].unavailable.add(d.slots[3])
    _refused_move(d, "ac", 3, 0, f"{d.people['c'].organisation} is not available at")


def test_move_refused_to_a_taken_table(world: World) -> None:
    d = _draft(world)
    e, f = d.people["e"].organisation, d.people["f"].organisation
    _refused_move(d, "ac", 2, 0, "Table 1 is taken at", f"by {e} and {f}")


def test_move_refused_to_a_table_that_does_not_exist(world: World) -> None:
    d = _draft(world)
    _refused_move(d, "ac", 3, 5, "Table 6 does not exist", "that slot has 2 tables")
    d.slots[3].tables = 1
    d.slots[3].save()
    _refused_move(d, "ac", 3, 1, "Table 2 does not exist", "that slot has 1 table")


def test_move_refused_away_from_a_fixed_table(world: World) -> None:
    d = _draft(world)
    a = d.people["a"]
    a.fixed_table = 0
    a.save()
    _refused_move(d, "ac", 3, 1, f"{a.organisation} always meets at Table 1")


def test_move_refused_once_the_request_is_withdrawn(world: World) -> None:
    d = _draft(world)
    MeetingRequest.objects.filter(pk=d.meetings["ac"].request_id).update(
        status=RequestStatus.WITHDRAWN
    )
    _refused_move(d, "ac", 3, 0, "no longer have an accepted request")


def test_the_rule_check_catches_what_the_messages_miss(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _draft(world)
    monkeypatch.setattr(services_schedule_edit, "_clashes", lambda **kwargs: [])
    _refused_move(d, "ac", 1, 1, "This change breaks a scheduling rule", "already meets")


def test_move_to_a_free_place(world: World) -> None:
    d = _draft(world)
    meeting = meeting_move(meeting=d.meetings["ac"], slot=d.slots[3], table=1, actor=d.officer)
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.moved_by_hand) == (d.slots[3], 1, True)
    d.run.refresh_from_db()
    assert d.run.placed == 4
    assert AuditEntry.objects.filter(action="matchmaking.meeting.moved").count() == 1


def test_moving_within_the_slot_to_the_other_table(world: World) -> None:
    d = _draft(world)
    meeting_move(meeting=d.meetings["ef"], slot=d.slots[2], table=1, actor=d.officer)
    assert Meeting.objects.get(pk=d.meetings["ef"].pk).table == 1


def test_remove_sends_the_request_to_the_unplaced(world: World) -> None:
    d = _draft(world)
    meeting_remove(meeting=d.meetings["ef"], actor=d.officer)
    d.run.refresh_from_db()
    assert d.run.placed == 3 and d.run.priority_placed == 3
    unplaced = Unplaced.objects.get(run=d.run, request=d.meetings["ef"].request)
    assert unplaced.get_reason_display() == "Removed from the draft by an organiser"


def test_place_an_unplaced_request(world: World) -> None:
    d = _draft(world)
    meeting = meeting_place(run=d.run, request=d.waiting, slot=d.slots[3], table=0, actor=d.officer)
    assert meeting.moved_by_hand
    d.run.refresh_from_db()
    assert d.run.placed == 5 and d.run.priority_placed == 7
    assert not Unplaced.objects.filter(run=d.run).exists()


def test_place_refused_when_it_double_books(world: World) -> None:
    d = _draft(world)
    before = _positions(d.run)
    with pytest.raises(ValidationError, match="already meets"):
        meeting_place(run=d.run, request=d.waiting, slot=d.slots[1], table=0, actor=d.officer)
    assert _positions(d.run) == before
    assert Unplaced.objects.filter(run=d.run, request=d.waiting).exists()
    d.run.refresh_from_db()
    assert d.run.placed == 4


def test_a_published_schedule_is_not_changed_by_hand(world: World) -> None:
    d = _draft(world)
    ScheduleRun.objects.filter(pk=d.run.pk).update(status=RunStatus.PUBLISHED)
    _refused_move(d, "ac", 3, 0, "Only a draft can be changed")
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        meeting_remove(meeting=d.meetings["ac"], actor=d.officer)
    assert d.run.meetings.count() == 4

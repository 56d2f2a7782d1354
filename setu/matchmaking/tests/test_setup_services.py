"""The organisers' set-up: settings, meeting days and the slots cut from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.events.models import Event
from setu.events.tests.factories import EventFactory
from setu.matchmaking.grid import DayHours
from setu.matchmaking.models import Matchmaking, MeetingDay, RunStatus, ScheduleRun, Slot
from setu.matchmaking.services.setup import matchmaking_save, slot_tables_save
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import member_side

pytestmark = pytest.mark.django_db

DAY = date(2030, 5, 12)


def _event(world: World) -> Event:
    # 10:00-16:00 in Mumbai (IST) on 12 May 2030.
    starts = datetime(2030, 5, 12, 4, 30, tzinfo=UTC)
    return EventFactory.create(
        owner=world.prefecture, starts_at=starts, ends_at=starts + timedelta(hours=6)
    )


def _fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slot_minutes": 30,
        "tables": 5,
        "table_names": "",
        "mode": "in_person",
        "online_url": "",
        "requests_open_at": datetime(2030, 4, 1, tzinfo=UTC),
        "requests_close_at": datetime(2030, 5, 10, tzinfo=UTC),
        "max_requests": 10,
        "pair_rule": "any",
    }
    fields.update(overrides)
    return fields


def _day(**overrides: Any) -> DayHours:
    values: dict[str, Any] = {"date": DAY, "starts": time(10), "ends": time(13), "breaks": ""}
    values.update(overrides)
    return DayHours(**values)


def _save(world: World, event: Event, *days: DayHours, **fields: Any) -> Any:
    return matchmaking_save(
        event=event,
        actor=world.users["officer_own"],
        fields=_fields(**fields),
        days=list(days) or [_day()],
    )


def _slot_times(mm: Matchmaking) -> list[str]:
    tz = mm.event.venue_tz
    return [f"{s.starts_at.astimezone(tz):%H:%M}" for s in mm.slots.order_by("index")]


def test_saving_enables_matchmaking_and_cuts_slots_around_breaks(world: World) -> None:
    event = _event(world)
    result = _save(world, event, _day(breaks="11:00-11:30"))
    mm = result.matchmaking
    assert result.created and result.slots_changed and result.slot_count == 5
    assert _slot_times(mm) == ["10:00", "10:30", "11:30", "12:00", "12:30"]
    assert list(mm.slots.values_list("index", flat=True)) == [0, 1, 2, 3, 4]
    assert mm.days.get().breaks == "11:00-11:30"
    assert result.warnings == []
    entry = AuditEntry.objects.get(action="matchmaking.settings.created")
    assert entry.owner == world.prefecture and entry.changes["slots"] == [0, 5]


def test_an_unchanged_grid_keeps_its_slots_and_drafts(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    ids = list(mm.slots.values_list("pk", flat=True))
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.DONE)
    result = _save(world, event, tables=8, max_requests=3)
    assert not result.slots_changed and result.runs_deleted == 0
    assert list(mm.slots.values_list("pk", flat=True)) == ids
    mm.refresh_from_db()
    assert (mm.tables, mm.max_requests) == (8, 3)
    assert ScheduleRun.objects.filter(matchmaking=mm).count() == 1


def test_new_slots_keep_the_rows_of_slots_whose_times_stay(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    first = mm.slots.get(index=0)
    first.tables = 2
    first.save()
    member = member_side(world, mm)
    member.unavailable.set([first])
    # Start half an hour earlier: 09:30 is new, 10:00 is kept (now the second slot).
    result = _save(world, event, _day(starts=time(9, 30)))
    assert result.slots_changed and _slot_times(mm) == ["09:30", "10:00", "10:30", "11:00",
                                                        "11:30", "12:00", "12:30"]  # fmt: skip
    kept = mm.slots.get(pk=first.pk)
    assert kept.index == 1 and kept.tables == 2
    assert list(member.unavailable.all()) == [kept]


def test_new_slots_delete_draft_schedules(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.DONE)
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.FAILED)
    result = _save(world, event, slot_minutes=20)
    assert result.slots_changed and result.runs_deleted == 2
    assert not ScheduleRun.objects.filter(matchmaking=mm).exists()
    assert mm.slots.count() == 9


def test_a_published_schedule_freezes_days_and_slot_length(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.PUBLISHED)
    slots = list(mm.slots.values_list("pk", "starts_at"))
    with pytest.raises(ValidationError, match="unpublish it before changing the days"):
        _save(world, event, slot_minutes=20, tables=9)
    with pytest.raises(ValidationError, match="unpublish"):
        _save(world, event, _day(ends=time(14)))
    mm.refresh_from_db()
    assert mm.tables == 5 and mm.slot_minutes == 30
    assert list(mm.slots.values_list("pk", "starts_at")) == slots
    assert mm.days.get().ends == time(13)
    # Settings that leave the slots as they are may still change.
    assert not _save(world, event, tables=9).slots_changed


@pytest.mark.parametrize(
    ("days", "fields", "message"),
    [
        ([_day(ends=time(9))], {}, "end before they start"),
        ([_day(breaks="12:00-11:00")], {}, "ends before it starts"),
        ([_day(breaks="noon")], {}, "is not a break like"),
        ([_day(breaks="11:00-12:00, 11:30-12:30")], {}, "overlap"),
        ([_day(breaks="08:00-09:00")], {}, "outside the day's hours"),
        ([_day(), _day()], {}, "listed twice"),
        ([], {}, "at least one meeting day"),
        ([_day(ends=time(10, 20))], {}, "leave no room for a single meeting"),
        ([_day()], {"tables": 0}, "at least one table"),
        ([_day()], {"slot_minutes": 0}, "A slot lasts between"),
        ([_day()], {"max_requests": 0}, "at least one request"),
        (
            [_day()],
            {"requests_close_at": datetime(2030, 3, 1, tzinfo=UTC)},
            "close after they open",
        ),
        ([_day()], {"requests_open_at": None}, "when requests open"),
        ([_day()], {"mode": "online"}, "default online link"),
        ([_day()], {"pair_rule": "sometimes"}, "who may meet whom"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    world: World, days: list[DayHours], fields: dict[str, Any], message: str
) -> None:
    event = _event(world)
    with pytest.raises(ValidationError, match=message):
        matchmaking_save(
            event=event, actor=world.users["officer_own"], fields=_fields(**fields), days=days
        )
    assert not Matchmaking.objects.exists()
    assert not MeetingDay.objects.exists() and not Slot.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="matchmaking").exists()


def test_bad_input_changes_nothing_in_an_existing_set_up(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    before = list(mm.slots.values_list("pk", "index", "starts_at"))
    with pytest.raises(ValidationError):
        _save(world, event, _day(starts=time(8)), _day(date=DAY, breaks="x"), tables=7)
    mm.refresh_from_db()
    assert mm.tables == 5
    assert list(mm.slots.values_list("pk", "index", "starts_at")) == before
    assert mm.days.get().starts == time(10)


def test_days_outside_the_event_and_spare_table_names_are_warned_about(world: World) -> None:
    event = _event(world)
    result = _save(
        world,
        event,
        _day(),
        _day(date=DAY + timedelta(days=3)),
        tables=2,
        table_names="Booth A\nBooth B\nBooth C",
    )
    assert len(result.warnings) == 2
    assert "2030-05-15" in result.warnings[0]
    assert "more table names (3) than tables (2)" in result.warnings[1]
    assert result.matchmaking.table_label(1) == "Booth B"


def test_slot_tables_override_the_event_number(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    first, second = mm.slots.order_by("index")[:2]
    changed = slot_tables_save(
        matchmaking=mm, actor=world.users["officer_own"], tables={first.pk: 0, second.pk: None}
    )
    assert changed == 1
    first.refresh_from_db()
    assert first.tables == 0 and first.table_count(mm) == 0
    assert AuditEntry.objects.filter(action="matchmaking.slots.tables_changed").count() == 1


def test_slot_tables_refuse_other_events_slots_and_negative_numbers(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    other = _save(world, _event(world)).matchmaking
    slot = mm.slots.first()
    assert slot is not None
    with pytest.raises(ValidationError, match="not in this event"):
        slot_tables_save(
            matchmaking=mm,
            actor=world.users["officer_own"],
            tables={slot.pk: 3, other.slots.get(index=0).pk: 3},
        )
    with pytest.raises(ValidationError, match="fewer than 0"):
        slot_tables_save(matchmaking=mm, actor=world.users["officer_own"], tables={slot.pk: -1})
    slot.refresh_from_db()
    assert slot.tables is None


def test_participants_keep_their_profiles_when_slots_change(world: World) -> None:
    event = _event(world)
    mm = _save(world, event).matchmaking
    p = participant(mm, world.partner_org, offers="tea")
    _save(world, event, slot_minutes=20)
    p.refresh_from_db()
    assert p.offers == "tea" and p.active

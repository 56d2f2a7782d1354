"""The organiser's scheduling pages: run, watch, review, adjust, publish, grid, export."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from setu.conftest import World
from setu.directory.tests.factories import CompanyFactory
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import (
    Matchmaking,
    Meeting,
    MeetingMode,
    Participant,
    RunStatus,
    ScheduleRun,
    Slot,
)
from setu.matchmaking.selectors import schedule_report
from setu.matchmaking.selectors.schedule_report import run_report
from setu.matchmaking.tests.factories import accepted, matchmaking_for, participant
from setu.matchmaking.tests.schedule_builders import companies, run_now, scheduled

pytestmark = pytest.mark.django_db


def _officer(world: World) -> Client:
    return world.client_for("officer_own")


def _event_with(world: World, pairs: int, **settings: Any) -> Matchmaking:
    settings.setdefault("slots", 4)
    settings.setdefault("tables", max(2, pairs))
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), **settings)
    jp = companies(mm, pairs)
    india = companies(mm, pairs, country="IN")
    for i, a in enumerate(jp):
        accepted(a, india[i])
        accepted(a, india[(i + 1) % pairs])
    return mm


def _url(name: str, mm: Matchmaking, *args: Any) -> str:
    return reverse(f"matchmaking:{name}", args=[mm.event_id, *args])


def test_schedule_page_for_organisers_only(world: World) -> None:
    mm = _event_with(world, 2)
    response = _officer(world).get(_url("schedule", mm))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Run scheduler" in body and "Nothing is published yet." in body
    for role in ("member", "partner", "officer_other"):
        assert world.client_for(role).get(_url("schedule", mm)).status_code == 403
    assert Client().get(_url("schedule", mm)).status_code == 302


def test_run_button_makes_a_draft(world: World, django_capture_on_commit_callbacks: Any) -> None:
    mm = _event_with(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = _officer(world).post(_url("schedule_run", mm))
    run = ScheduleRun.objects.get()
    assert response["Location"] == _url("schedule_detail", mm, run.pk)
    page = _officer(world).get(response["Location"]).content.decode()
    assert "Draft schedule" in page and "Publish this schedule" in page
    assert "Meetings placed" in page and "Upper bound" in page and "Of the bound" in page
    assert "100.0 %" in page


def test_run_refused_with_a_message_and_nothing_created(world: World) -> None:
    mm = _event_with(world, 2, tables=0)
    response = _officer(world).post(_url("schedule_run", mm), follow=True)
    assert "Every slot has 0 tables" in response.content.decode()
    assert not ScheduleRun.objects.exists()


def test_members_cannot_run_the_scheduler(world: World) -> None:
    mm = _event_with(world, 2)
    assert world.client_for("member").post(_url("schedule_run", mm)).status_code == 403
    assert not ScheduleRun.objects.exists()


def test_a_queued_run_polls_and_reloads_when_done(world: World) -> None:
    mm = _event_with(world, 2)
    run = ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.RUNNING, progress=30)
    client = _officer(world)
    page = client.get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "The scheduler is working" in page
    assert 'value="30"' in page
    partial = client.get(_url("schedule_status", mm, run.pk), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<progress" in partial.content.decode()
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    done = client.get(_url("schedule_status", mm, run.pk), HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_a_failed_run_shows_its_error(world: World) -> None:
    mm = _event_with(world, 2)
    run = ScheduleRun.objects.create(
        matchmaking=mm, status=RunStatus.FAILED, error="RuntimeError: solver exploded"
    )
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "The scheduler could not finish." in page and "solver exploded" in page


def test_draft_warns_when_tables_bind(world: World) -> None:
    mm = _event_with(world, 6, slots=2, tables=2)
    run = run_now(mm, world.users["officer_own"])
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "Tables are likely to limit the schedule" in page
    # 1.1 × 12 / 2 = 6.6 would say 5 more than 2, but 12 participants hold at most 6 meetings
    # at once: 4 more tables per slot is all they could use.
    assert "add about 4 tables per slot" in page


def test_tables_advice_stays_within_what_few_participants_could_use(world: World) -> None:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=2, tables=1)
    jp = companies(mm, 3)
    india = companies(mm, 3, country="IN")
    companies(mm, 2, active=False)  # not taking part: they hold no meetings
    for a in jp:
        for b in india:
            accepted(a, b)
    run = run_now(mm, world.users["officer_own"])
    assert run.placed == 2
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    # 6 people could meet 6 times (bound 6, so 1.1 × 6 / 2 = 3.3 → 3 more), but only 3 meetings
    # fit in a slot at once: 2 more tables per slot, not 3.
    assert "add about 2 tables per slot" in page


def test_no_tables_advice_when_more_tables_would_not_help(world: World) -> None:
    # Everything is placed, though 5 tables per slot are under 1.1 × 10 / 2.
    mm = _event_with(world, 5, slots=2, tables=5)
    run = run_now(mm, world.users["officer_own"])
    assert run.placed == 10 and run.upper_bound == 10
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "Tables are likely to limit the schedule" not in page
    # One participant is away in every slot: their requests stay unplaced whatever the tables.
    away = companies(mm, 1)[0]
    away.unavailable.set(Slot.objects.filter(matchmaking=mm))
    partner = Participant.objects.filter(matchmaking=mm, side="IN").first()
    assert partner is not None
    accepted(away, partner)
    run = run_now(mm, world.users["officer_own"])
    assert run.placed == 10
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "Tables are likely to limit the schedule" not in page


def test_draft_lists_unplaced_with_the_reason_in_words(world: World) -> None:
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=1, tables=4)
    star = companies(mm, 1)[0]
    for b in companies(mm, 2, country="IN"):
        accepted(star, b)
    run = run_now(mm, world.users["officer_own"])
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "One side is busy in every common slot" in page and "Place…" in page


def test_meetings_per_participant_by_name_in_the_readers_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most meetings first, then by the organisation's name as the reader sees it (Japanese
    when set, else English); those no longer taking part only while they hold meetings."""
    mm = matchmaking_for(EventFactory.create(owner=world.prefecture), slots=4, tables=4)
    names = [("Zeta Works", "あ工業"), ("Alpha Trading", ""), ("beta Foods", "い食品")]
    jp = [
        participant(mm, CompanyFactory.create(name_en=en, name_ja=ja, name_hi=""))
        for en, ja in names
    ]
    india = companies(mm, 3, country="IN")
    for a in jp:
        accepted(a, india[0])
    accepted(jp[0], india[1])
    companies(mm, 1, active=False)  # no meetings: no line
    gone = companies(mm, 1)[0]
    accepted(gone, india[2])
    run = run_now(mm, world.users["officer_own"])
    assert run.placed == 5
    Participant.objects.filter(pk=gone.pk).update(active=False)
    with translation.override("ja"):
        report = run_report(run=run)
    lines = [(load.name, load.meetings, load.active) for load in report.loads]
    assert lines[:2] == [(str(india[0].organisation), 3, True), ("あ工業", 2, True)]
    assert [name for name, meetings, _ in lines if meetings == 1] == sorted(
        ["Alpha Trading", "い食品", str(india[1].organisation), str(india[2].organisation),
         str(gone.organisation)],
        key=str.lower,
    )  # fmt: skip
    assert (str(gone.organisation), 1, False) in lines
    assert report.loads_total == len(report.loads) == 7  # 8 participants, 1 without a line
    with translation.override("en"):
        assert "Zeta Works" in [load.name for load in run_report(run=run).loads]
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "Show 7 participants" in page and "no longer taking part" in page
    assert "The 100 with the most meetings" not in page
    monkeypatch.setattr(schedule_report, "LOADS_SHOWN", 3)
    report = run_report(run=run)
    assert len(report.loads) == 3 and report.loads_total == 7
    page = _officer(world).get(_url("schedule_detail", mm, run.pk)).content.decode()
    assert "Show 7 participants" in page and "the XLSX download lists everyone" in page


def test_draft_page_queries_do_not_grow_with_participants(
    world: World, django_assert_num_queries: Any
) -> None:
    """The draft page (report, unplaced, a page of meetings, the loads) reads the same number
    of rows sets whether 4 or 40 participants take part."""
    counts = []
    for pairs in (2, 20):
        mm = _event_with(world, pairs, slots=1)  # one slot: half the requests stay unplaced
        run = run_now(mm, world.users["officer_own"])
        assert run.placed == pairs and run.meetings.count() == pairs
        client = _officer(world)
        url = _url("schedule_detail", mm, run.pk)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_publish_button(world: World, django_capture_on_commit_callbacks: Any) -> None:
    mm = _event_with(world, 2)
    run = run_now(mm, world.users["officer_own"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _officer(world).post(_url("schedule_publish", mm, run.pk), follow=True)
    assert "The schedule is published. 4 participants are being emailed" in (
        response.content.decode()
    )
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED


def test_move_page_refuses_a_clash_and_changes_nothing(world: World) -> None:
    s = scheduled(world, publish=False)
    other = companies(s.mm, 1, country="IN")[0]
    second = Meeting.objects.create(
        run=s.run,
        request=accepted(s.member, other),
        slot=Slot.objects.filter(matchmaking=s.mm).exclude(pk=s.meeting.slot_id).first(),
        table=0,
    )
    url = _url("schedule_move", s.mm, s.run.pk, s.meeting.pk)
    client = _officer(world)
    form = client.get(url).content.decode()
    assert "Move a meeting" in form and "both free" in form and "one side busy" in form
    response = client.post(url, {"slot": second.slot_id, "table": 1})
    assert response.status_code == 200
    assert f"{world.company} already meets {other.organisation}" in response.content.decode()
    assert Meeting.objects.get(pk=s.meeting.pk).slot_id == s.meeting.slot_id


def test_move_page_moves(world: World) -> None:
    s = scheduled(world, publish=False)
    target = Slot.objects.filter(matchmaking=s.mm).exclude(pk=s.meeting.slot_id).last()
    response = _officer(world).post(
        _url("schedule_move", s.mm, s.run.pk, s.meeting.pk), {"slot": target.pk, "table": 1}
    )
    assert response.status_code == 302
    moved = Meeting.objects.get(pk=s.meeting.pk)
    assert (moved.slot_id, moved.table, moved.moved_by_hand) == (target.pk, 1, True)


def test_remove_then_place_again(world: World) -> None:
    s = scheduled(world, publish=False)
    client = _officer(world)
    response = client.post(_url("schedule_remove", s.mm, s.run.pk, s.meeting.pk), follow=True)
    assert "Removed from the draft by an organiser" in response.content.decode()
    slot = Slot.objects.filter(matchmaking=s.mm).first()
    place = _url("schedule_place", s.mm, s.run.pk, s.request.pk)
    assert "Place a meeting" in client.get(place).content.decode()
    assert client.post(place, {"slot": slot.pk, "table": 0}).status_code == 302
    s.run.refresh_from_db()
    assert s.run.placed == 1 and s.run.meetings.get().slot == slot


def test_a_placed_request_has_no_place_page(world: World) -> None:
    s = scheduled(world, publish=False)
    url = _url("schedule_place", s.mm, s.run.pk, s.request.pk)
    assert _officer(world).get(url).status_code == 404


def test_grid_shows_both_sides_in_each_cell(world: World) -> None:
    s = scheduled(world, publish=False, mode=MeetingMode.BOTH)
    s.partner.mode = MeetingMode.ONLINE
    s.partner.save()
    Meeting.objects.filter(pk=s.meeting.pk).update(online=True)
    page = _officer(world).get(_url("schedule_grid", s.mm, s.run.pk)).content.decode()
    assert "Kofu Precision K.K." in page and "Mumbai Chamber" in page
    assert "online" in page and "Table 2" in page


def test_grid_by_day(world: World) -> None:
    mm = _event_with(world, 2, slots=2)
    first = Slot.objects.filter(matchmaking=mm).order_by("index").first()
    Slot.objects.create(
        matchmaking=mm,
        index=5,
        starts_at=first.starts_at.replace(day=first.starts_at.day) + _days(1),
        ends_at=first.ends_at + _days(1),
    )
    run = run_now(mm, world.users["officer_own"])
    client = _officer(world)
    page = client.get(_url("schedule_grid", mm, run.pk))
    assert len(page.context["grid"].days) == 2 and len(page.context["grid"].rows) == 2
    day = page.context["grid"].days[1].isoformat()
    second = client.get(_url("schedule_grid", mm, run.pk), {"day": day})
    assert len(second.context["grid"].rows) == 1


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


@pytest.mark.parametrize("pairs", [2, 20])
def test_pages_query_count_is_fixed(
    world: World, pairs: int, django_assert_max_num_queries: Any
) -> None:
    mm = _event_with(world, pairs)
    run = run_now(mm, world.users["officer_own"])
    assert run.placed == 2 * pairs
    client = _officer(world)
    # 13, and the event's interpreters; the draft page one more: its page of meetings is
    # chosen, then read (run_meetings_page).
    for name, args, most in [
        ("schedule", [], 14),
        ("schedule_detail", [run.pk], 15),
        ("schedule_grid", [run.pk], 14),
        ("schedule_move", [run.pk, run.meetings.first().pk], 14),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(_url(name, mm, *args)).status_code == 200


def test_xlsx_export(world: World) -> None:
    s = scheduled(world)
    Meeting.objects.filter(pk=s.meeting.pk).update(outcome="held")
    response = _officer(world).get(_url("schedule_export", s.mm, s.run.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Schedule", "Not placed"]
    rows = list(book["Schedule"].values)
    assert rows[0][:7] == (
        "Slot",
        "Date",
        "Starts",
        "Ends",
        "Table",
        "Online link",
        "Organisation A",
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    slot = s.meeting.slot
    local = slot.starts_at.astimezone(s.event.venue_tz)
    assert row["Starts"] == local.strftime("%H:%M IST")
    assert row["Date"] == local.strftime("%Y-%m-%d")
    assert row["Table"] == s.mm.table_label(s.meeting.table)
    assert row["Organisation A"] == "Kofu Precision K.K."
    assert row["Email A"] == "member@example.org"
    assert row["Organisation B"] == "Mumbai Chamber"
    assert row["Email B"] == "partner@example.org"
    assert row["Priority"] == "High" and row["Outcome"] == "Held"
    assert len(rows) == 2

"""The organisers' pages: set-up, tables per slot, participants' overview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from setu.conftest import World
from setu.events.models import Event
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import (
    Matchmaking,
    MeetingRequest,
    Participant,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Slot,
)
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import (
    indian,
    market,
    member_side,
    partner_side,
    register,
)

pytestmark = pytest.mark.django_db


def _event(world: World) -> Event:
    starts = datetime(2030, 5, 12, 4, 30, tzinfo=UTC)  # 10:00 in Mumbai
    return EventFactory.create(
        owner=world.prefecture, starts_at=starts, ends_at=starts + timedelta(hours=6)
    )


def _data(**overrides: Any) -> dict[str, Any]:
    data = {
        "slot_minutes": "30",
        "tables": "4",
        "table_names": "",
        "mode": "in_person",
        "online_url": "",
        "requests_open_at": "2030-04-01T09:00",
        "requests_close_at": "2030-05-10T18:00",
        "max_requests": "10",
        "pair_rule": "cross",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2030-05-12",
        "days-0-starts": "10:00",
        "days-0-ends": "12:00",
        "days-0-breaks": "11:00-11:30",
        "days-1-date": "",
        "days-1-starts": "",
        "days-1-ends": "",
        "days-1-breaks": "",
    }
    data.update(overrides)
    return data


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_officer_turns_matchmaking_on_in_venue_time(world: World) -> None:
    event = _event(world)
    url = reverse("matchmaking:setup", args=[event.pk])
    client = world.client_for("officer_own")
    page = client.get(url).content.decode()
    assert "Turn matchmaking on" in page
    assert 'value="2030-05-12"' in page  # the first day is prefilled from the event
    response = client.post(url, _data())
    assert response["Location"] == url
    mm = Matchmaking.objects.get(event=event)
    # Typed as 09:00 in Mumbai, whatever the officer's own zone (Tokyo).
    assert mm.requests_open_at == datetime(2030, 4, 1, 3, 30, tzinfo=UTC)
    assert mm.pair_rule == "cross" and mm.tables == 4
    assert mm.slots.count() == 3
    assert "3 slots" in _messages(response)[0]
    # The slot list shows the venue's time and the reader's.
    page = client.get(url).content.decode()
    assert "2030-05-12 10:00–10:30 IST (13:30–14:00 JST)" in page
    assert "2030-05-12 11:30–12:00 IST (15:00–15:30 JST)" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days-0-ends": "09:00"}, "The meetings must end after they start."),
        ({"days-0-breaks": "11:30-11:00"}, "ends before it starts"),
        ({"days-0-breaks": "lunch"}, "is not a break like 12:30-13:30"),
        ({"days-0-breaks": "10:30-11:30, 11:00-11:45"}, "overlap"),
        ({"days-0-date": ""}, "This field is required"),
        (
            {"days-0-DELETE": "on"},
            "at least one meeting day",
        ),
        (
            {"days-1-date": "2030-05-12", "days-1-starts": "13:00", "days-1-ends": "14:00"},
            "listed twice",
        ),
        ({"days-0-ends": "10:20", "days-0-breaks": ""}, "leave no room for a single meeting"),
        ({"tables": "0"}, "greater than or equal to 1"),
        ({"requests_close_at": "2030-03-01T09:00"}, "Requests must close after they open."),
        ({"mode": "online"}, "Online meetings need a default online link."),
    ],
)
def test_bad_set_up_shows_the_error_and_saves_nothing(
    world: World, overrides: dict[str, str], message: str
) -> None:
    event = _event(world)
    response = world.client_for("officer_own").post(
        reverse("matchmaking:setup", args=[event.pk]), _data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Matchmaking.objects.exists() and not Slot.objects.exists()


def test_changing_the_grid_deletes_drafts_and_says_so(world: World) -> None:
    event = _event(world)
    client = world.client_for("officer_own")
    url = reverse("matchmaking:setup", args=[event.pk])
    client.post(url, _data())
    mm = Matchmaking.objects.get()
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.DONE)
    changed = _data(**{"days-INITIAL_FORMS": "1", "days-0-ends": "13:00",
                       "days-1-date": "2030-05-20", "days-1-starts": "10:00",
                       "days-1-ends": "11:00"})  # fmt: skip
    response = client.post(url, changed)
    assert response["Location"] == url
    messages = _messages(response)
    assert "Saved. The slots are new: 7 slots." in messages
    assert any("draft schedule" in m and "deleted" in m for m in messages)
    assert any("Not on the event's dates" in m for m in messages)
    assert not ScheduleRun.objects.exists()


def test_a_published_schedule_blocks_grid_changes_on_the_page(world: World) -> None:
    event = _event(world)
    client = world.client_for("officer_own")
    url = reverse("matchmaking:setup", args=[event.pk])
    client.post(url, _data())
    mm = Matchmaking.objects.get()
    ScheduleRun.objects.create(matchmaking=mm, status=RunStatus.PUBLISHED)
    assert "A schedule is published" in client.get(url).content.decode()
    response = client.post(url, _data(slot_minutes="20", **{"days-INITIAL_FORMS": "1"}))
    assert response.status_code == 200
    assert "unpublish it before changing the days" in response.content.decode()
    mm.refresh_from_db()
    assert mm.slot_minutes == 30 and mm.slots.count() == 3


def test_setup_is_for_organisers(world: World) -> None:
    event = _event(world)
    url = reverse("matchmaking:setup", args=[event.pk])
    assert world.client_for("officer_other").get(url).status_code == 403
    assert world.client_for("member").post(url, _data()).status_code == 403
    assert world.client_for("secretariat").get(url).status_code == 200
    assert not Matchmaking.objects.exists()


def test_tables_per_slot(world: World) -> None:
    mm = market(world, slots=3)
    slots = list(mm.slots.order_by("index"))
    url = reverse("matchmaking:slot_tables", args=[mm.event.pk])
    client = world.client_for("officer_own")
    assert "IST" in client.get(url).content.decode()
    response = client.post(url, {f"slot_{slots[0].pk}": "1", f"slot_{slots[1].pk}": ""})
    assert response["Location"] == url
    assert [s.tables for s in mm.slots.order_by("index")] == [1, None, None]
    response = client.post(url, {f"slot_{slots[0].pk}": "-2"})
    assert response.status_code == 200
    assert mm.slots.order_by("index")[0].tables == 1


def test_tables_per_slot_needs_a_set_up(world: World) -> None:
    event = _event(world)
    response = world.client_for("officer_own").get(
        reverse("matchmaking:slot_tables", args=[event.pk])
    )
    assert response["Location"] == reverse("matchmaking:setup", args=[event.pk])


def test_participants_overview_counts_requests(world: World) -> None:
    mm = market(world)
    me, them = member_side(world, mm), partner_side(world, mm)
    third = participant(mm, indian(name_en="Third Pvt Ltd"))
    MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=them, status=RequestStatus.ACCEPTED
    )
    MeetingRequest.objects.create(matchmaking=mm, requester=third, recipient=me)
    MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=third, status=RequestStatus.WITHDRAWN
    )
    response = world.client_for("officer_own").get(
        reverse("matchmaking:participants", args=[mm.event.pk])
    )
    rows = {p.pk: p for p in response.context["page"].object_list}
    assert (rows[me.pk].sent_total, rows[me.pk].received_total) == (1, 1)
    assert rows[me.pk].accepted_sent + rows[me.pk].accepted_received == 1
    assert (rows[them.pk].received_total, rows[them.pk].accepted_received) == (1, 1)
    assert (rows[third.pk].sent_total, rows[third.pk].received_total) == (1, 0)
    assert reverse("matchmaking:market", args=[mm.event.pk]) in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_participants_overview_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    mm = market(world)
    me = member_side(world, mm)
    for index in range(rows):
        other = participant(mm, indian())
        MeetingRequest.objects.create(
            matchmaking=mm,
            requester=me if index % 2 else other,
            recipient=other if index % 2 else me,
            status=RequestStatus.ACCEPTED if index % 3 else RequestStatus.PENDING,
        )
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("matchmaking:participants", args=[mm.event.pk]))
    assert len(response.context["page"].object_list) == rows + 1


def test_organiser_adds_a_registered_organisation(world: World) -> None:
    mm = market(world)
    register(mm.event, world.users["partner"], world.partner_org)
    client = world.client_for("officer_own")
    page = client.get(reverse("matchmaking:participants", args=[mm.event.pk]))
    assert world.partner_org.name_en in page.content.decode()
    url = reverse("matchmaking:participant_add", args=[mm.event.pk])
    client.post(url, {"organisation": world.partner_org.pk})
    added = Participant.objects.get()
    assert added.organisation == world.partner_org and added.side == "IN"
    # Not registered: refused, nothing added.
    response = client.post(url, {"organisation": world.company.pk})
    assert "registered for the event" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert Participant.objects.count() == 1

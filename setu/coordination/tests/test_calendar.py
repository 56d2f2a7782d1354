"""The shared calendar: entries the viewer may see, month/week/list views, the ICS feed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.coordination import calendar as calendar_module
from setu.coordination.calendar import CalendarEntry, calendar_entries, register_calendar_source
from setu.coordination.models import CalendarFeedToken, Meeting, Mission
from setu.coordination.tests.conftest import council_meeting
from setu.coordination.tests.factories import MeetingFactory, in_days

pytestmark = pytest.mark.django_db


def _window(days: int = 60) -> tuple[datetime, datetime]:
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=days)


def test_entries_are_what_the_viewer_may_see(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    shared = council_meeting(world, title_en="Shared meeting", starts_at=in_days(5))
    private = MeetingFactory.create(
        owner=world.other_prefecture, title_en="Their own meeting", visibility="private",
        starts_at=in_days(6),
    )  # fmt: skip
    make_mission(title="Mumbai mission", first=10)
    make_mission(owner=world.other_prefecture, title="Their private trip", visibility="private")
    titles = {e.title for e in calendar_entries(world.users["officer_own"], *_window())}
    assert titles == {"Shared meeting", "Mumbai mission"}
    titles = {e.title for e in calendar_entries(world.users["officer_other"], *_window())}
    assert titles == {"Shared meeting", "Their own meeting", "Mumbai mission", "Their private trip"}
    assert calendar_entries(world.users["student"], *_window()) == []
    assert shared.pk and private.pk


def test_missions_are_all_day_and_cover_their_days(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    mission = make_mission(first=10, days=3)
    [entry] = calendar_entries(world.users["officer_own"], *_window())
    assert entry.all_day and entry.starts_on == mission.starts_on
    assert entry.days(timezone.get_current_timezone()) == [
        mission.starts_on + timedelta(days=n) for n in range(3)
    ]
    assert entry.place == "Mumbai"


@pytest.fixture
def extra_source() -> Iterator[None]:
    def seminars(user: Any, start: datetime, end: datetime) -> list[CalendarEntry]:
        return [
            CalendarEntry(
                uid="seminar-1@setu",
                kind="seminar",
                title="Investment seminar",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                time_zone="Asia/Kolkata",
                url="/events/1/",
            )
        ]

    register_calendar_source("seminar", seminars)
    yield
    calendar_module._SOURCES.pop("seminar")


def test_a_new_source_can_be_registered(world: World, extra_source: None) -> None:
    entries = calendar_entries(world.users["officer_own"], *_window())
    assert [e.kind for e in entries] == ["seminar"]


@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_views_show_the_entries(world: World, view: str) -> None:
    meeting = council_meeting(world, title_en="Working group", starts_at=in_days(1))
    day = timezone.localtime(meeting.starts_at).date()
    client = world.client_for("officer_own")
    response = client.get(reverse("coordination:calendar"), {"view": view, "date": day.isoformat()})
    assert response.status_code == 200
    assert "Working group" in response.content.decode()


def test_bad_parameters_fall_back(world: World) -> None:
    client = world.client_for("officer_own")
    response = client.get(reverse("coordination:calendar"), {"view": "<x>", "date": "2026-13-45"})
    assert response.status_code == 200 and response.context["mode"] == "month"


@pytest.mark.parametrize("rows", [2, 30])
def test_calendar_query_count_is_fixed(
    world: World, rows: int, make_mission: Callable[..., Mission],
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for n in range(rows):
        council_meeting(world, starts_at=in_days(1 + n % 20))
    make_mission(first=5)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coordination:calendar"), {"view": "list"})
    assert response.status_code == 200


def _feed(client: Any, world: World) -> icalendar.Calendar:
    client.post(reverse("coordination:calendar_feed_reset"))
    token = CalendarFeedToken.objects.get(user=world.users["officer_own"]).token
    response = client.get(reverse("coordination:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_ics_feed_parses_and_holds_meetings_and_missions(
    world: World, make_mission: Callable[..., Mission]
) -> None:
    meeting = council_meeting(world, title_en="Working group", starts_at=in_days(3))
    mission = make_mission(first=20, days=4)
    calendar = _feed(world.client_for("officer_own"), world)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Working group", "Mumbai mission"}
    timed = events["Working group"]
    assert timed["dtstart"].dt == meeting.starts_at
    assert str(timed["uid"]) == f"meeting-{meeting.pk}@setu"
    assert str(timed["url"]).endswith(meeting.get_absolute_url())
    all_day = events["Mumbai mission"]
    assert all_day["dtstart"].dt == mission.starts_on
    assert all_day["dtend"].dt == mission.ends_on + timedelta(days=1)
    assert isinstance(all_day["dtstart"].dt, date) and not isinstance(
        all_day["dtstart"].dt, datetime
    )
    assert str(all_day["location"]) == "Mumbai"


def test_feed_token_is_the_key(world: World, meeting: Meeting) -> None:
    client = world.client_for("officer_own")
    _feed(client, world)
    old = CalendarFeedToken.objects.get(user=world.users["officer_own"]).token
    client.post(reverse("coordination:calendar_feed_reset"))
    anonymous = world.client_for("anonymous")
    assert anonymous.get(reverse("coordination:calendar_feed", args=[old])).status_code == 404
    new = CalendarFeedToken.objects.get(user=world.users["officer_own"]).token
    assert new != old
    assert anonymous.get(reverse("coordination:calendar_feed", args=[new])).status_code == 200
    assert anonymous.get(reverse("coordination:calendar_feed", args=["nope"])).status_code == 404

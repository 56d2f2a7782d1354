"""Meeting pages: forms that name the field, times in JST and IST, RSVP, agenda, publishing,
print view, and fixed query counts on the list pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from setu.conftest import World
from setu.coordination.models import AgendaItem, Invitee, Meeting, Mission, Rsvp
from setu.coordination.tests.conftest import council_meeting
from setu.coordination.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    SeriesFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def _form(day: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "title_en": "Governors' meeting",
        "day": day,
        "start_time": start,
        "end_time": end,
        "time_zone": "Asia/Tokyo",
        "visibility": "consortium",
        **extra,
    }


def test_create_meeting_end_before_start_names_the_field(world: World) -> None:
    client = world.client_for("secretariat")
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(reverse("coordination:meeting_create"), _form(day, "11:00", "10:00"))
    assert response.status_code == 200
    assert "end after it starts" in str(response.context["form"].errors["end_time"])
    assert not Meeting.objects.exists()


def test_create_meeting_in_japanese_answers_in_japanese(world: World) -> None:
    client = world.client_for("secretariat")
    client.post(reverse("set_language"), {"language": "ja"})
    response = client.post(reverse("coordination:meeting_create"), {"visibility": "consortium"})
    assert response.status_code == 200
    assert response.context["form"].errors["day"]
    assert response.wsgi_request.LANGUAGE_CODE == "ja"


def test_create_meeting_with_invitations(world: World) -> None:
    client = world.client_for("secretariat")
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("coordination:meeting_create"),
        _form(day, "10:00", "11:30", invite=[world.prefecture.pk, world.other_prefecture.pk]),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.owner == world.secretariat_org
    assert timezone.localtime(meeting.starts_at, timezone=_tz("Asia/Tokyo")).hour == 10
    assert meeting.invitees.count() == 2


def _tz(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def test_meeting_page_shows_jst_and_ist(world: World) -> None:
    meeting = council_meeting(world, starts_at=in_days(4, hour=10))
    page = strip_tags(
        world.client_for("officer_own").get(meeting.get_absolute_url()).content.decode()
    )
    assert "10:00–" in page and "JST" in page and "06:30 IST" in page
    world.users["partner"].time_zone = "Asia/Kolkata"
    world.users["partner"].save()
    Invitee.objects.create(meeting=meeting, user=world.users["partner"])
    page = strip_tags(world.client_for("partner").get(meeting.get_absolute_url()).content.decode())
    assert "JST (" in page and "06:30–" in page and "IST)" in page


def test_an_invited_organisation_answers(world: World, meeting: Meeting) -> None:
    invitee = meeting.invitees.get(organisation=world.prefecture)
    client = world.client_for("officer_own")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"rsvp-{invitee.pk}" in page
    assert (
        client.post(reverse("coordination:rsvp", args=[invitee.pk]), {"rsvp": "yes"}).status_code
        == 302
    )
    invitee.refresh_from_db()
    assert invitee.rsvp == Rsvp.YES
    # Another prefecture cannot answer for this one.
    other = world.client_for("officer_other")
    assert (
        other.post(reverse("coordination:rsvp", args=[invitee.pk]), {"rsvp": "no"}).status_code
        == 403
    )


def test_agenda_items_through_the_pages(world: World, meeting: Meeting) -> None:
    client = world.client_for("secretariat")
    response = client.post(
        reverse("coordination:agenda_item_create", args=[meeting.pk]),
        {"title_en": "Member updates", "duration_minutes": 30, "presenter_name": "All"},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    response = client.post(
        reverse("coordination:agenda_item_edit", args=[item.pk]),
        {"title_en": "", "duration_minutes": 0},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title_en" in errors and "duration_minutes" in errors
    client.post(
        reverse("coordination:attachment_add", args=[item.pk]),
        {"title": "Programme", "url": "https://docs.example.org/p.pdf"},
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "https://docs.example.org/p.pdf" in page and "10:00" in page
    # Officers of a participating prefecture may not change the agenda.
    other = world.client_for("officer_other")
    assert other.get(reverse("coordination:agenda_item_edit", args=[item.pk])).status_code == 403


def test_publish_locks_and_shares(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    client = world.client_for("secretariat")
    assert (
        client.post(
            reverse("coordination:minutes_publish", args=[meeting.pk]), {"visibility": "partners"}
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert meeting.minutes_locked
    # The minutes editor, the agenda form and the decision form now refuse.
    officer = world.client_for("officer_own")
    assert officer.get(reverse("coordination:minutes_edit", args=[item.pk])).status_code == 302
    response = officer.post(
        reverse("coordination:decision_add", args=[meeting.pk]), {"text": "Late"}
    )
    assert response.status_code == 403
    assert world.client_for("partner").get(meeting.get_absolute_url()).status_code == 200


def test_close_reports_the_carry_over(world: World) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    past = council_meeting(world, series=series, starts_at=in_days(-3))
    council_meeting(world, series=series, starts_at=in_days(25))
    ActionItemFactory.create(meeting=past, owner=world.prefecture)
    response = world.client_for("secretariat").post(
        reverse("coordination:meeting_close", args=[past.pk]), follow=True
    )
    assert "1 open action item was carried over" in response.content.decode()


def test_print_view(world: World, meeting: Meeting) -> None:
    AgendaItemFactory.create(meeting=meeting, title_en="Budget review")
    response = world.client_for("officer_own").get(
        reverse("coordination:meeting_print", args=[meeting.pk])
    )
    page = response.content.decode()
    assert "Budget review" in page and "coordination.css" in page and "data-print" in page
    assert "<script>" not in page  # CSP: no inline scripts


@pytest.mark.parametrize("rows", [2, 40])
def test_meeting_list_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    for n in range(rows):
        council_meeting(world, series=series, starts_at=in_days(1 + n))
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("coordination:meetings"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [2, 40])
def test_series_page_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org)
    for n in range(rows):
        council_meeting(world, series=series, starts_at=in_days(n - 10))
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("coordination:series", args=[series.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_meeting_page_query_count_is_bounded(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    meeting = council_meeting(world)
    for _ in range(rows):
        item = AgendaItemFactory.create(meeting=meeting)
        ActionItemFactory.create(meeting=meeting, agenda_item=item, owner=world.prefecture)
    client = world.client_for("secretariat")
    with django_assert_max_num_queries(26):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
def test_home_query_count_is_fixed(
    world: World, rows: int, make_mission: Callable[..., Mission],
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for n in range(rows):
        meeting = council_meeting(world, starts_at=in_days(1 + n))
        ActionItemFactory.create(meeting=meeting, owner=world.prefecture)
        make_mission(owner=world.other_prefecture, first=10 + n % 3, title=f"Theirs {n}")
    make_mission(first=10)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("coordination:home"))
    assert response.status_code == 200
    assert len(response.context["notices"]) == rows

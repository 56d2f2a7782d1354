"""Reading events: the listing, filters, the calendar, the event page, visibility, iCalendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from setu.conftest import World
from setu.directory.models import City, FocalSector
from setu.events import services
from setu.events.models import Event, EventOrganisation, Registration, Session
from setu.events.tests.factories import EventFactory, category

pytestmark = pytest.mark.django_db


def _titles(response: Any) -> set[str]:
    return {event.title_en for event in response.context["page"].object_list}


def test_public_events_are_readable_without_signing_in(world: World, client: Client) -> None:
    EventFactory.create(owner=world.prefecture, title_en="Open seminar")
    EventFactory.create(owner=world.prefecture, title_en="Network only", visibility="partners")
    EventFactory.create(owner=world.prefecture, title_en="Staff only", visibility="consortium")
    EventFactory.create(owner=world.prefecture, title_en="Draft", visibility="draft")
    assert _titles(client.get(reverse("events:list"))) == {"Open seminar"}
    partner = world.client_for("partner")
    assert _titles(partner.get(reverse("events:list"))) == {"Open seminar", "Network only"}
    other = world.client_for("officer_other")
    assert "Draft" not in _titles(other.get(reverse("events:list")))
    assert "Staff only" in _titles(other.get(reverse("events:list")))
    own = world.client_for("officer_own")
    assert "Draft" in _titles(own.get(reverse("events:list")))


def test_draft_is_seen_by_the_hosts_officers_only(world: World) -> None:
    draft = EventFactory.create(owner=world.other_prefecture, visibility="draft")
    url = reverse("events:detail", args=[draft.pk])
    assert world.client_for("officer_own").get(url).status_code == 404
    assert world.client_for("partner").get(url).status_code == 404
    assert world.client_for("officer_other").get(url).status_code == 200
    EventOrganisation.objects.create(event=draft, organisation=world.prefecture, role="co_host")
    assert world.client_for("officer_own").get(url).status_code == 200  # now a co-host
    assert world.client_for("secretariat").get(url).status_code == 200


def test_private_event_is_seen_by_host_and_partner_organisations(world: World) -> None:
    private = EventFactory.create(owner=world.prefecture, visibility="private")
    url = reverse("events:detail", args=[private.pk])
    assert world.client_for("partner").get(url).status_code == 404
    EventOrganisation.objects.create(event=private, organisation=world.partner_org, role="partner")
    assert world.client_for("partner").get(url).status_code == 200
    assert world.client_for("member").get(url).status_code == 404


def test_upcoming_and_past(world: World, client: Client) -> None:
    EventFactory.create(owner=world.prefecture, title_en="Soon")
    past = timezone.now() - timedelta(days=10)
    EventFactory.create(
        owner=world.prefecture, title_en="Done", starts_at=past, ends_at=past + timedelta(hours=2)
    )
    assert _titles(client.get(reverse("events:list"))) == {"Soon"}
    assert _titles(client.get(reverse("events:list"), {"when": "past"})) == {"Done"}


def test_filters(world: World, client: Client) -> None:
    bengaluru = City.objects.get(key="in-bengaluru")
    energy = FocalSector.objects.get(key="renewable_energy")
    one = EventFactory.create(owner=world.prefecture, title_en="Mumbai seminar", languages="en ja")
    one.focal_sectors.add(energy)
    EventFactory.create(
        owner=world.other_prefecture,
        title_en="Bengaluru festival",
        kind="festival",
        city=bengaluru,
        languages="en hi",
    )
    co_hosted = EventFactory.create(owner=world.other_prefecture, title_en="Co-hosted webinar")
    EventOrganisation.objects.create(event=co_hosted, organisation=world.prefecture, role="co_host")
    url = reverse("events:list")
    assert _titles(client.get(url, {"city": "in-bengaluru"})) == {"Bengaluru festival"}
    assert _titles(client.get(url, {"kind": "festival"})) == {"Bengaluru festival"}
    assert _titles(client.get(url, {"sector": "f:renewable_energy"})) == {"Mumbai seminar"}
    assert _titles(client.get(url, {"language": "hi"})) == {"Bengaluru festival"}
    assert _titles(client.get(url, {"host": world.prefecture.pk})) == {
        "Mumbai seminar",
        "Co-hosted webinar",
    }
    # Nonsense filters are ignored, never an error.
    response = client.get(url, {"kind": "<script>", "host": "x", "language": "zz", "when": "?"})
    assert response.status_code == 200
    assert len(_titles(response)) == 3


@pytest.mark.parametrize("rows", [2, 40])
def test_event_list_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any, register: Callable[..., Any]
) -> None:
    for index in range(rows):
        event = EventFactory.create(owner=world.prefecture, capacity=3)
        EventOrganisation.objects.create(
            event=event, organisation=world.other_prefecture, role="co_host"
        )
        if index % 5 == 0:
            register(event)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert Client().get(reverse("events:list")).status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_calendar_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    start = timezone.now().replace(day=10, hour=5)
    for _ in range(rows):
        EventFactory.create(
            owner=world.prefecture, starts_at=start, ends_at=start + timedelta(hours=3)
        )
    client = world.client_for("partner")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:calendar"), {"month": start.strftime("%Y-%m")})
    assert response.status_code == 200
    days = [day for week in response.context["weeks"] for day in week if day.events]
    assert days and len(days[0].events) == rows


def test_calendar_places_events_on_the_venue_date(world: World, client: Client) -> None:
    # 23:30 in Mumbai on 27 June is 18:00 UTC on 27 June but 03:00 on 28 June in Tokyo.
    starts = datetime(2030, 6, 27, 23, 30, tzinfo=ZoneInfo("Asia/Kolkata"))
    EventFactory.create(
        owner=world.prefecture,
        title_en="Late",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=20),
    )
    response = client.get(reverse("events:calendar"), {"month": "2030-06"})
    days = {day.day.isoformat(): day.events for week in response.context["weeks"] for day in week}
    assert [e.title_en for e in days["2030-06-27"]] == ["Late"]
    assert days["2030-06-28"] == []
    assert client.get(reverse("events:calendar"), {"month": "garbage"}).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "partner", "officer_own"])
def test_event_page_query_count(
    world: World, role: str, django_assert_max_num_queries: Any, register: Callable[..., Any]
) -> None:
    event = EventFactory.create(owner=world.prefecture)
    category(event, "Indian company", 10)
    EventOrganisation.objects.create(
        event=event, organisation=world.other_prefecture, role="co_host"
    )
    for hour in range(5):
        Session.objects.create(
            event=event,
            title_en=f"Talk {hour}",
            starts_at=event.starts_at + timedelta(hours=hour),
            ends_at=event.starts_at + timedelta(hours=hour, minutes=50),
        )
    client = world.client_for(role)
    # Organisers also get the event's clash notices (setu/events/tests/test_plans.py); every
    # reader gets the documents linked to it (setu/library/tests/test_document_links.py).
    with django_assert_max_num_queries(12 if role == "officer_own" else 11):
        response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 200


def test_event_page_shows_venue_and_reader_time(world: World) -> None:
    starts = datetime(2030, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    event = EventFactory.create(
        owner=world.prefecture, starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    page = world.client_for("member").get(reverse("events:detail", args=[event.pk])).content
    assert "2030-05-12 10:00 IST (13:30 JST)" in strip_tags(page.decode())
    anonymous = Client().get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "2030-05-12 10:00 IST" in anonymous
    assert "reader-time--pending" in anonymous  # filled once the zone is known


def test_event_page_in_the_readers_language_with_fallback_and_original_marked(
    world: World,
) -> None:
    event = EventFactory.create(
        owner=world.prefecture,
        title_en="Hydrogen seminar",
        title_ja="水素セミナー",
        original_language="ja",
    )
    client = world.client_for("member")
    client.post(reverse("set_language"), {"language": "ja"})
    assert "<h1>水素セミナー</h1>" in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("set_language"), {"language": "hi"})
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<h1>Hydrogen seminar</h1>" in page  # no Hindi title: English next


def test_tampered_event_id_answers_404(world: World, client: Client) -> None:
    assert client.get("/events/999999/").status_code == 404
    assert client.get("/events/999999/register/").status_code == 404
    assert client.get("/events/999999/event.ics").status_code == 404


def _parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def test_event_ics_is_valid_with_the_venue_time_zone(world: World, client: Client) -> None:
    starts = datetime(2030, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    event = EventFactory.create(
        owner=world.prefecture,
        title_en="Seminar",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = _parse(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Seminar"
    assert vevent.decoded("DTSTART") == starts
    assert vevent["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert vevent["UID"] == f"event-{event.pk}@events.setu"
    assert {"DTSTAMP", "DTEND", "LOCATION", "URL"} <= set(vevent.keys())
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Asia/Kolkata"
    assert not calendar.get_missing_tzids()


def test_public_feed_lists_public_events_only(world: World, client: Client) -> None:
    EventFactory.create(owner=world.prefecture, title_en="Public")
    EventFactory.create(owner=world.prefecture, title_en="Partners", visibility="partners")
    webinar = EventFactory.create(
        owner=world.prefecture, title_en="Webinar", city=None, online_url="https://x.example/w"
    )
    webinar.time_zone = "Asia/Tokyo"
    webinar.save()
    calendar = _parse(client.get(reverse("events:feed_public")).content)
    assert {str(v["SUMMARY"]) for v in calendar.walk("VEVENT")} == {"Public", "Webinar"}
    assert {str(t["TZID"]) for t in calendar.walk("VTIMEZONE")} == {"Asia/Kolkata", "Asia/Tokyo"}


def test_personal_feed_lists_my_registrations_by_secret_token(
    world: World, register: Callable[..., Registration]
) -> None:
    member = world.users["member"]
    going = EventFactory.create(owner=world.prefecture, title_en="Going", capacity=1)
    waiting = EventFactory.create(owner=world.prefecture, title_en="Waiting", capacity=1)
    register(going, member.email, user=member)
    register(waiting)
    register(waiting, member.email, user=member)
    cancelled = register(
        EventFactory.create(owner=world.prefecture, title_en="Cancelled"), user=member
    )
    from setu.events.registration import registration_cancel

    registration_cancel(registration=cancelled, actor=member)
    feed = services.calendar_feed_for(user=member)
    response = Client().get(reverse("events:feed_personal", args=[feed.token]))
    calendar = _parse(response.content)
    statuses = {str(v["SUMMARY"]): str(v["STATUS"]) for v in calendar.walk("VEVENT")}
    assert statuses == {"Going": "CONFIRMED", "Waiting": "TENTATIVE"}
    assert Client().get(reverse("events:feed_personal", args=["wrong"])).status_code == 404
    # A new token retires the old link.
    services.calendar_feed_reset(user=member)
    assert Client().get(reverse("events:feed_personal", args=[feed.token])).status_code == 404


def test_event_past_cannot_be_registered(world: World) -> None:
    past = timezone.now() - timedelta(days=3)
    event = EventFactory.create(
        owner=world.prefecture, starts_at=past, ends_at=past + timedelta(hours=1)
    )
    client = world.client_for("member")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "already started or taken place" in page
    response = client.get(reverse("events:register", args=[event.pk]), follow=True)
    assert "already started or taken place" in response.content.decode()
    assert not Registration.objects.exists()


def test_organiser_sees_the_tools_others_do_not(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture)
    url = event.get_absolute_url()
    assert reverse("events:registrations", args=[event.pk]) in (
        world.client_for("officer_own").get(url).content.decode()
    )
    assert reverse("events:registrations", args=[event.pk]) not in (
        world.client_for("partner").get(url).content.decode()
    )


def test_event_model_str_and_online(world: World) -> None:
    event: Event = EventFactory.create(
        owner=world.prefecture, city=None, online_url="https://x.y/z"
    )
    assert event.is_online and str(event) == event.title_en

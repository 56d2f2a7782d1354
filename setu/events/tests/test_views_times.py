"""How a reader who is not signed in reads event times: the venue's, then their own if it differs.

Their zone arrives in the ``setu_tz`` cookie that static/js/events/localtime.js sets from the
browser; browsers in India report the old name ``Asia/Calcutta``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from setu.conftest import World
from setu.core.timefmt import READER_ZONE_COOKIE
from setu.directory.models import City
from setu.events.models import Event, Session
from setu.events.tests.factories import EventFactory
from setu.matchmaking.services.requests import check_window
from setu.matchmaking.tests.market_builders import close_window, market

pytestmark = pytest.mark.django_db

TEN_IN_BENGALURU = datetime(2030, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def _event(world: World, city_key: str) -> Event:
    city = City.objects.get(key=city_key)
    return EventFactory.create(
        owner=world.prefecture,
        city=city,
        time_zone=city.timezone,
        starts_at=TEN_IN_BENGALURU,
        ends_at=TEN_IN_BENGALURU + timedelta(hours=3),
    )


def _page(client: Client, event: Event) -> str:
    return strip_tags(client.get(reverse("events:detail", args=[event.pk])).content.decode())


def _reader_in_india() -> Client:
    client = Client()
    client.cookies[READER_ZONE_COOKIE] = "Asia/Calcutta"
    return client


def test_reader_in_india_sees_one_time_for_an_event_in_bengaluru(world: World) -> None:
    page = _page(_reader_in_india(), _event(world, "in-bengaluru"))
    assert "2030-05-12 10:00 IST" in page
    assert "10:00 IST (" not in page  # no second, identical time
    assert "UTC" not in page and "GMT" not in page


def test_reader_in_india_sees_two_times_for_an_event_in_tokyo(world: World) -> None:
    page = _page(_reader_in_india(), _event(world, "jp-tokyo"))
    assert "2030-05-12 13:30 JST (10:00 IST)" in page


def test_session_rows_carry_the_zone_on_the_end_time(world: World) -> None:
    event = _event(world, "jp-tokyo")
    Session.objects.create(
        event=event,
        title_en="Opening",
        starts_at=TEN_IN_BENGALURU,
        ends_at=TEN_IN_BENGALURU + timedelta(minutes=45),
    )
    page = _page(_reader_in_india(), event)
    assert "13:30–14:15 JST (10:00–10:45 IST)" in page


def test_a_reader_whose_zone_is_not_known_yet_gets_a_place_for_it(world: World) -> None:
    event = _event(world, "jp-tokyo")
    html = Client().get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'reader-time reader-time--pending" data-key=' in html  # the script fills it
    assert "UTC" not in strip_tags(html)


def test_a_made_up_cookie_is_ignored(world: World) -> None:
    client = Client()
    client.cookies[READER_ZONE_COOKIE] = "<script>Mars/Olympus"
    response = client.get(reverse("events:detail", args=[_event(world, "jp-tokyo").pk]))
    assert response.status_code == 200
    assert "Mars" not in response.content.decode()


def test_a_registration_deadline_in_a_server_message_is_in_the_readers_zone(world: World) -> None:
    event = _event(world, "in-bengaluru")
    event.registration_opens_at = datetime.now(ZoneInfo("UTC")) + timedelta(days=2)
    event.save()
    url = reverse("events:register", args=[event.pk])
    for client, expected_zones in [
        (_reader_in_india(), ["IST"]),
        (world.client_for("member"), ["IST", "JST"]),  # the member reads in Tokyo
        (Client(), ["IST"]),  # zone not known: the venue's time, not a guessed UTC
    ]:
        # the register page sends the reader back to the event page, which says why
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == event.get_absolute_url()
        found = re.search(r"Registration opens on [^<]*", response.content.decode())
        assert found is not None
        message = found.group(0)
        assert [zone for zone in ("IST", "JST", "UTC") if zone in message] == expected_zones


def test_the_event_forms_zone_and_city_choices_read_as_places(world: World) -> None:
    client = world.client_for("officer_own")
    client.post(reverse("set_language"), {"language": "ja"})
    html = client.get(reverse("events:create")).content.decode()
    assert ">インド (IST, UTC+5:30)</option>" in html
    assert "ベンガルール (インド, IST, UTC+5:30)</option>" in html
    assert ">Asia/Kolkata<" not in html and "Asia/Kolkata)" not in html


def test_a_closed_matchmaking_window_is_told_in_the_readers_zone_not_utc(world: World) -> None:
    mm = market(world)  # in Mumbai
    close_window(mm)
    for reader, zones in [(None, ["IST"]), ("Asia/Tokyo", ["IST", "JST"])]:
        with (
            translation.override("en"),
            timezone.override(reader),
            pytest.raises(ValidationError) as raised,
        ):
            check_window(mm)
        (message,) = raised.value.messages
        assert message.startswith("Meeting requests closed on ")
        assert [zone for zone in ("IST", "JST", "UTC") if zone in message] == zones


def test_a_guest_registering_finds_their_browsers_zone_chosen(world: World) -> None:
    event = _event(world, "jp-tokyo")
    html = _reader_in_india().get(reverse("events:register", args=[event.pk])).content.decode()
    assert '<option value="Asia/Kolkata" selected>India (IST, UTC+5:30)</option>' in html

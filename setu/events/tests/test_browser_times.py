"""In a real browser: a reader in India who is not signed in reads event times the one way.

Chromium reports India's zone as ``Asia/Calcutta``; the page must not repeat "10:00 IST".
Screenshots of the event page and the preferences page in en/ja/hi at 1280 and 390 px.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.directory.models import City
from setu.events.models import Event, Session
from setu.events.tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEN_IN_BENGALURU = datetime(2030, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def _event(world: World, city_key: str, title: str) -> Event:
    city = City.objects.get(key=city_key)
    event = EventFactory.create(
        owner=world.prefecture,
        title_en=title,
        city=city,
        time_zone=city.timezone,
        starts_at=TEN_IN_BENGALURU,
        ends_at=TEN_IN_BENGALURU + timedelta(hours=3),
    )
    Session.objects.create(
        event=event,
        title_en="Opening",
        starts_at=TEN_IN_BENGALURU,
        ends_at=TEN_IN_BENGALURU + timedelta(minutes=45),
    )
    return event


def test_a_reader_in_india_sees_their_time_only_where_it_differs(
    live_server: Any, browser: Any, world: World
) -> None:
    tokyo = _event(world, "jp-tokyo", "Hydrogen seminar, Tokyo")
    bengaluru = _event(world, "in-bengaluru", "Start-up meet, Bengaluru")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Asia/Kolkata", locale="en-IN"
    )
    page = context.new_page()
    # The first page: the script learns the zone and fills in the reader's part.
    page.goto(live_server.url + reverse("events:detail", args=[tokyo.pk]))
    page.wait_for_selector(".reader-time:not(.reader-time--pending)")
    facts = page.locator("main").inner_text()
    assert "2030-05-12 13:30 JST (10:00 IST)" in facts
    assert "13:30–14:15 JST (10:00–10:45 IST)" in facts
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies["setu_tz"] in ("Asia/Calcutta", "Asia/Kolkata")
    page.goto(live_server.url + reverse("events:detail", args=[bengaluru.pk]))
    facts = page.locator("main").inner_text()
    assert "2030-05-12 10:00 IST" in facts and "10:00 IST (" not in facts
    assert "GMT" not in facts and " PM" not in facts
    for language in ("en", "ja", "hi"):
        for width in (1280, 390):
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + reverse("events:detail", args=[tokyo.pk]))
            page.wait_for_selector(".reader-time")
            assert "13:30 JST (10:00 IST)" in page.locator("main").inner_text()
            page.screenshot(
                path=str(artifact(f"times-event-{language}-{width}.png")), full_page=True
            )
    # The month calendar names the zone of each start time too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("events:calendar") + "?month=2030-05")
    assert "13:30 JST" in page.locator("main").inner_text()
    page.screenshot(path=str(artifact("times-calendar-hi-1280.png")), full_page=True)
    context.close()


def test_the_preferences_page_names_zones_as_places(
    live_server: Any, browser: Any, world: World
) -> None:
    user = world.users["member"]
    expected = {"en": "Japan (JST, UTC+9)", "ja": "日本 (JST, UTC+9)", "hi": "जापान (JST, UTC+9)"}
    for language, label in expected.items():
        user.language = language
        user.time_zone = "Asia/Tokyo"
        user.save()
        for width in (1280, 390):
            page = signed_in_page(browser, live_server, user, width=width)
            page.goto(live_server.url + reverse("preferences"))
            select = page.locator("select[name=time_zone]")
            options = select.locator("option").all_inner_texts()
            assert options[0] == label and "Asia/Tokyo" not in options
            assert select.evaluate("s => s.options[s.selectedIndex].text") == label
            page.screenshot(
                path=str(artifact(f"times-preferences-{language}-{width}.png")), full_page=True
            )
            page.context.close()

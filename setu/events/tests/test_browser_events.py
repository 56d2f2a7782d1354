"""In a real browser: a guest registers in Japanese, waits, is promoted; staff check people in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.events.models import Registration, RegistrationStatus
from setu.events.registration import Person, Registrant, registration_cancel, registration_create
from setu.events.tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_registers_in_japanese_waits_and_is_promoted(
    live_server: Any, browser: Any, world: World
) -> None:
    event = EventFactory.create(
        owner=world.prefecture,
        title_en="Hydrogen seminar, Mumbai",
        title_ja="水素セミナー（ムンバイ）",
        capacity=1,
    )
    holder = world.users["partner"]
    first = registration_create(
        event=event,
        registrant=Registrant(name="Priya", email=holder.email, user=holder),
        people=[Person("Priya", holder.email, holder)],
    )
    with translation.override("ja"):
        waitlisted_ja = gettext("On the waitlist")
        confirmed_ja = gettext("Confirmed")
        register_ja = gettext("Register")

    # A guest in Japan: the browser reports Tokyo's zone, which the form pre-selects.
    page = browser.new_page(viewport={"width": 390, "height": 844}, timezone_id="Asia/Tokyo")
    page.goto(f"{live_server.url}/events/")
    page.click(".lang-switch button[value=ja]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    page.click("text=水素セミナー（ムンバイ）")
    assert page.locator("h1").inner_text() == "水素セミナー（ムンバイ）"
    page.click(f"main .actions a:has-text('{register_ja}')")
    page.fill("input[name=name]", "山田 花子")
    page.fill("input[name=email]", "hanako@example.jp")
    page.fill("input[name=organisation_name]", "甲府精機株式会社")
    page.select_option("select[name=country]", "JP")
    page.check("input[name=privacy_consent]")  # the notice for event registration
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    registration = Registration.objects.get(email="hanako@example.jp")
    assert registration.status == RegistrationStatus.UNCONFIRMED
    assert registration.language == "ja" and registration.time_zone == "Asia/Tokyo"

    (message,) = [m for m in mail.outbox if m.to == ["hanako@example.jp"]]
    link = re.search(r"https?://\S+/events/confirm/\S+", message.body)
    assert link, message.body
    page.goto(link.group(0))
    page.screenshot(path=str(artifact("events-guest-confirm-ja.png")), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    badge = page.locator("[data-status]")
    assert badge.get_attribute("data-status") == "waitlisted"
    assert badge.inner_text() == waitlisted_ja
    page.screenshot(path=str(artifact("events-guest-waitlisted-ja.png")), full_page=True)

    registration_cancel(registration=first, actor=holder)  # the seat frees up
    page.reload()
    badge = page.locator("[data-status]")
    assert badge.get_attribute("data-status") == "confirmed"
    assert badge.inner_text() == confirmed_ja
    assert page.locator("img.ticket__qr").count() == 1
    page.screenshot(path=str(artifact("events-guest-promoted-ja.png")), full_page=True)
    promoted = [m for m in mail.outbox if m.to == ["hanako@example.jp"]]
    with translation.override("ja"):
        assert promoted[-1].subject == gettext("A seat is yours: %(event)s") % {
            "event": "水素セミナー（ムンバイ）"
        }
    page.close()


def test_staff_check_people_in_at_the_door(live_server: Any, browser: Any, world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, title_en="Networking evening")
    other = EventFactory.create(owner=world.prefecture, title_en="Another event")
    guest = registration_create(
        event=event,
        registrant=Registrant(
            name="Ravi Kumar",
            email="ravi@example.in",
            user=world.users["member"],
            organisation_name="Pune Motors Pvt Ltd",
        ),
        people=[Person("Ravi Kumar", "ravi@example.in")],
    )
    code = guest.attendees.get().code
    foreign = registration_create(
        event=other,
        registrant=Registrant(name="X", email="x@example.in", user=world.users["partner"]),
        people=[Person("X", "x@example.in")],
    ).attendees.get()

    page = signed_in_page(browser, live_server, world.users["officer_own"], width=390)
    page.goto(f"{live_server.url}/events/{event.pk}/check-in/")
    assert "0 / 1" in page.locator(".checkin__counts").inner_text()
    page.fill("input[name=code]", f"{code[:5].lower()}-{code[5:]}")
    page.press("input[name=code]", "Enter")
    result = page.locator(".checkin__result")
    result.wait_for()
    assert result.get_attribute("data-ok") == "true"
    assert "Ravi Kumar" in result.inner_text() and "Pune Motors Pvt Ltd" in result.inner_text()
    page.locator(".checkin__counts", has_text="1 / 1").wait_for()
    assert page.locator("input[name=code]").input_value() == ""  # ready for the next person
    page.screenshot(path=str(artifact("events-checkin-ok.png")), full_page=True)

    page.fill("input[name=code]", code)
    page.press("input[name=code]", "Enter")
    page.wait_for_selector(".checkin__result[data-ok=false]")
    assert "already checked in" in page.locator(".checkin__result").inner_text()

    page.fill("input[name=code]", foreign.code)
    page.press("input[name=code]", "Enter")
    page.locator(".checkin__result", has_text="Another event").wait_for()
    assert page.locator(".checkin__result").get_attribute("data-ok") == "false"
    page.screenshot(path=str(artifact("events-checkin-refused.png")), full_page=True)
    foreign.refresh_from_db()
    assert foreign.checked_in_at is None
    page.context.close()

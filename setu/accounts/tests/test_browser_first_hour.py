"""The first hour of a new officer, in a real browser at phone width, in Japanese.

The secretariat invites an officer → the invitation email → the account form (address fixed,
name in Latin letters and in kanji) → the second factor (the browser's own asset requests and a
reload must not change the secret) → the dashboard of the right prefecture, greeting them by
name → an event co-hosted with another prefecture.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from setu.accounts.models import Invitation, Membership, Role, User
from setu.accounts.tests.factories import PASSWORD, UserFactory
from setu.browser import artifact, signed_in_page
from setu.conftest import build_world
from setu.directory.models import City
from setu.events.models import Event, EventOrganisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
PASSPHRASE = "hanabi-Kofu-2027"


def ja(message: str) -> str:
    with translation.override("ja"):
        text = gettext(message)
    assert text != message, f"no Japanese for {message!r}"
    return text


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(artifact(f"first-hour-{name}.png")), full_page=True)


def _secret(page: Any) -> str:
    value = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", value), value
    return str(value)


def _fetch_favicon(page: Any) -> int:
    """What a person's browser does on every page (headless Chromium never does it itself)."""
    return int(page.evaluate("() => fetch('/favicon.ico').then((r) => r.status)"))


def _current_code(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def test_an_invited_officer_joins_enrols_and_announces_a_joint_event_on_a_phone(
    live_server: Any, browser: Any
) -> None:
    world = build_world()
    secretariat = world.users["secretariat"]
    secretariat.language = "ja"
    secretariat.save(update_fields=["language"])

    # 1. The secretariat invites the first officer of a prefecture, in Japanese.
    page = signed_in_page(browser, live_server, secretariat, width=PHONE)
    page.goto(f"{live_server.url}/accounts/invitations/")
    page.get_by_label(ja("Email address")).fill("hanako.yamada@pref.example.jp")
    page.get_by_label(ja("Organisation")).select_option(str(world.prefecture.pk))
    page.get_by_label(ja("Language of the invitation")).select_option("ja")
    _shot(page, "01-invite")
    page.get_by_role("button", name=ja("Send invitation")).click()
    page.wait_for_load_state()
    assert "hanako.yamada@pref.example.jp" in page.locator("main").inner_text()
    page.context.close()

    # 2. The email, in Japanese, carries the link.
    message = mail.outbox[-1]
    assert message.to == ["hanako.yamada@pref.example.jp"]
    assert ja("Open this link to accept:") in str(message.body)
    link = re.search(r"https?://\S+/accounts/invitations/accept/\S+/", str(message.body))
    assert link is not None, message.body

    # 3. A fresh browser opens it: straight to the account form, in Japanese, address fixed.
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = context.new_page()
    page.goto(link.group(0))
    assert page.locator("html").get_attribute("lang") == "ja"
    email = page.locator("input[name=email]")
    assert email.input_value() == "hanako.yamada@pref.example.jp"
    assert email.is_disabled()
    page.get_by_label(ja("Your name in Latin letters")).fill("Hanako Yamada")
    page.get_by_label(ja("Your name in your own script")).fill("山田 花子")
    page.locator("input[name=password1]").fill(PASSPHRASE)
    page.locator("input[name=password2]").fill(PASSPHRASE)
    _shot(page, "02-account-form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # 4. No confirmation email: the link proved the address. The gate asks for the second
    #    factor; the browser's own favicon request and a reload keep the secret.
    assert page.url.endswith("/accounts/2fa/totp/activate/"), page.url
    assert len(mail.outbox) == 1
    first_secret = _secret(page)
    messages = page.locator(".messages").inner_text()
    assert ja("Welcome to %(org)s.") % {"org": world.prefecture} in messages
    assert ja("Successfully signed in as %(name)s.") % {"name": "山田 花子"} in messages
    _shot(page, "03-second-factor")
    assert _fetch_favicon(page) == 200
    page.reload()
    assert _fetch_favicon(page) == 200
    assert _secret(page) == first_secret
    page.locator("input[name=code]").fill(_current_code(first_secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/" in page.url
    assert ja("Incorrect code.") not in page.locator("main").inner_text()
    _shot(page, "04-recovery-codes")

    # 5. The dashboard of the right prefecture, greeting her by name, in Japanese.
    page.get_by_role("link", name=ja("Codes kept: continue to the dashboard")).click()
    page.wait_for_load_state()
    heading = page.locator("main h1").inner_text()
    assert "山田 花子" in heading
    assert "hanako.yamada@pref.example.jp" not in heading
    main = page.locator("main").inner_text()
    assert str(world.prefecture) in main
    assert ja("Your prefecture") in main
    _shot(page, "05-dashboard")
    user = User.objects.get(email="hanako.yamada@pref.example.jp")
    assert (user.full_name, user.native_name, user.language) == ("Hanako Yamada", "山田 花子", "ja")
    assert Membership.objects.filter(
        user=user, organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    ).exists()
    assert Invitation.objects.get().status == "accepted"

    # 6. She announces an event co-hosted with another prefecture.
    page.get_by_role("link", name=ja("Announce an event")).click()
    page.wait_for_load_state()
    page.locator("select[name=kind]").select_option("seminar")
    page.locator("[name=title_ja]").fill("ムンバイ投資セミナー")
    page.locator("select[name=original_language]").select_option("ja")
    page.locator("select[name=city]").select_option(str(City.objects.get(key="in-mumbai").pk))
    page.locator("[name=venue]").fill("Trident")
    page.locator("[name=starts_at]").fill("2030-05-12T10:00")
    page.locator("[name=ends_at]").fill("2030-05-12T16:00")
    page.locator("select[name=co_hosts]").select_option(str(world.other_prefecture.pk))
    _shot(page, "06-event-form")
    page.get_by_role("button", name=ja("Save")).click()
    page.wait_for_load_state()
    assert Event.objects.exists(), (
        page.locator("[name=title_ja]").input_value(),
        page.locator(".errorlist").all_inner_texts(),
    )
    event = Event.objects.get()
    assert page.url.endswith(event.get_absolute_url()), page.url
    assert event.owner == world.prefecture
    assert EventOrganisation.objects.filter(
        event=event, organisation=world.other_prefecture, role="co_host"
    ).exists()
    assert "ムンバイ投資セミナー" in page.locator("main").inner_text()
    _shot(page, "07-event")
    context.close()


def test_the_browsers_own_requests_do_not_change_the_secret_being_scanned(
    live_server: Any, browser: Any
) -> None:
    """An officer without a second factor signs in and is sent to enrol (desktop, English)."""
    world = build_world()
    officer = UserFactory(email="fresh.officer@example.org")
    world.prefecture.memberships.create(user=officer, role="prefecture_officer")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    first_secret = _secret(page)
    for _ in range(3):
        assert _fetch_favicon(page) == 200
    page.reload()
    assert _secret(page) == first_secret
    _shot(page, "totp-desktop")
    page.fill("input[name=code]", _current_code(first_secret))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Incorrect code." not in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/dashboard/")
    assert page.url.endswith("/dashboard/")
    page.close()

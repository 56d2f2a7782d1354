"""In a real browser, in Japanese: an officer filters the directory and opens an agreement."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from setu.browser import artifact
from setu.core.management.commands.load_demo import DEMO_PASSWORD, demo_totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "officer.shizuoka@demo.setu.example"


def sign_in_staff(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    code = format_hotp_value(hotp_value(demo_totp_secret(email), int(time.time()) // 30))
    page.fill("input[name=code]", code)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def test_officer_filters_by_focal_sector_and_reads_an_agreement_in_japanese(
    live_server: Any, browser: Any
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    with translation.override("ja"):
        directory_ja = gettext("Directory")
        sister_state_ja = gettext("Sister state")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in_staff(page, live_server.url, OFFICER)
    assert page.locator("html").get_attribute("lang") == "ja"  # the officer's own language
    page.click(f"nav.site-nav >> text={directory_ja}")
    page.click("details.filters-toggle > summary")  # on a phone the filters fold away
    page.select_option("select[name=focal]", "automotive_components")
    page.select_option("select[name=country]", "JP")
    page.click("form.filters button[type=submit]")
    rows = page.locator("main table tbody tr")
    names = rows.all_inner_texts()
    assert any("遠州オートパーツ株式会社" in row for row in names)
    assert not any("大山フーズ" in row for row in names)  # food processing, not automotive
    page.screenshot(path=str(artifact("directory-filtered-ja-phone.png")), full_page=True)

    page.goto(f"{live_server.url}/directory/partnerships/")
    page.click(f"main table >> text={sister_state_ja} >> nth=0")
    body = page.locator("main").inner_text()
    assert "静岡県" in body or "Shizuoka" in body
    page.screenshot(path=str(artifact("directory-agreement-ja-phone.png")), full_page=True)
    page.close()

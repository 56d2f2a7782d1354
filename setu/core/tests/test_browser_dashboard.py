"""In a real browser: sign in with a demo login, switch to Japanese, see the dashboard so."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from setu.browser import artifact
from setu.core.management.commands.load_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_partner_signs_in_and_reads_the_dashboard_in_japanese(
    live_server: Any, browser: Any
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    with translation.override("ja"):
        dashboard_ja = gettext("Dashboard")
        sign_out_ja = gettext("Sign out")
    assert dashboard_ja != "Dashboard", "the Japanese catalog lacks 'Dashboard'"

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "partner@demo.setu.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.click(".lang-switch button[value=ja]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    nav = page.locator("nav.site-nav")
    assert dashboard_ja in nav.inner_text()
    assert sign_out_ja in nav.inner_text()
    assert "Western India Clean Energy Chamber" in page.locator("main").inner_text()
    page.screenshot(path=str(artifact("dashboard-ja.png")), full_page=True)
    page.close()

"""The header's organisation switcher in a browser: by keyboard alone, and at 390 px without
the page scrolling sideways, in English, Japanese and Hindi."""

from __future__ import annotations

from typing import Any

import pytest

from setu.accounts.models import Role, User
from setu.accounts.tests.factories import add_membership
from setu.browser import artifact, signed_in_page
from setu.conftest import build_world
from setu.directory.tests.factories import CompanyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _officer_with_a_company() -> tuple[User, Any, Any]:
    world = build_world()
    officer = world.users["officer_own"]
    company = CompanyFactory.create(
        name_en="Maharashtra Hydrogen and Renewable Energy Components Private Limited",
        managed_by=world.prefecture,
    )
    add_membership(officer, company, Role.MEMBER)
    return officer, world.prefecture, company


def test_switching_by_keyboard_changes_the_acting_organisation(
    live_server: Any, browser: Any
) -> None:
    officer, prefecture, company = _officer_with_a_company()
    page = signed_in_page(browser, live_server, officer)
    page.goto(f"{live_server.url}/dashboard/")
    select = page.get_by_label("Acting for")
    assert select.input_value() == str(prefecture.pk)  # the officer's role comes first
    page.screenshot(path=artifact("acting-switch-1280-en.png"))
    select.focus()
    page.keyboard.press("ArrowDown")
    if select.input_value() != str(company.pk):  # Chromium on Linux opens the list instead
        page.keyboard.press("Enter")
    assert select.input_value() == str(company.pk)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Switch"
    with page.expect_navigation():  # the old page is loaded already: wait for the new one
        page.keyboard.press("Enter")
    assert page.url.endswith("/dashboard/")
    assert page.get_by_label("Acting for").input_value() == str(company.pk)
    assert page.get_by_text("You now act for Maharashtra Hydrogen").count() == 1
    page.screenshot(path=artifact("acting-switch-1280-en-switched.png"))


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_the_switcher_fits_a_phone(live_server: Any, browser: Any, language: str) -> None:
    officer, _prefecture, _company = _officer_with_a_company()
    User.objects.filter(pk=officer.pk).update(language=language)
    page = signed_in_page(browser, live_server, officer, width=390)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator(".acting-switch select").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator(".acting-switch button").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    page.screenshot(path=artifact(f"acting-switch-390-{language}.png"))

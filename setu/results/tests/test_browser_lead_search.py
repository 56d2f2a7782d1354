"""In a real browser: typing in a lead's company box offers the organisations found (htmx),
choosing one saves the lead with it; the costs page of an event fits a phone. Screenshots in
en, ja and hi, desktop and 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.results.models import EventCost, Lead
from setu.results.tests.factories import past_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDER_THAN_WINDOW = "() => document.documentElement.scrollWidth > window.innerWidth"


def test_typing_a_name_offers_the_company_and_saves_the_lead(
    world: World, live_server: Any, browser: Any
) -> None:
    officer = world.users["officer_own"]
    page = signed_in_page(browser, live_server, officer, width=390)
    page.goto(f"{live_server.url}/results/leads/new/")
    page.select_option("#id_kind", "trade")
    page.fill("#id_title", "Valves for Pune")
    page.fill("#id_company", "kofu")
    page.wait_for_selector("#id_company_choices input[value]")
    page.screenshot(path=str(artifact("lead-search-en-390.png")), full_page=True)
    page.check(f"#id_company_choices input[value='{world.company.pk}']")
    assert not page.evaluate(WIDER_THAN_WINDOW)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/results/leads/*/")
    made = Lead.objects.get(title="Valves for Pune")
    assert made.company_id == world.company.pk
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_the_costs_page_fits_a_phone(
    world: World, live_server: Any, browser: Any, language: str
) -> None:
    event = past_event(world, title_en="Pune Auto Components B2B Day")
    EventCost.objects.create(
        event=event, title="Venue hire, Hotel Sayaji, Pune", amount_jpy=850_000
    )
    officer = world.users["officer_own"]
    officer.language = language
    officer.save(update_fields=["language"])
    for width in (1280, 390):
        page = signed_in_page(browser, live_server, officer, width=width)
        page.goto(f"{live_server.url}/results/events/{event.pk}/costs/")
        page.wait_for_load_state("load")
        assert not page.evaluate(WIDER_THAN_WINDOW), f"{language} at {width} px scrolls sideways"
        page.screenshot(path=str(artifact(f"event-costs-{language}-{width}.png")), full_page=True)
        page.context.close()

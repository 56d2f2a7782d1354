"""In a real browser: a change of an organisation's sectors reads as before → after in the
audit log, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.browser import artifact, signed_in_page
from setu.conftest import build_world
from setu.directory import services
from setu.directory.models import Sector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_log_reads_a_sector_change(live_server: Any, browser: Any) -> None:
    world = build_world()
    food, machinery = Sector.objects.get(code="10"), Sector.objects.get(code="28")
    world.company.sectors.set([food])
    services.organisation_update(
        actor=world.users["member"],
        organisation=world.company,
        data={"sectors": [food, machinery]},
    )
    after = ", ".join(sorted([str(food), str(machinery)]))
    for width in (1280, 390):
        page = signed_in_page(browser, live_server, world.users["officer_own"], width=width)
        page.goto(f"{live_server.url}{reverse('audit_log')}")
        row = page.locator("tr", has_text="sectors").first
        assert f"{food} → {after}" in " ".join(row.inner_text().split())
        page.screenshot(path=artifact(f"audit-relations-{width}.png"), full_page=True)

"""axe-core on the destination pages (issue 21): the index, a published page read in English
and in Hindi, the editor's page, and the travel fair's booth and travel-trade profile pages
carry no serious or critical accessibility violation.

axe-playwright-python ships axe.min.js inside the package, so this runs offline with
Debian's Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.browser import signed_in_page
from setu.conftest import build_world
from setu.tourism.tests.factories import fair, photo, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}


def _blocking(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def test_the_destination_pages_have_no_serious_axe_violation(
    live_server: Any, browser: Any
) -> None:
    world = build_world()
    page_record = published(world.prefecture)
    photo(page_record)
    code = page_record.region_id
    problems: dict[str, list[str]] = {}
    for language in ("en", "hi"):
        context = browser.new_context(extra_http_headers={"Accept-Language": language})
        reader = context.new_page()
        for path in ("/visit/", f"/visit/{code}/"):
            response = reader.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            problems[f"{path} [{language}]"] = _blocking(reader)
        context.close()
    editor = signed_in_page(browser, live_server, world.users["officer_own"])
    response = editor.goto(f"{live_server.url}{reverse('tourism:edit', args=[code])}")
    assert response is not None and response.status == 200
    problems["editor"] = _blocking(editor)
    event = fair(world)
    booth = event.booths.get()  # type: ignore[attr-defined]
    for name, args in (("fair_booths", [event.pk]), ("fair_booth_edit", [event.pk, booth.pk])):
        response = editor.goto(f"{live_server.url}{reverse(f'tourism:{name}', args=args)}")
        assert response is not None and response.status == 200, name
        problems[name] = _blocking(editor)
    member = signed_in_page(browser, live_server, world.users["member"])
    response = member.goto(f"{live_server.url}{reverse('tourism:trade_profile', args=[event.pk])}")
    assert response is not None and response.status == 200
    problems["trade_profile"] = _blocking(member)
    found = {page: items for page, items in problems.items() if items}
    assert not found, "\n".join(
        f"{page}: {item}" for page, items in found.items() for item in items
    )

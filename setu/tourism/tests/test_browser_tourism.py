"""The destination pages in a real browser at phone width: the editor's pages and the public
page fit 390 px, and the public page speaks the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.browser import artifact, signed_in_page
from setu.conftest import build_world
from setu.tourism.tests.factories import photo, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_editor_and_the_reader_fit_a_phone(live_server: Any, browser: Any) -> None:
    world = build_world()
    page_record = published(world.prefecture)
    photo(page_record)
    code = page_record.region_id
    editor = signed_in_page(browser, live_server, world.users["officer_own"], width=WIDTH)
    for name in ("edit", "preview", "place_add", "itinerary_add", "photo_add", "festival_add"):
        response = editor.goto(f"{live_server.url}{reverse(f'tourism:{name}', args=[code])}")
        assert response is not None and response.status == 200, name
        editor.screenshot(path=str(artifact(f"tourism-{name}-phone.png")), full_page=True)
        assert _fits(editor), name
    for language, title in (
        ("en", "Visit Yamanashi"),
        ("ja", "山梨を訪ねる"),
        ("hi", "Visit Yamanashi"),
    ):
        context = browser.new_context(
            viewport={"width": WIDTH, "height": 900},
            extra_http_headers={"Accept-Language": language},
        )
        reader = context.new_page()
        reader.goto(f"{live_server.url}/visit/{code}/")
        assert reader.locator("html").get_attribute("lang") == language
        assert reader.locator("h1").inner_text() == title
        assert _fits(reader), language
        reader.screenshot(path=str(artifact(f"tourism-page-{language}-phone.png")), full_page=True)
        context.close()


def test_the_fair_pages_fit_a_phone_in_every_language(live_server: Any, browser: Any) -> None:
    from setu.accounts.models import User
    from setu.tourism.tests.factories import fair

    world = build_world()
    event = fair(world)
    booth = event.booths.get()  # type: ignore[attr-defined]
    pages = {
        "officer_own": [
            reverse("tourism:fair_booths", args=[event.pk]),
            reverse("tourism:fair_booth_edit", args=[event.pk, booth.pk]),
        ],
        "member": [reverse("tourism:trade_profile", args=[event.pk])],
    }
    for language in ("en", "ja", "hi"):
        for role, urls in pages.items():
            user = world.users[role]
            User.objects.filter(pk=user.pk).update(language=language)
            for width in (WIDTH, 1280):
                page = signed_in_page(browser, live_server, user, width=width)
                for url in urls:
                    response = page.goto(f"{live_server.url}{url}")
                    assert response is not None and response.status == 200, url
                    name = url.strip("/").replace("/", "-")
                    shot = f"tourism-{name}-{language}-{width}.png"
                    page.screenshot(path=str(artifact(shot)), full_page=True)
                    if width == WIDTH:
                        assert _fits(page), (url, language)
                page.context.close()

"""In a real browser: the organiser adds an interpreter, runs the scheduler and reads the
interpreter load per slot and the agenda; at 1280 and 390 px, in English, Japanese and Hindi."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import Interpreter
from setu.matchmaking.tests.factories import accepted, matchmaking_for
from setu.matchmaking.tests.schedule_builders import companies, run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_interpreter_pages(live_server: Any, browser: Any, world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, title_en="Hydrogen B2B day, Kofu")
    mm = matchmaking_for(event, slots=4, tables=4)
    jp = companies(mm, 3, languages="ja")
    india = companies(mm, 3, country="IN", languages="hi")
    for a in jp:
        for b in india:
            accepted(a, b)
    officer = world.users["officer_own"]
    base = live_server.url
    page = signed_in_page(browser, live_server, officer)
    page.goto(base + reverse("matchmaking:interpreters", args=[event.pk]))
    page.fill("input[name=name]", "Aiko Tanaka")
    page.fill("input[name=languages]", "ja,hi")
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state()
    aiko = Interpreter.objects.get(matchmaking=mm)
    run = run_now(mm, officer)
    pages = {
        "interpreters": reverse("matchmaking:interpreters", args=[event.pk]),
        "draft": reverse("matchmaking:schedule_detail", args=[event.pk, run.pk]),
        "agenda": reverse("matchmaking:interpreter_agenda", args=[event.pk, aiko.pk]),
    }
    for language in ("en", "ja", "hi"):
        officer.language = language
        officer.save(update_fields=["language"])
        for width in (1280, 390):
            page = signed_in_page(browser, live_server, officer, width=width)
            page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            for name, url in pages.items():
                page.goto(base + url)
                scroll = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert scroll <= 1, f"{name} {language} {width}px scrolls sideways by {scroll}px"
                page.screenshot(
                    path=str(artifact(f"interpreters-{name}-{language}-{width}.png")),
                    full_page=True,
                )
    assert "Aiko Tanaka" in page.content()

"""In a real browser: the board moves a lead by drag and drop and by the keyboard (a focused
card's stage choice and its Move button); a drag backwards asks for the reason first."""

from __future__ import annotations

from typing import Any

import pytest

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.results.models import Lead, Stage, StageChange
from setu.results.services import lead_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _lead(world: World, title: str, stage: str) -> Lead:
    return lead_create(
        actor=world.users["officer_own"],
        owner=world.prefecture,
        stage=stage,
        data={
            "kind": "trade",
            "title": title,
            "company": world.company,
            "visibility": "consortium",
        },
    )


def _drag(page: Any, source: str, target: str) -> None:
    """Drag ``source`` onto ``target`` with the HTML5 events a person's drag fires."""
    data = page.evaluate_handle("() => new DataTransfer()")
    page.dispatch_event(source, "dragstart", {"dataTransfer": data})
    page.dispatch_event(target, "dragover", {"dataTransfer": data})
    with page.expect_navigation(timeout=120_000):
        page.dispatch_event(target, "drop", {"dataTransfer": data})


def test_drag_and_keyboard_moves_on_the_board(world: World, live_server: Any, browser: Any) -> None:
    dragged = _lead(world, "Dies for Pune", Stage.CONTACTED)
    typed = _lead(world, "Moulds for Chennai", Stage.IDENTIFIED)
    page = signed_in_page(browser, live_server, world.users["officer_own"])
    page.goto(f"{live_server.url}/results/")

    # drag "Dies for Pune" onto the proposal column (the HTML5 drag events the board listens to)
    _drag(page, f'li[data-lead="{dragged.pk}"]', 'section[data-stage="proposal"] ol')
    assert Lead.objects.get(pk=dragged.pk).stage == Stage.PROPOSAL
    assert "Dies for Pune" in page.inner_text('section[data-stage="proposal"]')

    # the keyboard: focus the card's stage choice, pick a stage, press Move
    select = page.locator(f"#move-{typed.pk}")
    select.focus()
    select.select_option("meeting_held")
    button = page.locator(f"li[data-lead='{typed.pk}'] form button")
    with page.expect_navigation(timeout=120_000):
        button.press("Enter")  # focus the Move button and press Enter, as a keyboard user does
    assert Lead.objects.get(pk=typed.pk).stage == Stage.MEETING_HELD

    # a drag backwards: the reason step, then the move
    _drag(page, f'li[data-lead="{dragged.pk}"]', 'section[data-stage="identified"] ol')
    assert Lead.objects.get(pk=dragged.pk).stage == Stage.PROPOSAL
    page.screenshot(path=str(artifact("results-move-reason.png")), full_page=True)
    page.fill("textarea[name=reason]", "The buyer restarted its tender")
    with page.expect_navigation(timeout=120_000):
        page.locator("main form button[type=submit]").first.click()
    assert Lead.objects.get(pk=dragged.pk).stage == Stage.IDENTIFIED
    assert StageChange.objects.filter(lead=dragged, reason__startswith="The buyer").exists()
    assert page.url.endswith("/results/")

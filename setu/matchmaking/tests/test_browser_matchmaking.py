"""In a real browser: a Japanese company asks an Indian chamber for a meeting, the chamber
accepts, the organiser runs the scheduler and publishes, and both see it in their agendas."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.events.tests.factories import EventFactory
from setu.matchmaking.models import MeetingRequest, RequestStatus, RunStatus, ScheduleRun
from setu.matchmaking.tests.factories import matchmaking_for, participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_accept_schedule_publish_agenda(
    live_server: Any, browser: Any, world: World
) -> None:
    event = EventFactory.create(
        owner=world.prefecture, title_en="Auto components networking, Pune", kind="networking"
    )
    mm = matchmaking_for(event, slots=6, tables=2, table_names="Sakura\nLotus")
    member = participant(
        mm, world.company, contact=world.users["member"], offers="Precision die-cast parts"
    )
    partner = participant(
        mm, world.partner_org, contact=world.users["partner"], needs="Die-cast suppliers"
    )
    base = live_server.url

    # The Japanese company finds the chamber in the marketplace and asks for a meeting.
    page = signed_in_page(browser, live_server, world.users["member"])
    page.goto(base + reverse("matchmaking:market", args=[event.pk]))
    page.locator(".mm-card, article, li", has_text="Mumbai Chamber").get_by_role(
        "link", name="Request a meeting"
    ).first.click()
    page.fill("textarea[name=message]", "We make die-cast housings for EV motors.")
    page.get_by_label("High").check()
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    request = MeetingRequest.objects.get(requester=member, recipient=partner)
    assert request.status == RequestStatus.PENDING and request.priority == 2
    page.screenshot(path=str(artifact("matchmaking-request-sent.png")), full_page=True)

    # The chamber accepts it from its requests page.
    page = signed_in_page(browser, live_server, world.users["partner"], width=390)
    page.goto(base + reverse("matchmaking:requests", args=[event.pk]))
    assert "We make die-cast housings for EV motors." in page.content()
    page.get_by_role("button", name="Accept").first.click()
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    page.screenshot(path=str(artifact("matchmaking-request-accepted-phone.png")), full_page=True)

    # The organiser runs the scheduler, reviews the draft and publishes it.
    page = signed_in_page(browser, live_server, world.users["officer_own"])
    page.goto(base + reverse("matchmaking:schedule", args=[event.pk]))
    page.get_by_role("button", name="Run scheduler").click()
    page.wait_for_load_state()
    run = ScheduleRun.objects.get(matchmaking=mm)
    page.goto(base + reverse("matchmaking:schedule_detail", args=[event.pk, run.pk]))
    assert "Draft schedule" in page.locator("h1").inner_text()
    figures = page.locator("dl.counts").inner_text()
    assert "Meetings placed" in figures and "Upper bound" in figures
    page.screenshot(path=str(artifact("matchmaking-draft.png")), full_page=True)
    page.get_by_role("button", name="Publish this schedule").click()
    page.wait_for_load_state()
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.placed == 1 and run.upper_bound == 1

    # Both sides see the meeting in their agendas: who, where and when.
    meeting = run.meetings.get()
    for user, other in (
        (world.users["member"], "Mumbai Chamber"),
        (world.users["partner"], "Kofu"),
    ):
        page = signed_in_page(browser, live_server, user)
        page.goto(base + reverse("matchmaking:agenda", args=[event.pk]))
        assert page.locator("h1").inner_text() == "Meeting agenda"
        text = page.locator("main").inner_text()
        assert other in text and mm.table_label(meeting.table) in text
        assert "IST" in text and "JST" in text
    page.screenshot(path=str(artifact("matchmaking-agenda.png")), full_page=True)

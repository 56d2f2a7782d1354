"""In a real browser: (a) a meeting with an agenda, minutes in two revisions, publishing, and
the open action item on the next meeting; (b) two prefectures plan overlapping Mumbai missions,
the second sees the clash and proposes joining, the first accepts, the second merges its
duplicate plan; (c) screenshots of the proposal choice and the merge/withdraw offer."""

from __future__ import annotations

from typing import Any

import pytest

from setu.accounts.models import User
from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.coordination.models import (
    ActionCarryOver,
    Meeting,
    MinutesRevision,
    Mission,
    MissionParticipant,
)
from setu.coordination.tests.factories import SeriesFactory, city, days_from_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_for(browser: Any, live_server: Any, user: User, width: int = 1280) -> Any:
    return signed_in_page(browser, live_server, user, width)


def _submit(page: Any, form: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").last.click()


def test_meeting_minutes_publish_and_carry_over(
    world: World, live_server: Any, browser: Any
) -> None:
    series = SeriesFactory.create(owner=world.secretariat_org, title_en="Working group")
    page = _page_for(browser, live_server, world.users["secretariat"])

    # A meeting of the series, held yesterday, with Yamanashi invited.
    page.goto(f"{live_server.url}/coordination/meetings/new/?series={series.pk}")
    page.fill("input[name=title_en]", "Working group, last month")
    page.fill("input[name=day]", days_from_today(-1).isoformat())
    page.fill("input[name=start_time]", "10:00")
    page.fill("input[name=end_time]", "11:30")
    page.select_option("select[name=invite]", [str(world.prefecture.pk)])
    _submit(page)
    meeting = Meeting.objects.get(title_en="Working group, last month")
    assert page.url.endswith(meeting.get_absolute_url())
    main = page.inner_text("main")
    assert "10:00–11:30 JST (= 06:30 IST)" in main, main

    # The agenda.
    page.click("text=Add an agenda item")
    page.fill("input[name=title_en]", "Mumbai seminar")
    page.fill("input[name=duration_minutes]", "30")
    _submit(page)
    assert "Mumbai seminar" in page.inner_text("#agenda")

    # Minutes in two revisions.
    for text in ("Seminar agreed.", "Seminar agreed.\nYamanashi drafts the programme."):
        page.click("text=Write the minutes")
        page.fill("textarea[name=text]", text)
        _submit(page, "form[data-minutes-form]")
    item = meeting.agenda_items.get()
    assert list(
        MinutesRevision.objects.filter(agenda_item=item).values_list("number", flat=True)
    ) == [2, 1]
    assert "Yamanashi drafts the programme." in page.inner_text("#agenda")
    page.click("#agenda >> text=History")
    page.click("text=Changes in this revision >> nth=0")
    assert "Yamanashi drafts the programme." in page.inner_text("ol.diff ins")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")

    # An action item for Yamanashi, then publishing.
    page.click("#actions >> text=Add an action item")
    page.fill("input[name=title]", "Draft the seminar programme")
    page.select_option("select[name=owner]", str(world.prefecture.pk))
    page.fill("input[name=due_on]", days_from_today(20).isoformat())
    _submit(page)
    page.select_option("#publish select[name=visibility]", "consortium")
    with page.expect_navigation():
        page.click("text=Publish the minutes")
    assert "can no longer change" in page.inner_text(".messages")
    assert page.locator("text=Write the minutes").count() == 0
    page.screenshot(path=str(artifact("coordination-meeting-published.png")), full_page=True)

    # The next meeting of the series carries the open item.
    page.goto(f"{live_server.url}/coordination/meetings/new/?series={series.pk}")
    page.fill("input[name=title_en]", "Working group, this month")
    page.fill("input[name=day]", days_from_today(20).isoformat())
    page.fill("input[name=start_time]", "10:00")
    page.fill("input[name=end_time]", "11:00")
    _submit(page)
    carried = page.inner_text("#actions")
    assert "Open items carried over from earlier meetings" in carried
    assert "Draft the seminar programme" in carried
    assert ActionCarryOver.objects.count() == 1
    page.screenshot(path=str(artifact("coordination-next-meeting.png")), full_page=True)


def _plan_mission(page: Any, base: str, title: str, first: int, last: int) -> Mission:
    page.goto(f"{base}/coordination/missions/new/")
    page.fill("input[name=title_en]", title)
    page.fill("input[name=starts_on]", days_from_today(first).isoformat())
    page.fill("input[name=ends_on]", days_from_today(last).isoformat())
    _submit(page)
    mission = Mission.objects.get(title_en=title)
    page.select_option("#destinations select[name=city]", str(city("in-mumbai").pk))
    page.fill("#destinations input[name=starts_on]", days_from_today(first).isoformat())
    page.fill("#destinations input[name=ends_on]", days_from_today(last).isoformat())
    with page.expect_navigation():
        page.click("text=Add the destination")
    return mission


def test_overlapping_missions_clash_and_join_forces(
    world: World, live_server: Any, browser: Any
) -> None:
    own = _page_for(browser, live_server, world.users["officer_own"])
    first = _plan_mission(own, live_server.url, "Yamanashi renewable-energy mission", 30, 34)
    assert "Clashes with other members' plans" not in own.inner_text("main")

    other = _page_for(browser, live_server, world.users["officer_other"], width=390)
    second = _plan_mission(other, live_server.url, "Shizuoka auto-parts mission", 32, 36)
    notice = other.inner_text("main")
    assert "Possible clash with Yamanashi" in notice
    assert "Yamanashi renewable-energy mission" in notice
    other.screenshot(path=str(artifact("coordination-clash-phone.png")), full_page=True)
    other.check("input[name=direction][value=join_theirs]")
    other.click("text=Add a message")
    other.fill("textarea[name=message]", "Shall we run one seminar together?")
    with other.expect_navigation():
        other.click("text=Propose a joint mission")
    assert "Your proposal was sent" in other.inner_text(".messages")

    own.goto(f"{live_server.url}/coordination/")
    assert "Shizuoka proposes to join your mission" in own.inner_text("main")
    own.screenshot(path=str(artifact("coordination-proposal.png")), full_page=True)
    with own.expect_navigation():
        own.click("text=Accept: Shizuoka joins")
    assert "now takes part in your mission" in own.inner_text(".messages")
    own.goto(f"{live_server.url}{first.get_absolute_url()}")
    assert "joined through a clash proposal" in own.inner_text("#prefectures")
    # The notice stays until Shizuoka merges or withdraws its own plan.
    assert "Waiting for Shizuoka to merge its own plan" in own.inner_text("main")
    participant = MissionParticipant.objects.get(mission=first)
    assert participant.organisation == world.other_prefecture

    other.goto(f"{live_server.url}{second.get_absolute_url()}")
    assert "This plan is now a duplicate" in other.inner_text("main")
    with other.expect_navigation():
        other.click("button:has-text('Merge into the joint mission')")
    assert "was merged into this mission" in other.inner_text(".messages")
    assert other.url.endswith(first.get_absolute_url())
    own.reload()
    assert "Clashes with other members' plans" not in own.inner_text("main")
    second.refresh_from_db()
    assert second.status == "cancelled"


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_screens_of_the_proposal_choice_and_the_duplicate_offer(
    world: World, live_server: Any, browser: Any, language: str
) -> None:
    """Screenshots (1280 and 390 px): the choice on the notice, then the merge/withdraw offer."""
    from setu.coordination.models import ClashNotice, Delegate, JointProposal
    from setu.coordination.services import proposals
    from setu.coordination.tests.conftest import mumbai_mission

    own, other = world.users["officer_own"], world.users["officer_other"]
    for user in (own, other):
        user.language = language
        user.save()
    first = mumbai_mission(world, title="Yamanashi renewable-energy mission")
    second = mumbai_mission(
        world, owner=world.other_prefecture, first=31, title="Shizuoka auto-parts mission"
    )
    Delegate.objects.create(
        mission=second, prefecture=world.other_prefecture,
        organisation=world.other_prefecture, name="Yumi Suzuki",
    )  # fmt: skip
    for width in (1280, 390):
        page = _page_for(browser, live_server, other, width=width)
        page.goto(f"{live_server.url}{second.get_absolute_url()}")
        assert page.locator("input[name=direction]").count() == 2
        page.screenshot(path=str(artifact(f"joint-choice-{language}-{width}.png")), full_page=True)
        page.close()
    proposals.proposal_create(
        notice=ClashNotice.objects.get(), actor=other, direction="join_theirs"
    )
    proposals.proposal_accept(proposal=JointProposal.objects.get(), actor=own)
    for width in (1280, 390):
        page = _page_for(browser, live_server, other, width=width)
        page.goto(f"{live_server.url}{second.get_absolute_url()}")
        assert page.locator("#duplicate-h").count() == 1
        page.screenshot(
            path=str(artifact(f"joint-duplicate-offer-{language}-{width}.png")), full_page=True
        )
        page.close()
    assert first.pk != second.pk

"""The dashboard card of meetings a user or their organisation is invited to."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.coordination.tests.factories import InviteeFactory, MeetingFactory, in_days

pytestmark = pytest.mark.django_db


def _dashboard(world: World, role: str) -> str:
    return world.client_for(role).get(reverse("dashboard")).content.decode()


def test_an_invited_partner_sees_the_meeting_and_is_asked_to_answer(world: World) -> None:
    meeting = MeetingFactory.create(
        owner=world.secretariat_org, title_en="Maharashtra working group", visibility="partners"
    )
    InviteeFactory.create(meeting=meeting, organisation=world.partner_org)
    InviteeFactory.create(meeting=meeting, user=world.users["partner"])  # shown once
    InviteeFactory.create(
        meeting=MeetingFactory.create(
            owner=world.secretariat_org,
            title_en="Last year's meeting",
            starts_at=in_days(-30),
            ends_at=in_days(-29),
        ),
        organisation=world.partner_org,
    )
    page = _dashboard(world, "partner")
    assert page.count("Maharashtra working group") == 1
    assert "Please answer" in page and meeting.get_absolute_url() in page
    assert "Last year&#x27;s meeting" not in page and "Last year's meeting" not in page
    assert "Maharashtra working group" not in _dashboard(world, "member")


def test_an_answer_is_shown_instead_of_the_request(world: World) -> None:
    meeting = MeetingFactory.create(owner=world.secretariat_org, title_en="Governors' meeting")
    InviteeFactory.create(meeting=meeting, organisation=world.prefecture, rsvp="yes")
    page = _dashboard(world, "officer_own")
    assert "Attending" in page and "Please answer" not in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_card_costs_one_query(world: World, count: int, django_assert_num_queries: Any) -> None:
    for n in range(count):
        meeting = MeetingFactory.create(owner=world.secretariat_org, starts_at=in_days(n + 1))
        InviteeFactory.create(meeting=meeting, organisation=world.partner_org)
    client = world.client_for("partner")
    client.get(reverse("dashboard"))
    # the whole page: this card's one query, the other apps' cards and the session's
    with django_assert_num_queries(10):
        page = client.get(reverse("dashboard")).content.decode()
    assert page.count("Please answer") == min(count, 5)

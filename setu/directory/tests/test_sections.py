"""A prefecture's page shows its events and its joint missions, as far as the reader may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from setu.conftest import World
from setu.coordination.models import MissionParticipant
from setu.coordination.tests.factories import MissionFactory
from setu.events.models import EventOrganisation
from setu.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _page(world: World, role: str, organisation: Any) -> str:
    return world.client_for(role).get(organisation.get_absolute_url()).content.decode()


def test_the_prefecture_page_lists_its_events_and_missions(world: World) -> None:
    EventFactory.create(owner=world.prefecture, title_en="Kofu wine evening")
    co_hosted = EventFactory.create(owner=world.other_prefecture, title_en="Joint food fair")
    EventOrganisation.objects.create(event=co_hosted, organisation=world.prefecture, role="co_host")
    EventFactory.create(owner=world.prefecture, title_en="Draft launch", visibility="draft")
    today = timezone.localdate()
    MissionFactory.create(
        owner=world.prefecture,
        title_en="Pune auto mission",
        starts_on=today + timedelta(days=40),
        ends_on=today + timedelta(days=43),
        visibility="consortium",
    )
    joined = MissionFactory.create(
        owner=world.other_prefecture,
        title_en="Chennai mission",
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=62),
        visibility="consortium",
    )
    MissionParticipant.objects.create(mission=joined, organisation=world.prefecture)
    officer = _page(world, "officer_other", world.prefecture)
    for title in ("Kofu wine evening", "Joint food fair", "Pune auto mission", "Chennai mission"):
        assert title in officer
    assert "Draft launch" not in officer  # drafts: the hosts' officers only
    assert (today + timedelta(days=40)).isoformat() in officer  # dates are shown
    public = _page(world, "anonymous", world.prefecture)
    assert "Kofu wine evening" in public  # a public event
    assert "Pune auto mission" not in public  # consortium only
    assert "No missions of this prefecture are shared with you." in public
    assert "Draft launch" in _page(world, "officer_own", world.prefecture)


def test_a_company_page_has_no_mission_section(world: World) -> None:
    page = _page(world, "officer_own", world.company)
    assert "Joint missions" not in page and 'id="events-h"' not in page


@pytest.mark.parametrize("rows", [1, 8])
def test_the_sections_cost_fixed_queries(
    world: World, rows: int, django_assert_num_queries: Any
) -> None:
    today = timezone.localdate()
    for n in range(rows):
        EventFactory.create(owner=world.prefecture)
        MissionFactory.create(
            owner=world.prefecture,
            starts_on=today + timedelta(days=n),
            ends_on=today + timedelta(days=n + 1),
            visibility="consortium",
        )
    client = world.client_for("officer_own")
    client.get(world.prefecture.get_absolute_url())
    # 11, plus one each for the visits to Japan and the arrival figures (tourism)
    with django_assert_num_queries(13):
        client.get(world.prefecture.get_absolute_url())

"""The marketplace pages: browsing and filters, recommendations with reasons, a participant's
page, the event page's entry, and bounded query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.models import (
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Sector,
)
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import (
    indian,
    japanese,
    market,
    member_side,
    partner_side,
    register,
)

pytestmark = pytest.mark.django_db


def _names(response: Any) -> list[str]:
    return [p.organisation.name_en for p in response.context["page"].object_list]


def _url(mm: Matchmaking, name: str = "market", *args: Any) -> str:
    return reverse(f"matchmaking:{name}", args=[mm.event.pk, *args])


def test_marketplace_lists_active_participants_with_filters(world: World) -> None:
    mm = market(world)
    member_side(world, mm)
    auto = participant(
        mm, indian(name_en="Pune Brakes Pvt Ltd"), needs="Brake components", offers="Forging"
    )
    auto.sectors.set([Sector.objects.get(code="29")])
    participant(mm, japanese(name_en="Suruga Tea K.K."), offers="抹茶と緑茶エキス")
    participant(mm, indian(name_en="Gone Pvt Ltd"), active=False)
    participant(mm, indian(name_en="Chamber", kind=OrganisationKind.CHAMBER))
    client = world.client_for("member")
    everyone = _names(client.get(_url(mm)))
    assert "Gone Pvt Ltd" not in everyone and len(everyone) == 4
    assert _names(client.get(_url(mm), {"q": "BRAKE"})) == ["Pune Brakes Pvt Ltd"]
    assert _names(client.get(_url(mm), {"q": "緑茶"})) == ["Suruga Tea K.K."]
    assert _names(client.get(_url(mm), {"q": "brake forging"})) == ["Pune Brakes Pvt Ltd"]
    assert _names(client.get(_url(mm), {"sector": "29"})) == ["Pune Brakes Pvt Ltd"]
    assert _names(client.get(_url(mm), {"sector": "C"})) == ["Pune Brakes Pvt Ltd"]  # section
    assert _names(client.get(_url(mm), {"country": "jp"})) == [
        world.company.name_en,
        "Suruga Tea K.K.",
    ]
    assert _names(client.get(_url(mm), {"kind": "chamber"})) == ["Chamber"]
    # Nonsense filters are ignored, never an error.
    assert client.get(_url(mm), {"kind": "<x>", "page": "zz"}).status_code == 200


def test_marketplace_is_for_participants_and_organisers(world: World) -> None:
    mm = market(world)
    member_side(world, mm)
    assert world.client_for("member").get(_url(mm)).status_code == 200
    assert world.client_for("officer_own").get(_url(mm)).status_code == 200
    join = _url(mm, "join")
    assert world.client_for("partner").get(_url(mm))["Location"] == join
    assert world.client_for("officer_other").get(_url(mm))["Location"] == join
    assert Client().get(_url(mm)).status_code == 302


def _partnership(world: World) -> None:
    """Shizuoka (JP-22) and Gujarat (IN-GJ) have a sister-state agreement."""
    shizuoka = Organisation.objects.create(
        kind=OrganisationKind.MEMBER_PREFECTURE, name_en="Shizuoka", country="JP", region_id="JP-22"
    )
    gujarat = Organisation.objects.create(
        kind=OrganisationKind.INDIAN_STATE, name_en="Gujarat", country="IN", region_id="IN-GJ"
    )
    agreement = Partnership.objects.create(
        kind=PartnershipKind.SISTER_STATE,
        title_en="Shizuoka–Gujarat",
        owner=shizuoka,
        visibility=Visibility.PUBLIC,
    )
    agreement.parties.set([shizuoka, gujarat])


def test_recommendations_show_their_reasons_in_words(world: World) -> None:
    _partnership(world)
    mm = market(world, pair_rule="cross")
    company = world.company
    company.region_id = "JP-22"
    company.save()
    me = member_side(world, mm, offers="Brake components, die casting", languages="en,ja")
    me.sectors.set([Sector.objects.get(code="29")])
    fit = participant(
        mm,
        indian(name_en="Gujarat Motors Pvt Ltd", region_id="IN-GJ"),
        needs="Die casting for brake components",
        offers="Assembly plants",
        languages="en",
    )
    fit.sectors.set([Sector.objects.get(code="29")])
    same_side = participant(mm, japanese(name_en="Other JP K.K."), needs="brake components")
    same_side.sectors.set([Sector.objects.get(code="29")])
    MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=fit)
    page = world.client_for("member").get(_url(mm, "recommended"))
    recommended = page.context["recommended"]
    assert [r.participant for r in recommended] == [fit]  # never the forbidden same-side pair
    reasons = recommended[0].reasons
    assert reasons[0].startswith("Both in Manufacture of motor vehicles")
    assert reasons[1] == "They need what you offer: die casting, brake components"
    assert reasons[2] == (
        "Your prefecture (Shizuoka) and their state (Gujarat) have a sister-state agreement"
    )
    assert reasons[3] == "You both speak English"
    html = page.content.decode()
    assert "Requested" in html  # already asked: marked, not offered again
    assert "sister-state agreement" in html


def test_the_marketplace_shows_a_few_recommendations_on_top(world: World) -> None:
    mm = market(world)
    me = member_side(world, mm, offers="tea")
    for index in range(6):
        participant(mm, indian(name_en=f"Tea buyer {index}"), needs="tea")
    response = world.client_for("member").get(_url(mm))
    assert len(response.context["recommended"]) == 4
    assert me.pk not in [r.participant.pk for r in response.context["recommended"]]
    filtered = world.client_for("member").get(_url(mm), {"q": "tea"})
    assert filtered.context["recommended"] == []


def test_participant_page_offers_the_request_form_or_says_why_not(world: World) -> None:
    mm = market(world, pair_rule="cross")
    member_side(world, mm)
    them = partner_side(world, mm, offers="Introductions")
    same = participant(mm, japanese(name_en="Same Side K.K."))
    client = world.client_for("member")
    page = client.get(_url(mm, "participant", them.pk)).content.decode()
    assert "Send the request" in page and "Introductions" in page
    page = client.get(_url(mm, "participant", same.pk)).content.decode()
    assert "Send the request" not in page
    assert "only the Japanese side and the Indian side" in page


def test_participant_pages_of_other_events_are_not_found(world: World) -> None:
    mm, other = market(world), market(world)
    member_side(world, mm)
    stranger = participant(other, indian())
    response = world.client_for("member").get(_url(mm, "participant", stranger.pk))
    assert response.status_code == 404


def test_event_page_leads_to_the_meetings(world: World) -> None:
    mm = market(world)
    url = reverse("events:detail", args=[mm.event.pk])
    join, marketplace = _url(mm, "join"), _url(mm)
    # Not registered: nothing to show.
    assert join not in world.client_for("member").get(url).content.decode()
    register(mm.event, world.users["member"], world.company)
    assert join in world.client_for("member").get(url).content.decode()
    member_side(world, mm)
    assert marketplace in world.client_for("member").get(url).content.decode()
    # Organisers find it in their menu.
    assert _url(mm, "setup") in world.client_for("officer_own").get(url).content.decode()
    assert "Meetings (B2B)" not in Client().get(url).content.decode()


@pytest.mark.parametrize("rows", [2, 25])
def test_marketplace_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    mm = market(world)
    me = member_side(world, mm, offers="brake components")
    sectors = list(Sector.objects.filter(level="division")[:3])
    for index in range(rows):
        other = participant(mm, indian(), needs="brake components", offers=f"offer {index}")
        other.sectors.set(sectors)
        if index % 3 == 0:
            MeetingRequest.objects.create(matchmaking=mm, requester=me, recipient=other)
    client = world.client_for("member")
    # One more query than before recommendations by meaning: the stored vectors (none here).
    with django_assert_max_num_queries(16):
        response = client.get(_url(mm))
    assert response.status_code == 200 and response.context["recommended"]
    with django_assert_max_num_queries(11):
        assert client.get(_url(mm, "recommended")).status_code == 200
    with django_assert_max_num_queries(15):  # one more: the two participants' vectors
        assert client.get(_url(mm, "participant", other.pk)).status_code == 200


def test_three_hundred_participants_take_no_per_row_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    mm = market(world)
    me = member_side(world, mm, offers="hydrogen electrolysers", needs="solar parks")
    sector = Sector.objects.get(code="35")
    me.sectors.set([sector])
    organisations = Organisation.objects.bulk_create(
        Organisation(kind="company", name_en=f"Company {i}", country="IN" if i % 2 else "JP")
        for i in range(300)
    )
    participants = Participant.objects.bulk_create(
        Participant(
            matchmaking=mm,
            organisation=org,
            side=org.country,
            needs="green hydrogen, electrolysers" if i % 3 else "tea",
            offers="solar parks" if i % 5 == 0 else "",
        )
        for i, org in enumerate(organisations)
    )
    Participant.sectors.through.objects.bulk_create(
        Participant.sectors.through(participant_id=p.pk, sector_id=sector.pk)
        for p in participants[::2]
    )
    client = world.client_for("member")
    with django_assert_max_num_queries(11):  # one more: the stored vectors (none here)
        response = client.get(_url(mm, "recommended"))
    assert len(response.context["recommended"]) == 30
    with django_assert_max_num_queries(16):
        assert client.get(_url(mm)).status_code == 200

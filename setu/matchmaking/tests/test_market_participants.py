"""Joining, the participant profile and leaving: services and pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.directory.models import Sector
from setu.events.models import RegistrationStatus
from setu.matchmaking.models import MeetingRequest, Participant, RequestStatus, Side
from setu.matchmaking.services.setup import participant_join, participant_leave, participant_update
from setu.matchmaking.tests.factories import participant
from setu.matchmaking.tests.market_builders import (
    indian,
    market,
    member_of,
    member_side,
    partner_side,
    register,
)

pytestmark = pytest.mark.django_db


def _division(code: str) -> Sector:
    return Sector.objects.get(code=code)


# --- joining --------------------------------------------------------------------------------


def test_a_registered_member_joins_with_a_profile_from_the_directory(world: World) -> None:
    mm = market(world)
    company = world.company
    company.offers, company.needs = "Brake components", "Distributors in India"
    company.save()
    company.sectors.set([_division("29"), Sector.objects.get(code="C")])
    register(mm.event, world.users["member"], company)
    joined = participant_join(matchmaking=mm, organisation=company, actor=world.users["member"])
    assert joined.side == Side.JP and joined.contact == world.users["member"]
    assert (joined.offers, joined.needs) == ("Brake components", "Distributors in India")
    assert [s.code for s in joined.sectors.all()] == ["29"]  # divisions only
    assert joined.language_codes == ["en", "ja"]
    assert AuditEntry.objects.filter(action="matchmaking.participant.joined").count() == 1


def test_side_follows_the_organisations_country(world: World) -> None:
    mm = market(world)
    other = indian(country="SG")
    user = member_of(other)
    register(mm.event, user, other)
    assert participant_join(matchmaking=mm, organisation=other, actor=user).side == Side.OTHER
    register(mm.event, world.users["partner"], world.partner_org)
    joined = participant_join(
        matchmaking=mm, organisation=world.partner_org, actor=world.users["partner"]
    )
    assert joined.side == Side.IN


@pytest.mark.parametrize(
    ("status", "organisation", "message"),
    [
        (None, "company", "confirmed registration"),
        (RegistrationStatus.PENDING, "company", "confirmed registration"),
        (RegistrationStatus.WAITLISTED, "company", "confirmed registration"),
        (RegistrationStatus.CONFIRMED, "partner_org", "organisation you belong to"),
    ],
)
def test_joining_needs_a_confirmed_registration_and_membership(
    world: World, status: str | None, organisation: str, message: str
) -> None:
    mm = market(world)
    if status is not None:
        register(mm.event, world.users["member"], world.company, status=status)
    with pytest.raises(ValidationError, match=message):
        participant_join(
            matchmaking=mm,
            organisation=getattr(world, organisation),
            actor=world.users["member"],
        )
    assert not Participant.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="matchmaking").exists()


def test_joining_twice_is_refused(world: World) -> None:
    mm = market(world)
    register(mm.event, world.users["member"], world.company)
    participant_join(matchmaking=mm, organisation=world.company, actor=world.users["member"])
    with pytest.raises(ValidationError, match="already takes part"):
        participant_join(matchmaking=mm, organisation=world.company, actor=world.users["member"])
    assert Participant.objects.count() == 1


def test_organisers_add_registered_organisations_only(world: World) -> None:
    mm = market(world)
    officer = world.users["officer_own"]
    with pytest.raises(ValidationError, match="no registration"):
        participant_join(
            matchmaking=mm, organisation=world.partner_org, actor=officer, by_organiser=True
        )
    register(mm.event, world.users["partner"], world.partner_org, RegistrationStatus.PENDING)
    added = participant_join(
        matchmaking=mm, organisation=world.partner_org, actor=officer, by_organiser=True
    )
    assert added.contact is None and added.side == Side.IN
    assert AuditEntry.objects.filter(action="matchmaking.participant.added").count() == 1


def test_leaving_withdraws_pending_requests_and_joining_again_restores(world: World) -> None:
    mm = market(world)
    me = member_side(world, mm)
    sent = MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=partner_side(world, mm)
    )
    other = participant(mm, indian())
    received = MeetingRequest.objects.create(matchmaking=mm, requester=other, recipient=me)
    third = participant(mm, indian())
    kept = MeetingRequest.objects.create(
        matchmaking=mm, requester=me, recipient=third, status=RequestStatus.ACCEPTED
    )
    assert participant_leave(participant=me, actor=world.users["member"]) == (1, 1)
    me.refresh_from_db()
    assert not me.active
    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {sent.pk: "withdrawn", received.pk: "declined", kept.pk: "accepted"}
    with pytest.raises(ValidationError, match="already left"):
        participant_leave(participant=me, actor=world.users["member"])
    register(mm.event, world.users["member"], world.company)
    again = participant_join(
        matchmaking=mm, organisation=world.company, actor=world.users["member"]
    )
    assert again.pk == me.pk and again.active


# --- the profile ----------------------------------------------------------------------------


def test_profile_update_saves_everything(world: World) -> None:
    mm = market(world, mode="both")
    me = member_side(world, mm)
    slots = list(mm.slots.order_by("index")[:2])
    participant_update(
        participant=me,
        actor=world.users["member"],
        fields={
            "offers": "燃料電池スタック",
            "needs": "Distributors",
            "languages": "ja,en",
            "needs_interpreter": True,
            "mode": "online",
            "online_url": "https://meet.example.org/kofu",
        },
        sectors=[_division("28")],
        unavailable=slots,
    )
    me.refresh_from_db()
    assert me.offers == "燃料電池スタック" and me.language_codes == ["ja", "en"]
    assert me.needs_interpreter and me.mode == "online"
    assert list(me.unavailable.order_by("index")) == slots
    assert AuditEntry.objects.filter(action="matchmaking.participant.updated").count() == 1


@pytest.mark.parametrize(
    ("mode", "fields", "message"),
    [
        ("in_person", {"languages": ""}, "at least one language"),
        ("in_person", {"mode": "online"}, "not held that way"),
        ("in_person", {"online_url": "https://x.example"}, "in person only"),
        ("online", {"mode": "in_person"}, "not held that way"),
    ],
)
def test_profile_bad_input_changes_nothing(
    world: World, mode: str, fields: dict[str, str], message: str
) -> None:
    mm = market(world, mode=mode, online_url="https://meet.example.org/x")
    me = member_side(world, mm, offers="before", mode="online" if mode == "online" else "in_person")
    values = {"offers": "after", "needs": "", "languages": "en", "mode": me.mode, **fields}
    with pytest.raises(ValidationError, match=message):
        participant_update(
            participant=me, actor=world.users["member"], fields=values, sectors=[], unavailable=[]
        )
    me.refresh_from_db()
    assert me.offers == "before"


def test_profile_refuses_other_events_slots(world: World) -> None:
    mm, other = market(world), market(world)
    me = member_side(world, mm)
    with pytest.raises(ValidationError, match="not in this event"):
        participant_update(
            participant=me,
            actor=world.users["member"],
            fields={"languages": "en", "mode": "in_person"},
            sectors=[],
            unavailable=list(other.slots.all()[:1]),
        )
    assert not me.unavailable.exists()


# --- pages ----------------------------------------------------------------------------------


def test_join_page_explains_and_joins(world: World) -> None:
    mm = market(world)
    client = world.client_for("member")
    url = reverse("matchmaking:join", args=[mm.event.pk])
    page = client.get(url)
    assert "confirmed registration" in page.content.decode()
    register(mm.event, world.users["member"], world.company)
    page = client.get(url)
    assert "Take part in the meetings" in page.content.decode()
    response = client.post(url, {"organisation": world.company.pk})
    joined = Participant.objects.get()
    assert response["Location"] == reverse("matchmaking:profile", args=[mm.event.pk, joined.pk])
    # Now taking part: the join page leads to the marketplace.
    assert client.get(url)["Location"] == reverse("matchmaking:market", args=[mm.event.pk])


def test_join_post_for_someone_elses_organisation_changes_nothing(world: World) -> None:
    mm = market(world)
    register(mm.event, world.users["member"], world.company)
    client = world.client_for("member")
    response = client.post(
        reverse("matchmaking:join", args=[mm.event.pk]), {"organisation": world.partner_org.pk}
    )
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_profile_page_saves_and_shows_slots_in_both_zones(world: World) -> None:
    mm = market(world, mode="both")
    me = member_side(world, mm)
    client = world.client_for("member")  # the member's time zone is Asia/Tokyo
    url = reverse("matchmaking:profile", args=[mm.event.pk, me.pk])
    page = client.get(url).content.decode()
    assert "IST" in page and "JST" in page
    slot = mm.slots.order_by("index").first()
    assert slot is not None
    response = client.post(
        url,
        {
            "offers": "Hydrogen tanks",
            "needs": "Partners",
            "sectors": [_division("29").pk],
            "languages": ["en", "hi"],
            "mode": "both",
            "online_url": "meet.example.org/me",
            "unavailable": [slot.pk],
            "contact": world.users["member"].pk,
        },
    )
    assert response["Location"] == reverse("matchmaking:participant", args=[mm.event.pk, me.pk])
    me.refresh_from_db()
    assert me.offers == "Hydrogen tanks" and me.online_url == "https://meet.example.org/me"
    assert list(me.unavailable.all()) == [slot]


def test_profile_page_shows_errors_and_changes_nothing(world: World) -> None:
    mm = market(world)
    me = member_side(world, mm, offers="before")
    client = world.client_for("member")
    response = client.post(
        reverse("matchmaking:profile", args=[mm.event.pk, me.pk]),
        {"offers": "after", "languages": [], "mode": "in_person"},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    me.refresh_from_db()
    assert me.offers == "before"


def test_only_the_organisation_or_organisers_edit_a_profile(world: World) -> None:
    mm = market(world)
    me = member_side(world, mm)
    partner_side(world, mm)
    url = reverse("matchmaking:profile", args=[mm.event.pk, me.pk])
    assert world.client_for("partner").get(url).status_code == 403
    assert world.client_for("officer_own").get(url).status_code == 200
    assert Client().get(url).status_code == 302


def test_leave_page_button(world: World) -> None:
    mm = market(world)
    me = member_side(world, mm)
    response = world.client_for("member").post(
        reverse("matchmaking:leave", args=[mm.event.pk, me.pk])
    )
    assert response["Location"] == reverse("events:detail", args=[mm.event.pk])
    me.refresh_from_db()
    assert not me.active

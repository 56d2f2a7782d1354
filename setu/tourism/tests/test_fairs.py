"""Travel fairs (issue 21): the hosts' officers give exhibitors booths from the fair's page,
and a participant of the fair's matchmaking writes its own travel-trade profile."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.directory.models import OrganisationKind, Visibility
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory
from setu.events.models import EventKind
from setu.events.tests.factories import EventFactory
from setu.tourism.models import Booth, TradeProfile
from setu.tourism.tests.factories import fair

pytestmark = pytest.mark.django_db


def _booths(world: World) -> str:
    return reverse("tourism:fair_booths", args=[fair(world).pk])


def _operator(name: str = "Delhi Journeys") -> Any:
    return OrganisationFactory.create(
        kind=OrganisationKind.TOUR_OPERATOR, name_en=name, country="IN", visibility="public"
    )


def test_a_host_officer_adds_changes_and_removes_a_booth(world: World) -> None:
    event = fair(world)
    operator = _operator()
    officer = world.client_for("officer_own")
    response = officer.post(_booths(world), {"label": "B7", "organisation": operator.pk})
    assert response.status_code == 302
    booth = Booth.objects.get(event=event, organisation=operator)
    assert booth.label == "B7"
    assert AuditEntry.objects.filter(
        action="tourism.booth.created", owner=world.prefecture
    ).exists()
    page = officer.get(event.get_absolute_url()).content.decode()
    assert "<strong>B7</strong>" in page and "Delhi Journeys" in page
    assert reverse("tourism:fair_booths", args=[event.pk]) in page  # "Manage booths"

    edit = reverse("tourism:fair_booth_edit", args=[event.pk, booth.pk])
    assert officer.get(edit).status_code == 200
    officer.post(edit, {"label": "B8", "organisation": operator.pk})
    booth.refresh_from_db()
    assert booth.label == "B8"
    assert AuditEntry.objects.filter(action="tourism.booth.updated").exists()

    remove = reverse("tourism:fair_booth_remove", args=[event.pk, booth.pk])
    assert officer.post(remove).status_code == 302
    assert not Booth.objects.filter(pk=booth.pk).exists()
    assert AuditEntry.objects.filter(action="tourism.booth.deleted").exists()


def test_a_taken_label_or_exhibitor_is_named_and_nothing_changes(world: World) -> None:
    event = fair(world)
    officer = world.client_for("officer_own")
    before = list(Booth.objects.values_list("event_id", "organisation_id", "label"))
    taken = officer.post(_booths(world), {"label": "A1", "organisation": _operator().pk})
    assert "Another exhibitor already has booth A1." in taken.content.decode()
    existing = Booth.objects.get(event=event)
    again = officer.post(_booths(world), {"label": "Z9", "organisation": existing.organisation_id})
    assert "This exhibitor already has a booth at this fair." in again.content.decode()
    empty = officer.post(_booths(world), {"label": "", "organisation": ""})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert list(Booth.objects.values_list("event_id", "organisation_id", "label")) == before
    assert not AuditEntry.objects.filter(action__startswith="tourism.booth").exists()


def test_only_exhibitors_the_officer_may_see_are_offered(world: World) -> None:
    hidden = CompanyFactory.create(
        name_en="Hamamatsu Secret Works",
        managed_by=world.other_prefecture,
        visibility=Visibility.PRIVATE,
    )
    officer = world.client_for("officer_own")
    form = officer.get(_booths(world)).content.decode()
    assert "Hamamatsu Secret Works" not in form and "Kofu Precision" in form
    response = officer.post(_booths(world), {"label": "X1", "organisation": hidden.pk})
    assert "Select a valid choice" in response.content.decode()
    assert not Booth.objects.filter(organisation=hidden).exists()


@pytest.mark.parametrize("role", ["officer_other", "partner", "member", "student"])
def test_who_does_not_run_the_fair_cannot_touch_its_booths(world: World, role: str) -> None:
    event = fair(world)
    booth = event.booths.get()  # type: ignore[attr-defined]
    client = world.client_for(role)
    assert client.get(_booths(world)).status_code == 404
    remove = reverse("tourism:fair_booth_remove", args=[event.pk, booth.pk])
    assert client.post(remove).status_code == 404
    assert Booth.objects.filter(pk=booth.pk).exists()
    assert reverse("tourism:fair_booths", args=[event.pk]) not in (
        client.get(event.get_absolute_url()).content.decode()
    )


def test_anonymous_is_sent_to_sign_in_and_an_event_that_is_no_fair_has_no_booths(
    world: World,
) -> None:
    from django.test import Client

    assert Client().get(_booths(world)).status_code == 302
    seminar = EventFactory.create(owner=world.prefecture, visibility="public")
    url = reverse("tourism:fair_booths", args=[seminar.pk])
    assert world.client_for("officer_own").get(url).status_code == 404


def test_the_booths_page_costs_the_same_with_more_booths(
    world: World, django_assert_max_num_queries: Any
) -> None:
    event = fair(world)
    for number in range(8):
        Booth.objects.create(
            event=event, organisation=_operator(f"Op {number}"), label=f"C{number}"
        )
    officer = world.client_for("officer_own")
    officer.get(_booths(world))  # warm the session and the caches
    with django_assert_max_num_queries(20):
        response = officer.get(_booths(world))
    assert response.content.decode().count('action="/visit/fairs/') == 9 + 1


def test_a_participant_writes_its_travel_trade_profile(world: World) -> None:
    event = fair(world)
    member = world.client_for("member")
    url = reverse("tourism:trade_profile", args=[event.pk])
    assert url in member.get(event.get_absolute_url()).content.decode()
    assert "Mumbai Chamber" in member.get(url).content.decode()  # a chamber it may see
    response = member.post(
        url,
        {
            "packages": "Factory visits with Indian meals",
            "group_min": "10",
            "group_max": "30",
            "segments": ["mice", "students"],
            "associations": [world.partner_org.pk],
        },
    )
    assert response.status_code == 302
    profile = TradeProfile.objects.get(participant__organisation=world.company)
    assert (profile.group_min, profile.group_max, profile.segments) == (
        10,
        30,
        ["mice", "students"],
    )
    assert list(profile.associations.all()) == [world.partner_org]
    assert AuditEntry.objects.filter(
        action="tourism.trade_profile.created", owner=world.company
    ).exists()
    page = world.client_for("officer_own").get(event.get_absolute_url()).content.decode()
    assert "Factory visits with Indian meals" in page and "Groups of 10 to 30" in page


def test_a_wrong_profile_is_refused_and_nothing_changes(world: World) -> None:
    event = fair(world)
    member = world.client_for("member")
    url = reverse("tourism:trade_profile", args=[event.pk])
    response = member.post(
        url, {"packages": "x", "group_min": "30", "group_max": "10", "segments": ["space"]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The largest group cannot be smaller than the smallest." in html
    assert "Select a valid choice. space is not one of the available choices." in html
    assert not TradeProfile.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="tourism.trade_profile").exists()


@pytest.mark.parametrize("role", ["officer_own", "officer_other", "partner", "secretariat"])
def test_only_a_participant_has_a_travel_trade_profile_page(world: World, role: str) -> None:
    event = fair(world)
    url = reverse("tourism:trade_profile", args=[event.pk])
    client = world.client_for(role)
    assert client.get(url).status_code == 404
    assert client.post(url, {"packages": "mine now"}).status_code == 404
    assert not TradeProfile.objects.exists()
    assert url not in client.get(event.get_absolute_url()).content.decode()


def test_a_fair_kind_is_required_for_a_profile_page(world: World) -> None:
    from setu.matchmaking.tests.factories import matchmaking_for, participant

    seminar = EventFactory.create(owner=world.prefecture, visibility="public")
    participant(matchmaking_for(seminar), world.company)
    assert seminar.kind != EventKind.TRAVEL_FAIR
    url = reverse("tourism:trade_profile", args=[seminar.pk])
    assert world.client_for("member").get(url).status_code == 404

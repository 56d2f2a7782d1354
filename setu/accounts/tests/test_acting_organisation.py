"""The header's switcher: a person with several memberships chooses the organisation they act
for, and the create forms follow the choice (issue "the architecture step", item 2)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from setu.accounts.models import Role
from setu.accounts.tests.factories import add_membership
from setu.conftest import World
from setu.core.principal import ACTING_ORGANISATION_SESSION_KEY
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

SWITCH = "acting_organisation"


def _two_prefectures(world: World) -> Client:
    """officer_own, an officer of their prefecture first, and of the other one too."""
    add_membership(world.users["officer_own"], world.other_prefecture, Role.PREFECTURE_OFFICER)
    return world.client_for("officer_own")


def _selected_lead_host(client: Client) -> int:
    html = client.get(reverse("events:create")).content.decode()
    select = re.search(r'<select name="owner".*?</select>', html, re.S)
    assert select is not None
    chosen = re.search(r'<option value="(\d+)" selected>', select.group(0))
    assert chosen is not None, select.group(0)
    return int(chosen.group(1))


def test_switching_changes_what_a_new_event_is_led_by(world: World) -> None:
    client = _two_prefectures(world)
    # no choice yet: the oldest membership among equal roles
    assert _selected_lead_host(client) == world.prefecture.pk
    response = client.post(
        reverse(SWITCH), {"organisation": world.other_prefecture.pk, "next": "/events/new/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/new/"
    page = client.get(reverse("dashboard")).content.decode()
    assert f"You now act for {world.other_prefecture} (Prefecture officer)." in page
    assert client.session[ACTING_ORGANISATION_SESSION_KEY] == world.other_prefecture.pk
    assert _selected_lead_host(client) == world.other_prefecture.pk


def test_the_header_lists_the_organisations_of_a_person_with_several(world: World) -> None:
    client = _two_prefectures(world)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'class="acting-switch"' in html
    assert f"{world.other_prefecture} (Prefecture officer)" in html
    # one membership: no switcher
    single = world.client_for("officer_other").get(reverse("dashboard")).content.decode()
    assert 'class="acting-switch"' not in single


@pytest.mark.parametrize("which", ["foreign", "stale", "garbage"])
def test_an_organisation_the_person_is_not_a_member_of_is_refused(world: World, which: str) -> None:
    client = _two_prefectures(world)
    client.post(reverse(SWITCH), {"organisation": world.other_prefecture.pk})
    chosen = {
        "foreign": str(world.company.pk),
        "stale": str(CompanyFactory.create().pk + 1000),
        "garbage": "12; drop",
    }[which]
    response = client.post(reverse(SWITCH), {"organisation": chosen}, follow=True)
    assert "You are not a member of that organisation; nothing was changed." in (
        response.content.decode()
    )
    assert client.session[ACTING_ORGANISATION_SESSION_KEY] == world.other_prefecture.pk
    assert _selected_lead_host(client) == world.other_prefecture.pk


def test_a_choice_left_behind_by_a_lost_membership_is_ignored(world: World) -> None:
    client = _two_prefectures(world)
    client.post(reverse(SWITCH), {"organisation": world.other_prefecture.pk})
    world.users["officer_own"].memberships.filter(organisation=world.other_prefecture).delete()
    assert _selected_lead_host(client) == world.prefecture.pk


def test_the_switch_only_goes_back_to_a_page_of_this_site(world: World) -> None:
    client = _two_prefectures(world)
    response = client.post(
        reverse(SWITCH),
        {"organisation": world.other_prefecture.pk, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == reverse("dashboard")


def test_the_switch_answers_only_posts(world: World) -> None:
    assert _two_prefectures(world).get(reverse(SWITCH)).status_code == 405


def test_pages_for_one_kind_of_role_follow_the_choice_among_those_roles(world: World) -> None:
    """Imports and meetings act for a prefecture or the secretariat; the documented
    precedence puts the secretariat first, the header's choice before both."""
    from setu.core.access import acting_organisation
    from setu.core.principal import prefer_organisation
    from setu.directory.imports import importer_organisation

    officer = world.users["officer_own"]
    add_membership(officer, world.secretariat_org, Role.SECRETARIAT)
    company = CompanyFactory.create(managed_by=world.prefecture)
    add_membership(officer, company, Role.MEMBER)
    assert importer_organisation(officer) == world.secretariat_org
    assert acting_organisation(officer, roles={Role.PREFECTURE_OFFICER}) == world.prefecture
    prefer_organisation(officer, world.prefecture.pk)
    assert importer_organisation(officer) == world.prefecture
    # a company chosen in the header: pages for staff roles keep their own precedence
    prefer_organisation(officer, company.pk)
    assert acting_organisation(officer) == company
    assert importer_organisation(officer) == world.secretariat_org

"""`manage.py load_demo`: one officer per member prefecture, a co-hosted event, idempotent."""

from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from setu.accounts.models import Membership, Role, User
from setu.directory.models import Organisation, OrganisationKind
from setu.events.models import Event, HostRole

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_every_member_has_an_officer_with_a_second_factor_and_two_members_cohost() -> None:
    output = _load()
    members = Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
    assert members.count() == 9
    for member in members.select_related("region"):
        email = f"officer.{member.region.name_en.lower()}@demo.setu.example"  # type: ignore[union-attr]
        officer = User.objects.get(email=email)
        assert Membership.objects.filter(
            user=officer, organisation=member, role=Role.PREFECTURE_OFFICER
        ).exists()
        assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    # An event co-hosted by exactly two members, each with a demo officer.
    festival = Event.objects.get(title_en="Japan Festival New Delhi")
    hosts = {festival.owner_id} | set(
        festival.links.filter(role=HostRole.CO_HOST).values_list("organisation_id", flat=True)
    )
    assert (
        len(hosts) == 2 and set(members.filter(pk__in=hosts).values_list("pk", flat=True)) == hosts
    )
    # The nine officers are printed compactly: one line names the pattern, one the prefectures.
    assert "officer.<prefecture>@demo.setu.example" in output
    assert "yamanashi, shizuoka, tottori, miyagi, toyama, iwate, wakayama, hyogo, ehime" in output
    assert output.count("@demo.setu.example") < 10


def test_loading_twice_adds_nothing_and_production_refuses() -> None:
    _load()
    users, memberships = User.objects.count(), Membership.objects.count()
    assert "(0 new records)" in _load()
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())

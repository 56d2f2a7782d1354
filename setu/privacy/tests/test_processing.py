"""Processing that began before the ledger stops on the next request once consent is withdrawn:
the directory listing, the matchmaking market list, the digests."""

from __future__ import annotations

import pytest

from setu.accounts.models import User
from setu.conftest import World
from setu.core.models import Visibility
from setu.directory import selectors as directory
from setu.directory.models import Person
from setu.matchmaking.selectors.market import market_list
from setu.matchmaking.tests.market_builders import market, member_side, partner_side
from setu.privacy.consent import consent_give, consent_withdraw, without_withdrawn
from setu.privacy.models import Purpose

pytestmark = pytest.mark.django_db


def test_a_contact_who_withdrew_leaves_the_directory_list(world: World) -> None:
    person = Person.objects.create(
        owner=world.prefecture, organisation=world.prefecture, name_latin="Kenji Watanabe",
        email="kenji@pref.example", visibility=Visibility.CONSORTIUM,
    )  # fmt: skip
    reader = world.users["officer_other"]
    assert person in directory.person_list(user=reader)
    consent_withdraw(subject="KENJI@pref.example", purpose=Purpose.DIRECTORY, actor=None)
    assert person not in directory.person_list(user=reader)
    consent_give(subject="kenji@pref.example", purpose=Purpose.DIRECTORY, actor=None)
    assert person in directory.person_list(user=reader)


def test_a_withdrawn_matchmaking_profile_leaves_the_market_list(world: World) -> None:
    mm = market(world)
    mine = member_side(world, mm)
    theirs = partner_side(world, mm)
    assert set(market_list(matchmaking=mm)) == {mine, theirs}
    consent_withdraw(subject=world.users["partner"], purpose=Purpose.MATCHMAKING, actor=None)
    assert list(market_list(matchmaking=mm)) == [mine]


def test_digest_readers_leave_when_they_withdraw(world: World) -> None:
    member = world.users["member"]
    everyone = User.objects.all()
    assert member in without_withdrawn(everyone, Purpose.NEWSLETTERS)
    consent_withdraw(subject=member, purpose=Purpose.NEWSLETTERS, actor=member)
    assert member not in without_withdrawn(everyone, Purpose.NEWSLETTERS)
    assert world.users["partner"] in without_withdrawn(everyone, Purpose.NEWSLETTERS)

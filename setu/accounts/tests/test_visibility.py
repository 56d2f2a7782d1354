"""The ownership rule, read through Organisation.objects.visible_to (docs/architecture.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.models import Organisation
from setu.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# Who reads a record owned by the "other" prefecture at each visibility.
EXPECTED = {
    Visibility.PRIVATE: {"officer_other"},
    Visibility.CONSORTIUM: {"officer_own", "officer_other", "secretariat"},
    Visibility.PARTNERS: {"officer_own", "officer_other", "secretariat", "member", "partner"},
    Visibility.PUBLIC: {
        "anonymous",
        "student",
        "member",
        "partner",
        "officer_own",
        "officer_other",
        "secretariat",
    },
}


@pytest.mark.parametrize("visibility", list(Visibility))
def test_each_visibility_reaches_exactly_its_readers(world: World, visibility: Visibility) -> None:
    world.other_prefecture.visibility = visibility
    world.other_prefecture.save()
    readers = set()
    for role in EXPECTED[Visibility.PUBLIC]:
        user = world.user(role) or AnonymousUser()
        if Organisation.objects.visible_to(user).filter(pk=world.other_prefecture.pk).exists():
            readers.add(role)
    assert readers == EXPECTED[visibility]


def test_private_company_is_read_by_itself_and_its_managing_prefecture_only(world: World) -> None:
    readers = {
        role
        for role in EXPECTED[Visibility.PUBLIC]
        if Organisation.objects.visible_to(world.user(role) or AnonymousUser())
        .filter(pk=world.company.pk)
        .exists()
    }
    assert readers == {"member", "officer_own"}


def test_a_prefecture_never_reads_another_prefectures_private_records(world: World) -> None:
    hidden = OrganisationFactory(managed_by=world.other_prefecture, visibility=Visibility.PRIVATE)
    visible = Organisation.objects.visible_to(world.users["officer_own"])
    assert hidden not in visible
    assert world.company in visible

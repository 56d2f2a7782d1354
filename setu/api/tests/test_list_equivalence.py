"""The faster list queries (docs/decisions/0027) answer exactly what the plain ones did.

A cursor page is led by ``column >= value`` before the ``>``-or-tie condition, and a contact's
``organisation_visible`` tests the joined organisation row instead of an ``EXISTS`` over the
visible organisations: for every role, on names that tie and organisations of every visibility
(merged ones too), the answers are the same rows in the same order.
"""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.urls import reverse

from setu.api.tests.support import client_for
from setu.conftest import ROLES, World
from setu.core.models import Visibility
from setu.core.visibility import organisation_readable
from setu.directory import selectors
from setu.directory.models import Organisation, Person
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _network(world: World) -> None:
    """Companies of every visibility under both prefectures, names that tie, a merged record,
    and contacts of every visibility kept by each, at each."""
    owners = [world.prefecture, world.other_prefecture]
    made: list[Organisation] = []
    for n, (visibility, manager) in enumerate(itertools.product(Visibility.values, owners)):
        made.append(
            CompanyFactory.create(
                name_en=f"Tied Name {n % 3} K.K.", managed_by=manager, visibility=visibility
            )
        )
    survivor = made[0]
    merged = OrganisationFactory.create(name_en="Tied Name 0 K.K.", visibility=Visibility.PUBLIC)
    Organisation.objects.filter(pk=merged.pk).update(merged_into=survivor)
    places = [*made, merged, world.company, world.partner_org, world.university]
    keepers = [*owners, world.company, world.secretariat_org]
    for n, (place, keeper, visibility) in enumerate(
        itertools.product(places, keepers, Visibility.values)
    ):
        if n % 3 == 0:  # a sample is plenty: every pairing of visibilities still occurs
            Person.objects.create(
                organisation=place, owner=keeper, visibility=visibility, name_latin=f"P {n}"
            )


def _walk(api: object, url: str, ordering: str) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        query = {"limit": 2, "ordering": ordering, **({"cursor": cursor} if cursor else {})}
        body = api.get(url, query).json()  # type: ignore[attr-defined]
        seen += [row["id"] for row in body["results"]]
        cursor = body["next"]
        if cursor is None:
            return seen


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_cursor_pages_give_the_selectors_rows_in_its_order(world: World, role: str) -> None:
    _network(world)
    user = world.users[role]
    api = client_for(user)
    visible = selectors.organisation_list(user=user)
    by_name = list(visible.order_by("sort_name_en", "pk").values_list("pk", flat=True))
    assert _walk(api, reverse("api:organisations"), "name") == by_name
    assert _walk(api, reverse("api:organisations"), "-name") == by_name[::-1]
    by_id = sorted(by_name)
    assert _walk(api, reverse("api:organisations"), "-id") == by_id[::-1]
    people = sorted(selectors.person_list(user=user).values_list("pk", flat=True))
    assert _walk(api, reverse("api:people"), "id") == people
    assert _walk(api, reverse("api:people"), "-id") == people[::-1]


@pytest.mark.parametrize("role", ROLES)
def test_a_contacts_organisation_is_shown_to_whoever_may_see_it(world: World, role: str) -> None:
    _network(world)
    user = world.users.get(role) or AnonymousUser()
    before = Exists(Organisation.objects.visible_to(user).filter(pk=OuterRef("organisation_id")))
    rows = list(selectors.person_list(user=user).annotate(before=before).order_by("pk"))
    assert rows, "every role sees some contacts"
    for person in rows:
        assert person.organisation_visible is person.before, person.name_latin
        assert person.organisation_visible is organisation_readable(user, person.organisation)
    # the merged record is hidden from everyone, the public university shown to everyone
    assert {person.organisation_visible for person in rows} == {True, False}

from __future__ import annotations

from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.core.tests.matrix import ALL_200, SIGNED_IN_200, STAFF_ONLY, Row
from setu.directory.models import Partnership, PartnershipKind, Person


def _private_contact(world: World) -> Person:
    """officer_own's prefecture keeps a private contact at the company it manages."""
    return Person.objects.create(
        owner=world.prefecture,
        organisation=world.company,
        name_latin="Taro Yamada",
        email="taro@example.org",
        visibility=Visibility.PRIVATE,
    )


def _agreement(world: World) -> Partnership:
    partnership = Partnership.objects.create(
        owner=world.prefecture, kind=PartnershipKind.MOU, visibility=Visibility.PUBLIC
    )
    partnership.parties.set([world.prefecture, world.partner_org])
    return partnership


ONLY_OFFICER_OWN = ("404", "404", "404", "404", "200", "404", "404")

ROWS: dict[str, Row] = {
    "directory:organisations": Row(ALL_200),
    # a private company managed by officer_own's prefecture: another organisation's private
    # record answers 404, never 403
    "directory:organisation": Row(
        ("404", "404", "200", "404", "200", "404", "404"),
        url=lambda w: reverse("directory:organisation", args=[w.company.pk]),
    ),
    "directory:organisation_create": Row(STAFF_ONLY),
    "directory:organisation_edit": Row(
        ("login", "404", "200", "404", "200", "404", "404"),
        url=lambda w: reverse("directory:organisation_edit", args=[w.company.pk]),
    ),
    "directory:people": Row(SIGNED_IN_200),
    "directory:person_create": Row(SIGNED_IN_200),
    "directory:person": Row(
        ONLY_OFFICER_OWN, url=lambda w: reverse("directory:person", args=[_private_contact(w).pk])
    ),
    "directory:person_edit": Row(
        ("login", *ONLY_OFFICER_OWN[1:]),
        url=lambda w: reverse("directory:person_edit", args=[_private_contact(w).pk]),
    ),
    "directory:partnerships": Row(ALL_200),
    "directory:partnership_create": Row(STAFF_ONLY),
    "directory:partnership": Row(
        ALL_200, url=lambda w: reverse("directory:partnership", args=[_agreement(w).pk])
    ),
    "directory:partnership_edit": Row(
        ("login", "403", "403", "403", "200", "403", "200"),
        url=lambda w: reverse("directory:partnership_edit", args=[_agreement(w).pk]),
    ),
}

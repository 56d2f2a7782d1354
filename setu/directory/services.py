"""Writes to the directory, each in a transaction and audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setu.algorithms.names import name_tokens, normalise_name
from setu.core import audit, writes
from setu.core.principal import principal_for
from setu.directory.models import NameToken, Organisation, Partnership, Person
from setu.directory.sme import is_sme

if TYPE_CHECKING:
    from setu.accounts.models import User

AUDITED_ORGANISATION_FIELDS = [
    "kind", "name_en", "name_ja", "name_hi", "name_ja_kana", "country", "region_id", "city_id",
    "address", "website", "employees", "capital", "capital_currency", "sme_industry",
    "visibility", "managed_by_id",
]  # fmt: skip
AUDITED_PERSON_FIELDS = [
    "organisation_id", "name_latin", "name_native", "title", "email", "phone",
    "preferred_language", "visibility", "owner_id",
]  # fmt: skip

ORGANISATION_RELATIONS = ["sectors"]
AUDITED_PARTNERSHIP_FIELDS = [
    "kind", "level", "title_en", "title_ja", "title_hi", "signed_on", "valid_until", "status",
    "renews_id", "visibility",
]  # fmt: skip
PARTNERSHIP_RELATIONS = ["parties", "cities", "focal_sectors"]


def organisation_refresh_derived(*, organisation: Organisation) -> None:
    """Recompute what is derived from the profile: the SME flag and the duplicate-search keys."""
    capital_jpy = organisation.capital if organisation.capital_currency == "JPY" else None
    organisation.is_sme = (
        is_sme(
            industry=organisation.sme_industry,
            capital_jpy=capital_jpy,
            employees=organisation.employees,
        )
        if organisation.country == "JP"
        else None
    )
    first_name = organisation.name_en or organisation.name_ja or organisation.name_hi
    organisation.name_key = normalise_name(first_name)[:300]
    Organisation.objects.filter(pk=organisation.pk).update(
        is_sme=organisation.is_sme, name_key=organisation.name_key
    )
    tokens: set[str] = set()
    for name in (organisation.name_en, organisation.name_ja, organisation.name_hi):
        tokens.update(name_tokens(name))
    with transaction.atomic():
        NameToken.objects.filter(organisation=organisation).delete()
        NameToken.objects.bulk_create(
            NameToken(organisation=organisation, token=token[:100]) for token in sorted(tokens)
        )


def _organisation_write(
    organisation: Organisation, *, actor: User, data: Mapping[str, Any], action: str
) -> Organisation:
    created = organisation.pk is None
    before = (
        {}
        if created
        else audit.snapshot(
            Organisation.objects.get(pk=organisation.pk),
            fields=AUDITED_ORGANISATION_FIELDS,
            relations=ORGANISATION_RELATIONS,
        )
    )
    relations = writes.assign(organisation, data)
    organisation.save()
    writes.relate(organisation, relations)
    organisation_refresh_derived(organisation=organisation)
    after = audit.snapshot(
        organisation, fields=AUDITED_ORGANISATION_FIELDS, relations=ORGANISATION_RELATIONS
    )
    changes = audit.field_changes(before, after)
    if created or changes:
        audit.record(organisation, action, actor=actor, changes=changes)
    return organisation


@transaction.atomic
def organisation_create(
    *, actor: User, data: Mapping[str, Any], managed_by: Organisation | None = None
) -> Organisation:
    """A new profile from validated data (sectors included), managed by ``managed_by``."""
    return _organisation_write(
        Organisation(managed_by=managed_by),
        actor=actor,
        data=data,
        action="directory.organisation.created",
    )


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    """Save an edited profile (sectors included) and audit what changed."""
    return _organisation_write(
        organisation, actor=actor, data=data, action="directory.organisation.updated"
    )


def _person_write(person: Person, *, actor: User, data: Mapping[str, Any], action: str) -> Person:
    created = person.pk is None
    before = (
        {}
        if created
        else audit.snapshot(Person.objects.get(pk=person.pk), fields=AUDITED_PERSON_FIELDS)
    )
    writes.assign(person, data)
    person.save()
    changes = audit.field_changes(before, audit.snapshot(person, fields=AUDITED_PERSON_FIELDS))
    if created or changes:
        audit.record(person, action, actor=actor, changes=changes)
    return person


@transaction.atomic
def person_create(*, actor: User, data: Mapping[str, Any], owner: Organisation | None) -> Person:
    assert owner is not None, "a new contact needs an owner"
    return _person_write(
        Person(owner=owner), actor=actor, data=data, action="directory.person.created"
    )


@transaction.atomic
def person_update(*, actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    return _person_write(person, actor=actor, data=data, action="directory.person.updated")


def partnership_owner(*, actor: User, parties: Iterable[Organisation]) -> Organisation | None:
    """Who owns a new agreement: the actor's own prefecture among the parties; for the
    secretariat, the first Japanese party. None when the actor may not record it."""
    principal = principal_for(actor)
    parties = list(parties)
    for party in parties:
        if party.pk in principal.officer_org_ids:
            return party
    if principal.is_secretariat:
        return next((party for party in parties if party.country == "JP"), None)
    return None


def _partnership_write(
    partnership: Partnership, *, actor: User, data: Mapping[str, Any], action: str
) -> Partnership:
    created = partnership.pk is None
    before = (
        {}
        if created
        else audit.snapshot(
            Partnership.objects.get(pk=partnership.pk),
            fields=AUDITED_PARTNERSHIP_FIELDS,
            relations=PARTNERSHIP_RELATIONS,
        )
    )
    relations = writes.assign(partnership, data)
    partnership.save()
    writes.relate(partnership, relations)
    after = audit.snapshot(
        partnership, fields=AUDITED_PARTNERSHIP_FIELDS, relations=PARTNERSHIP_RELATIONS
    )
    audit.record(partnership, action, actor=actor, changes=audit.field_changes(before, after))
    return partnership


@transaction.atomic
def partnership_create(*, actor: User, data: Mapping[str, Any]) -> Partnership:
    """Record an agreement; the owner is the Japanese party whose officer records it.

    Raises ValidationError on ``parties`` when none of them is the actor's to record for.
    """
    owner = partnership_owner(actor=actor, parties=data.get("parties") or [])
    if owner is None:
        raise ValidationError({"parties": _("Your own prefecture must be one of the parties.")})
    return _partnership_write(
        Partnership(owner=owner),
        actor=actor,
        data=data,
        action="directory.partnership.created",
    )


@transaction.atomic
def partnership_update(
    *, actor: User, partnership: Partnership, data: Mapping[str, Any]
) -> Partnership:
    """Save an edited agreement, parties included (the form keeps those hidden from the
    editor), and audit what changed."""
    return _partnership_write(
        partnership, actor=actor, data=data, action="directory.partnership.updated"
    )

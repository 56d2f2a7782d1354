"""Writes to the directory, each in a transaction and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from setu.algorithms.names import name_tokens, normalise_name
from setu.core import audit
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


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


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


@transaction.atomic
def organisation_save(
    *, organisation: Organisation, actor: User, managed_by: Organisation | None = None
) -> Organisation:
    """Create or update a profile (form already validated) and audit what changed."""
    created = organisation.pk is None
    before = (
        {}
        if created
        else _snapshot(Organisation.objects.get(pk=organisation.pk), AUDITED_ORGANISATION_FIELDS)
    )
    if created and managed_by is not None:
        organisation.managed_by = managed_by
    organisation.save()
    organisation_refresh_derived(organisation=organisation)
    changes = audit.field_changes(before, _snapshot(organisation, AUDITED_ORGANISATION_FIELDS))
    action = "directory.organisation.created" if created else "directory.organisation.updated"
    if created or changes:
        audit.record(organisation, action, actor=actor, changes=changes)
    return organisation


@transaction.atomic
def person_save(*, person: Person, actor: User, owner: Organisation | None = None) -> Person:
    created = person.pk is None
    before = {} if created else _snapshot(Person.objects.get(pk=person.pk), AUDITED_PERSON_FIELDS)
    if created:
        assert owner is not None, "a new contact needs an owner"
        person.owner = owner
    person.save()
    changes = audit.field_changes(before, _snapshot(person, AUDITED_PERSON_FIELDS))
    if created or changes:
        audit.record(
            person,
            "directory.person.created" if created else "directory.person.updated",
            actor=actor,
            changes=changes,
        )
    return person


@transaction.atomic
def partnership_save(
    *,
    partnership: Partnership,
    actor: User,
    parties: list[Organisation],
    owner: Organisation | None,
) -> Partnership:
    """Save an agreement; the owner is the Japanese party whose officer records it."""
    created = partnership.pk is None
    if created:
        assert owner is not None
        partnership.owner = owner
    partnership.save()
    partnership.parties.set(parties)
    audit.record(
        partnership,
        "directory.partnership.created" if created else "directory.partnership.updated",
        actor=actor,
        changes={
            "parties": [None, ", ".join(str(p) for p in parties)],
            "signed_on": [None, str(partnership.signed_on)],
            "valid_until": [None, str(partnership.valid_until)],
        },
    )
    return partnership

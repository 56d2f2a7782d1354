"""Writes to the directory, each in a transaction and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from setu.algorithms.names import name_tokens, normalise_name
from setu.directory.models import NameToken, Organisation
from setu.directory.sme import is_sme


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
    names = " ".join(
        name for name in (organisation.name_en, organisation.name_ja, organisation.name_hi) if name
    )
    organisation.name_key = normalise_name(organisation.name_en or names)[:300]
    Organisation.objects.filter(pk=organisation.pk).update(
        is_sme=organisation.is_sme, name_key=organisation.name_key
    )
    tokens = set()
    for name in (organisation.name_en, organisation.name_ja, organisation.name_hi):
        tokens.update(name_tokens(name))
    with transaction.atomic():
        NameToken.objects.filter(organisation=organisation).delete()
        NameToken.objects.bulk_create(
            NameToken(organisation=organisation, token=token[:100]) for token in sorted(tokens)
        )


def profile_snapshot(organisation: Organisation) -> dict[str, Any]:
    """The audited fields of a profile, as plain values."""
    fields = [
        "kind", "name_en", "name_ja", "name_hi", "name_ja_kana", "country", "region_id",
        "city_id", "address", "website", "employees", "capital", "capital_currency",
        "sme_industry", "visibility", "managed_by_id",
    ]  # fmt: skip
    return {name: getattr(organisation, name) for name in fields}

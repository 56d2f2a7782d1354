"""Who manages an organisation's webhooks: its own people, students apart.

A subscription sends the organisation's events to the organisation's own systems, so the
people who answer for the organisation (its officers, its staff, a company's or partner's
members) manage it; nobody manages another organisation's, the secretariat included.
"""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for

MANAGING_ROLES = frozenset({"secretariat", "prefecture_officer", "member", "partner"})


def managed_organisation_ids(user: Any) -> set[int]:
    return {org for org, role in principal_for(user).memberships if role in MANAGING_ROLES}


@rules.predicate
def manages_some_organisation(user: Any) -> bool:
    return bool(managed_organisation_ids(user))


@rules.predicate
def manages_organisation(user: Any, organisation: Any) -> bool:
    return organisation is not None and organisation.pk in managed_organisation_ids(user)


rules.add_perm("webhooks.use", manages_some_organisation)
rules.add_perm("webhooks.manage", manages_organisation)

"""Who may write what in the directory."""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for
from setu.core.rules import has_staff_role, is_owner_officer, is_secretariat
from setu.directory.models import OrganisationKind


@rules.predicate
def manages_organisation(user: Any, organisation: Any) -> bool:
    """An officer of the organisation itself, or of the prefecture that manages it."""
    if organisation is None:
        return False
    principal = principal_for(user)
    return (
        organisation.pk in principal.officer_org_ids
        or organisation.managed_by_id in principal.officer_org_ids
    )


@rules.predicate
def belongs_to_organisation(user: Any, organisation: Any) -> bool:
    """A member or partner editing their own organisation's profile."""
    if organisation is None:
        return False
    principal = principal_for(user)
    return organisation.pk in principal.org_ids and organisation.kind not in (
        OrganisationKind.MEMBER_PREFECTURE,
        OrganisationKind.SECRETARIAT,
    )


@rules.predicate
def in_owner_organisation(user: Any, record: Any) -> bool:
    return record is not None and record.owner_id in principal_for(user).org_ids


@rules.predicate
def has_any_membership(user: Any) -> bool:
    return bool(principal_for(user).org_ids)


can_edit_organisation = is_secretariat | manages_organisation | belongs_to_organisation
rules.add_perm("directory.add_organisation", has_staff_role)
rules.add_perm("directory.change_organisation", can_edit_organisation)
rules.add_perm("directory.merge_organisations", is_secretariat)
rules.add_perm("directory.add_person", has_any_membership)
rules.add_perm("directory.change_person", in_owner_organisation | is_owner_officer)
rules.add_perm("directory.add_partnership", has_staff_role)
rules.add_perm(
    "directory.change_partnership", is_owner_officer | in_owner_organisation | is_secretariat
)
rules.add_perm("directory.import", has_staff_role)

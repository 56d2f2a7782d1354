"""Permission predicates shared by every app (the ``rules`` package)."""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for


@rules.predicate
def is_secretariat(user: Any) -> bool:
    return principal_for(user).is_secretariat


@rules.predicate
def is_prefecture_officer(user: Any) -> bool:
    return principal_for(user).is_officer


@rules.predicate
def has_staff_role(user: Any) -> bool:
    return principal_for(user).is_staff_role


@rules.predicate
def is_owner_officer(user: Any, record: Any) -> bool:
    """An officer of the record's owner, or of the prefecture that manages the owner."""
    if record is None:
        return False
    principal = principal_for(user)
    owner = getattr(record, "owner", None)
    if owner is None:
        return False
    return owner.pk in principal.officer_org_ids or owner.managed_by_id in principal.officer_org_ids


rules.add_perm("core.view_audit_log", has_staff_role)

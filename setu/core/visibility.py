"""The ownership rule as one query filter (DESIGN.md section 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from setu.core.models import Visibility
from setu.core.principal import principal_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation


def visibility_q(
    user: User | AnonymousUser, *, owner_field: str = "owner", managed_by_field: str | None = None
) -> Q:
    """A filter that keeps the records ``user`` may read.

    ``owner_field`` names the owning organisation's id (``"owner"`` on an OwnedModel, ``"id"``
    on Organisation itself); ``managed_by_field`` the owner's managing prefecture, whose
    officers read the company's private records too.
    """
    principal = principal_for(user)
    allowed = Q(visibility=Visibility.PUBLIC)
    if principal.in_network:
        allowed |= Q(visibility=Visibility.PARTNERS)
    if principal.is_staff_role:
        allowed |= Q(visibility=Visibility.CONSORTIUM)
    if principal.org_ids:
        allowed |= Q(**{f"{owner_field}__in": principal.org_ids})
    if principal.officer_org_ids:
        managed = managed_by_field or f"{owner_field}__managed_by"
        allowed |= Q(**{f"{managed}__in": principal.officer_org_ids})
    return allowed


def may_read(
    user: User | AnonymousUser,
    *,
    visibility: str,
    owner_id: int | None,
    managed_by_id: int | None = None,
) -> bool:
    """``visibility_q`` for one record already in memory: no query (the principal is cached
    on the user). ``setu/core/tests/test_visibility_rule.py`` holds the two to the same answers.
    """
    principal = principal_for(user)
    return (
        visibility == Visibility.PUBLIC
        or (visibility == Visibility.PARTNERS and principal.in_network)
        or (visibility == Visibility.CONSORTIUM and principal.is_staff_role)
        or (owner_id is not None and owner_id in principal.org_ids)
        or (managed_by_id is not None and managed_by_id in principal.officer_org_ids)
    )


def organisation_readable(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """Whether ``user`` may see ``organisation`` (its own owner), as ``visible_to`` says."""
    return organisation.merged_into_id is None and may_read(
        user,
        visibility=organisation.visibility,
        owner_id=organisation.pk,
        managed_by_id=organisation.managed_by_id,
    )

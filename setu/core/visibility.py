"""The ownership rule as one query filter (DESIGN.md section 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from setu.core.models import Visibility
from setu.core.principal import principal_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


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

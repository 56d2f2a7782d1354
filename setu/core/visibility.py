"""The ownership rule as one query filter (docs/architecture.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from setu.core.principal import principal_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q

    from setu.accounts.models import User


def visibility_q(
    user: User | AnonymousUser, *, owner_field: str = "owner", managed_by_field: str | None = None
) -> Q:
    """A filter that keeps the records ``user`` may read.

    ``owner_field`` names the owning organisation's id (``"owner"`` on an OwnedModel, ``"id"``
    on Organisation itself); ``managed_by_field`` the owner's managing prefecture, whose
    officers read the company's private records too.
    """
    return principal_for(user).visibility_q(
        owner_field=owner_field, managed_by_field=managed_by_field
    )

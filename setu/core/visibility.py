"""The ownership rule as one query filter (docs/architecture.md, "The ownership rule")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from setu.core.principal import principal_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q

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
    return principal_for(user).visibility_q(
        owner_field=owner_field, managed_by_field=managed_by_field
    )


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
    return principal_for(user).may_read(
        visibility=visibility, owner_id=owner_id, managed_by_id=managed_by_id
    )


def organisation_readable(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """Whether ``user`` may see ``organisation`` (its own owner), as ``visible_to`` says."""
    return organisation.merged_into_id is None and may_read(
        user,
        visibility=organisation.visibility,
        owner_id=organisation.pk,
        managed_by_id=organisation.managed_by_id,
    )

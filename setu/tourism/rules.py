"""Who edits a destination page: the officers of its prefecture and the secretariat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from setu.core.principal import principal_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def may_edit_destination(user: User | AnonymousUser, owner_id: int | None) -> bool:
    principal = principal_for(user)
    return principal.is_secretariat or (
        owner_id is not None and owner_id in principal.officer_org_ids
    )

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from setu.core.access import get_visible_or_404
from setu.directory.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from setu.accounts.models import User


def organisation_list(*, user: User | AnonymousUser, kind: str = "") -> QuerySet[Organisation]:
    queryset = Organisation.objects.visible_to(user).select_related("managed_by")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def access_organisation(*, user: User | AnonymousUser, pk: Any) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.visible_to(user).select_related("managed_by"), pk
    )

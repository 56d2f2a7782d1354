"""Fetch-with-permission helpers. Views call these, never ``Model.objects.get`` on tenant data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation

M = TypeVar("M", bound=models.Model)


def get_visible_or_404(queryset: models.QuerySet[M], pk: Any) -> M:
    """The object with ``pk`` from an already permission-filtered queryset, else 404.

    A record the user may not see answers exactly like one that does not exist, so ids leak
    nothing.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def signed_in_user(request: HttpRequest) -> User:
    """The request's user on a page that requires sign-in (the view is ``login_required``)."""
    from setu.accounts.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def user_or_none(request: HttpRequest) -> User | None:
    """The request's user when signed in, else None (pages open to anonymous readers)."""
    from setu.accounts.models import User

    return request.user if isinstance(request.user, User) else None


def acting_organisation(
    user: User | AnonymousUser, *, roles: Iterable[str] | None = None
) -> Organisation | None:
    """The organisation ``user`` acts for (``Principal.acting_organisation_id``: the header's
    choice, else the most responsible role, the oldest membership first). With ``roles``, among
    the memberships holding one of them (an officer's page acts for a prefecture)."""
    from setu.core.principal import principal_for
    from setu.directory.models import Organisation

    principal = principal_for(user)
    pk = (
        principal.acting_organisation_id
        if roles is None
        else principal.acting_organisation_id_with(frozenset(str(role) for role in roles))
    )
    return None if pk is None else Organisation.objects.filter(pk=pk).first()

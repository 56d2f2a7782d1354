"""Fetch-with-permission helpers. Views call these, never ``Model.objects.get`` on tenant data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from setu.accounts.models import User

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

"""Reads for tokens: a person sees and revokes their own tokens only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from setu.api.models import ApiToken
from setu.core.access import get_visible_or_404

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from setu.accounts.models import User


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def access_token(*, user: User, pk: Any) -> ApiToken:
    return get_visible_or_404(token_list(user=user), pk)

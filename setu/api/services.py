"""Writes for tokens: making one (the only moment its text exists) and revoking one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.api import tokens
from setu.api.models import ApiToken
from setu.api.scopes import READ, unknown_scopes
from setu.core import audit

if TYPE_CHECKING:
    from setu.accounts.models import User

MAX_DAYS = 366


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    text: str  # shown once, never stored


@transaction.atomic
def token_create(
    *, user: User, name: str, scopes: list[str], days: int, now: datetime | None = None
) -> CreatedToken:
    """A new token for ``user``. Raises ValidationError (in the active language) on a bad
    name, scope or lifetime; nothing is saved then."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Give the token a name, so that you recognise it later.")
    unknown = unknown_scopes(scopes)
    if unknown:
        errors["scopes"] = _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}
    elif not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    ordered = sorted(set(scopes), key=lambda scope: (scope != READ, scope))
    parts = tokens.new_token()
    while ApiToken.objects.filter(prefix=parts.prefix).exists():
        parts = tokens.new_token()  # ~10^15 prefixes: practically never
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=parts.prefix,
        digest=tokens.digest(parts.text),
        scopes=ordered,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit.record(
        token,
        "api.token.created",
        actor=user,
        owner=None,
        changes={"name": [None, token.name], "scopes": [None, ", ".join(ordered)]},
    )
    return CreatedToken(token=token, text=parts.text)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User, now: datetime | None = None) -> ApiToken:
    """Revoke ``token`` at once; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(token, "api.token.revoked", actor=actor, owner=None)
    return token

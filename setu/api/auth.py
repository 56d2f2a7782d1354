"""Who calls the API: a personal access token (``Authorization: Bearer setu_…``) or, for
reads only, a signed-in browser (the interactive docs page).

Every operation names the scope it needs; the token must hold it (403 otherwise). A token is
refused (401) when unknown, revoked or expired, or when its person is deactivated. Each token
has a request budget per minute in the cache (429 with ``Retry-After`` beyond it). The caller's
``Accept-Language`` is activated before anything is answered, errors included.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja.security import HttpBearer, SessionAuth

from setu.accounts.models import User
from setu.api import tokens
from setu.api.errors import ApiError
from setu.api.models import ApiToken
from setu.api.scopes import READ

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAST_USED_EVERY = timedelta(minutes=1)  # how stale "last used" may be, to spare writes


@dataclass(frozen=True)
class Caller:
    user: User
    token: ApiToken | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)


def caller(request: HttpRequest) -> Caller:
    auth = getattr(request, "auth", None)
    assert isinstance(auth, Caller), "the operation has no auth"
    return auth


def activate_language(request: HttpRequest) -> None:
    """The language of ``Accept-Language`` when it names one we speak, for this request."""
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return


def _check_size(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.SETU_API_MAX_BODY_BYTES:
        raise ApiError(
            413,
            _("The request body is too large: at most %(limit)s bytes.")
            % {"limit": settings.SETU_API_MAX_BODY_BYTES},
        )


def _check_rate(token: ApiToken) -> None:
    """A fixed window per token: ``SETU_API_RATE_LIMIT`` requests a minute."""
    window = 60
    now = time.time()
    key = f"setu:api:rate:{token.pk}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > settings.SETU_API_RATE_LIMIT:
        retry = max(1, math.ceil(window - now % window))
        raise ApiError(
            429,
            _("Too many requests with this token: try again in %(seconds)s seconds.")
            % {"seconds": retry},
            headers={"Retry-After": str(retry)},
        )


def _token(text: str) -> ApiToken:
    prefix = tokens.parse(text)
    row = (
        ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if prefix is not None
        else None
    )
    if row is None or not tokens.matches(text, row.digest) or not row.user.is_active:
        raise ApiError(401, _("This token is not valid."), headers=_challenge())
    if row.revoked_at is not None:
        raise ApiError(401, _("This token was revoked."), headers=_challenge())
    now = timezone.now()
    if row.expires_at <= now:
        raise ApiError(
            401,
            _("This token expired on %(date)s.")
            % {"date": formats.date_format(row.expires_at, "Y-m-d")},
            headers=_challenge(),
        )
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="setu", error="invalid_token"'}


class TokenAuth(HttpBearer):
    """A bearer token holding ``scope``."""

    def __init__(self, scope: str = READ) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Any:
        activate_language(request)
        _check_size(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        row = _token(token)
        _check_rate(row)
        if self.scope not in row.scopes:
            raise ApiError(
                403,
                _("This token lacks the scope “%(scope)s”: make a token that has it.")
                % {"scope": self.scope},
            )
        principal_user = row.user
        request.user = principal_user  # the services and the policy read request.user
        return Caller(user=principal_user, token=row, scopes=frozenset(row.scopes))


class SessionReadAuth(SessionAuth):
    """A signed-in browser reads (the docs page's "Try it out"); it never writes this way."""

    def __init__(self) -> None:
        super().__init__(csrf=False)  # reads only: safe methods need no CSRF token

    def __call__(self, request: HttpRequest) -> Any:
        if request.method not in SAFE_METHODS:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if isinstance(user, User) and user.is_active:
            return Caller(user=user, scopes=frozenset({READ}))
        return None


def reading() -> list[Any]:
    return [TokenAuth(READ), SessionReadAuth()]


def writing(scope: str) -> list[Any]:
    return [TokenAuth(scope)]

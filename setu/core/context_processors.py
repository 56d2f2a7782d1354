from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from setu.core.params import FILTER_MAX_CHARS, SEARCH_MAX_CHARS
from setu.core.principal import principal_for


def site(request: HttpRequest) -> dict[str, Any]:
    principal = principal_for(request.user)
    return {
        "consortium_name": settings.SETU_CONSORTIUM_NAME,
        "principal": principal,
        # the header's switcher, for people with several memberships only
        "acting_choices": _acting_choices(request) if principal.has_several_organisations else [],
        "search_max_chars": SEARCH_MAX_CHARS,
        "filter_max_chars": FILTER_MAX_CHARS,
    }


def _acting_choices(request: HttpRequest) -> list[tuple[int, str]]:
    from setu.accounts.selectors import acting_choices

    return acting_choices(user=request.user)

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from setu.core.params import FILTER_MAX_CHARS, SEARCH_MAX_CHARS
from setu.core.principal import principal_for


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "consortium_name": settings.SETU_CONSORTIUM_NAME,
        "principal": principal_for(request.user),
        "search_max_chars": SEARCH_MAX_CHARS,
        "filter_max_chars": FILTER_MAX_CHARS,
    }

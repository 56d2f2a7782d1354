"""Content held in several languages, shown with the reader's fallback order."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils import translation

CONTENT_LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


def fallback_order(language: str | None = None) -> list[str]:
    """The reader's language, then English, then Japanese, then any other."""
    first = (language or translation.get_language() or "en").split("-")[0]
    order = [first, "en", "ja", *CONTENT_LANGUAGES]
    return list(dict.fromkeys(code for code in order if code in CONTENT_LANGUAGES))


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<lang>`` in fallback order; empty string when every language is empty."""
    for code in fallback_order(language):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


# Two full stops (not an ellipsis) before a space, a tag or the end: a sentence that closes
# on a name that already ends with one ("Welcome to Kofu Precision K.K.").
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?=\s|<|$)")


def one_full_stop(text: str) -> str:
    """``text`` with the doubled full stop after a name ending in "." made one."""
    return _DOUBLE_STOP.sub(".", text)

"""Reading query-string values: a bad value is ignored (the page shows its default), never an
error page.

Integers are ASCII digits within what the database stores (``str.isdigit`` also accepts "²",
which ``int`` refuses; twenty digits overflow SQLite's 64-bit integers). Months and days lie in
``MIN_YEAR``..``MAX_YEAR``, so that the previous and next month or week of a calendar still
exist. Text loses NUL characters, which PostgreSQL refuses in a query.
"""

from __future__ import annotations

import re
from datetime import date

# The longest search the library answers; every search box's maxlength says the same (the
# context processor hands it to templates). 200 Devanagari or kanji characters make a request
# line of about 1,900 bytes, below gunicorn's default limit (docs/operations.md).
SEARCH_MAX_CHARS = 200
# The longest text a list page's own filter box ("name contains") reads.
FILTER_MAX_CHARS = 100

# The largest id a BigAutoField holds, and the largest integer SQLite compares.
ID_MAX = 2**63 - 1
MIN_YEAR = 1900
MAX_YEAR = 2999

_DIGITS = re.compile(r"[0-9]{1,19}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def int_param(value: str | None, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """``value`` as an integer in ``minimum``..``maximum``, else None."""
    if value is None or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def month_param(value: str | None) -> date | None:
    """The first day of a "YYYY-MM" month within the supported years, else None."""
    match = _MONTH.fullmatch(value or "")
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def date_param(value: str | None) -> date | None:
    """An ISO date ("YYYY-MM-DD") within the supported years, else None."""
    if not value or len(value) > 10:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def text_param(value: str | None, *, max_length: int) -> str:
    """``value`` stripped, without NUL characters, cut to ``max_length``."""
    return (value or "").replace("\x00", "").strip()[:max_length]

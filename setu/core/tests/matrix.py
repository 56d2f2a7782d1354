"""The role × URL matrix's vocabulary. Each app lists its rows in ``tests/role_matrix.py``.

A row gives, for one URL name, the answer each of the seven users in ``setu.conftest.ROLES``
gets: "200", "403", "404", "405"; "login" is a redirect to sign-in; "→/path" is any other
redirect whose target starts with /path. ``url`` builds the URL from the test world when the
pattern takes arguments; ``method`` is "get" or "post".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from setu.conftest import World

# anonymous, student, member, partner, officer_own, officer_other, secretariat
ALL_200 = ("200",) * 7
SIGNED_IN_200 = ("login",) + ("200",) * 6
STAFF_ONLY = ("login", "403", "403", "403", "200", "200", "200")
SECRETARIAT_ONLY = ("login", "403", "403", "403", "403", "403", "200")
NETWORK_200 = ("login", "403", "200", "200", "200", "200", "200")


@dataclass(frozen=True)
class Row:
    expected: tuple[str, ...]
    url: Callable[[World], str] | None = None
    method: str = "get"


def outcome(response: Any) -> str:
    if response.status_code in (301, 302):
        location = response.headers["Location"]
        if location.startswith("/accounts/login/?"):
            return "login"
        return f"→{location}"
    return str(response.status_code)


def matches(expected: str, actual: str) -> bool:
    if expected.startswith("→"):
        return actual.startswith(expected)
    return expected == actual

"""Token strings: ``setu_<prefix>_<secret>``.

The prefix (10 characters) names the token in lists and finds its row; the secret carries 256
bits from ``secrets``. The database keeps the sha256 of the whole string, compared in constant
time: a leaked table reveals no usable token, and a fast hash is enough for a random secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX_LENGTH = 10
_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789"  # no 0/o, 1/l: readable when read aloud


@dataclass(frozen=True)
class TokenParts:
    prefix: str
    secret: str

    @property
    def text(self) -> str:
        return f"setu_{self.prefix}_{self.secret}"


def new_token() -> TokenParts:
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH))
    return TokenParts(prefix=prefix, secret=secrets.token_urlsafe(32))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def parse(text: str) -> str | None:
    """The prefix of a well-formed token string, else None."""
    parts = text.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "setu" or len(parts[1]) != PREFIX_LENGTH or not parts[2]:
        return None
    return parts[1]


def matches(text: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(text.strip()), stored_digest)

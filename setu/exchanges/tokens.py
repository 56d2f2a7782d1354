"""Signed links for people without an account: a referee's answer and a guardian's consent.

The record's own random secret is part of the signed payload, so a link dies with its record
and cannot be forged from an id. Single use is the record's state (``answered_at``), not the
link's: a reused referee link finds the answer already given and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

REFEREE_SALT = "setu.exchanges.referee"
CONSENT_SALT = "setu.exchanges.consent"
# A referee or guardian has a month; the student can ask again after that.
MAX_AGE = timedelta(days=30)


def _sign(salt: str, pk: int, token: str) -> str:
    return signing.TimestampSigner(salt=salt).sign_object({"i": pk, "t": token[:12]})


def _read(salt: str, value: str) -> tuple[int, str] | None:
    try:
        data = signing.TimestampSigner(salt=salt).unsign_object(value, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return data["i"], str(data.get("t", ""))


def referee_link_token(referee_id: int, token: str) -> str:
    return _sign(REFEREE_SALT, referee_id, token)


def read_referee_link(value: str) -> tuple[int, str] | None:
    """(referee id, token prefix), or None for a bad or expired link."""
    return _read(REFEREE_SALT, value)


def consent_link_token(consent_id: int, token: str) -> str:
    return _sign(CONSENT_SALT, consent_id, token)


def read_consent_link(value: str) -> tuple[int, str] | None:
    """(consent id, token prefix), or None for a bad or expired link."""
    return _read(CONSENT_SALT, value)

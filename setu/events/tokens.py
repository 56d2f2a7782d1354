"""Signed links in emails: confirming a guest's address, and cancelling without signing in."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "setu.events.confirm-email"
CANCEL_SALT = "setu.events.cancel"
# A guest has two days to confirm; the registration is not counted until then.
CONFIRM_MAX_AGE = timedelta(days=2)


def _sign(salt: str, registration_id: int, token: str) -> str:
    # The registration's own secret is part of the payload, so a link dies with the record.
    return signing.TimestampSigner(salt=salt).sign_object({"r": registration_id, "t": token[:12]})


def _read(salt: str, value: str, max_age: timedelta | None) -> tuple[int, str] | None:
    try:
        data = signing.TimestampSigner(salt=salt).unsign_object(value, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    return data["r"], str(data.get("t", ""))


def confirm_link_token(registration_id: int, token: str) -> str:
    return _sign(CONFIRM_SALT, registration_id, token)


def read_confirm_link(value: str) -> tuple[int, str] | None:
    """(registration id, token prefix) from a confirmation link, or None if bad or expired."""
    return _read(CONFIRM_SALT, value, CONFIRM_MAX_AGE)


def cancel_link_token(registration_id: int, token: str) -> str:
    return _sign(CANCEL_SALT, registration_id, token)


def read_cancel_link(value: str) -> tuple[int, str] | None:
    return _read(CANCEL_SALT, value, None)


TICKET_SALT = "setu.events.ticket"


def ticket_token(attendee_id: int, code: str) -> str:
    """The secret part of one attendee's ticket link (their QR code and own cancel button)."""
    return signing.Signer(salt=TICKET_SALT).sign_object({"a": attendee_id, "c": code[:4]})


def read_ticket_token(value: str) -> tuple[int, str] | None:
    try:
        data = signing.Signer(salt=TICKET_SALT).unsign_object(value)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        return None
    return data["a"], str(data.get("c", ""))

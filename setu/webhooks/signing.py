"""The signature on every delivery, and how a receiver checks it (docs/webhooks.md).

Header ``Setu-Signature: t=<unix seconds>,v1=<hex>``, where the hex is
HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp inside the signed text lets a receiver
refuse a replayed delivery (older than a few minutes) without trusting any other header.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Setu-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header_value(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, *, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is not older than ``tolerance``."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))

"""Sealing visitors' details at rest with Fernet (``cryptography``; decision 0022).

``SETU_VISITOR_KEYS`` holds the keys, newest first: the first seals, every one opens (MultiFernet),
so a key is rotated by putting a new one in front (``reseal`` rewrites a value under it). The dev
profile without keys derives one from SECRET_KEY so that a fresh checkout works; prod refuses to
start without keys (config/settings.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _keys() -> list[bytes]:
    configured = [key.encode() for key in getattr(settings, "SETU_VISITOR_KEYS", []) if key]
    if configured:
        return configured
    digest = hashlib.sha256(f"setu.visitor.{settings.SECRET_KEY}".encode()).digest()
    return [base64.urlsafe_b64encode(digest)]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def open_sealed(token: bytes) -> bytes:
    """The plain bytes; raises ``InvalidToken`` for a token no configured key opens."""
    return _fernet().decrypt(bytes(token))


def seal_json(values: dict[str, Any]) -> bytes:
    return seal(json.dumps(values, sort_keys=True).encode())


def open_json(token: bytes | memoryview) -> dict[str, Any]:
    if not token:
        return {}
    data = json.loads(open_sealed(bytes(token)))  # InvalidToken when no configured key opens it
    return data if isinstance(data, dict) else {}


def reseal(token: bytes | memoryview) -> bytes:
    """The same content under the newest key."""
    return _fernet().rotate(bytes(token))

"""The signature a receiver checks: right secret and body pass; anything else fails."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from setu.webhooks import signing

NOW = 1_800_000_000


def test_the_documented_recipe_gives_the_header_setu_sends() -> None:
    body = b'{"type":"event.published"}'
    expected = hmac.new(b"whsec_x", b"1800000000." + body, hashlib.sha256).hexdigest()
    assert signing.header_value("whsec_x", NOW, body) == f"t={NOW},v1={expected}"


@given(secret=st.text(min_size=1), body=st.binary())
def test_a_signed_body_verifies_and_a_changed_one_does_not(secret: str, body: bytes) -> None:
    header = signing.header_value(secret, NOW, body)
    assert signing.verify(secret, header, body, now=NOW)
    assert not signing.verify(secret, header, body + b" ", now=NOW)
    assert not signing.verify(secret + "x", header, body, now=NOW)


def test_an_old_or_malformed_signature_is_refused() -> None:
    header = signing.header_value("s", NOW, b"{}")
    assert signing.verify("s", header, b"{}", now=NOW + 299)
    assert not signing.verify("s", header, b"{}", now=NOW + 301)  # replayed later
    assert not signing.verify("s", "v1=abc", b"{}", now=NOW)
    assert not signing.verify("s", "t=soon,v1=abc", b"{}", now=NOW)
    # a receiver rotating secrets may see two v1 values; one right one is enough
    other = signing.signature("old", NOW, b"{}")
    assert signing.verify("s", f"{header},v1={other}", b"{}", now=NOW)

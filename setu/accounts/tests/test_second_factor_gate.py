"""The staff second-factor gate: what it covers, what it lets through, and a stable TOTP secret."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from setu.accounts.models import User
from setu.accounts.tests.factories import PASSWORD, UserFactory
from setu.conftest import World

pytestmark = pytest.mark.django_db


def _fresh_officer(world: World) -> tuple[User, Client]:
    officer = UserFactory(email="fresh.officer@example.org")
    world.prefecture.memberships.create(user=officer, role="prefecture_officer")
    client = Client()
    # Signing in with the password (not force_login) records the authentication that
    # allauth asks for before enrolment.
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    return officer, client


def _secret_on(page: str) -> str:
    match = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', page)
    match = match and re.search(r'value="([A-Z2-7]+)"', match.group(0))
    assert match, page[-2500:]
    return match.group(1)


def test_the_favicon_and_robots_txt_are_served_to_everyone(world: World) -> None:
    _officer, client = _fresh_officer(world)
    for path, kind in (("/favicon.ico", "image/"), ("/robots.txt", "text/plain")):
        for reader in (Client(), client):
            response = reader.get(path)
            assert response.status_code == 200, (path, response.headers.get("Location"))
            assert response["Content-Type"].startswith(kind)
    page = Client().get("/").content.decode()
    assert 'rel="icon"' in page
    assert "favicon.svg" in page


def test_asset_requests_and_reloads_keep_the_secret_being_enrolled(world: World) -> None:
    """A browser fetches /favicon.ico (and may reload) while the person scans the QR code."""
    _officer, client = _fresh_officer(world)
    first = _secret_on(client.get(reverse("mfa_activate_totp")).content.decode())
    client.get("/favicon.ico")
    client.get("/robots.txt")
    client.get("/apple-touch-icon.png")
    again = _secret_on(client.get(reverse("mfa_activate_totp")).content.decode())
    assert again == first

    code = format_hotp_value(hotp_value(first, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_code_is_refused_and_the_secret_stays(world: World) -> None:
    _officer, client = _fresh_officer(world)
    first = _secret_on(client.get(reverse("mfa_activate_totp")).content.decode())
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert "Incorrect code." in response.content.decode()
    assert _secret_on(response.content.decode()) == first


def test_the_preferences_page_waits_for_the_second_factor_but_language_switching_does_not(
    world: World,
) -> None:
    officer, client = _fresh_officer(world)
    response = client.get(reverse("preferences"))
    assert response.headers["Location"] == reverse("mfa_activate_totp")
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.language == "ja"

"""Role × URL matrix: for every URL pattern, what each kind of user gets (issue 2, item 9).

A URL pattern missing from the matrix fails the test, so a new page cannot ship without saying
who may open it. Each app lists its rows in ``setu/<app>/tests/role_matrix.py`` (vocabulary in
``setu/core/tests/matrix.py``); the core and allauth rows are below.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from setu.accounts.models import Invitation, Role
from setu.conftest import ROLES, World, build_world
from setu.core.tests.matrix import ALL_200, SIGNED_IN_200, STAFF_ONLY, Row, matches, outcome

TO_DASHBOARD = ("200",) + ("→/dashboard/",) * 6


def _invitation(world: World) -> Invitation:
    return Invitation.objects.create(
        email="newcomer@example.org", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )


ROWS: dict[str, Row] = {
    "home": Row(ALL_200),
    "favicon": Row(ALL_200),
    "robots_txt": Row(ALL_200),
    "healthz": Row(ALL_200),
    "dashboard": Row(SIGNED_IN_200),
    "set_language": Row(("405",) * 7),  # POST only; see test_views_language
    "audit_log": Row(STAFF_ONLY),
    "preferences": Row(SIGNED_IN_200),
    # POST only; without a chosen organisation it says so and goes back to the dashboard
    "acting_organisation": Row(
        ("login",) + ("→/dashboard/",) * 6,
        url=lambda w: reverse("acting_organisation"),
        method="post",
    ),
    "invitations": Row(STAFF_ONLY),
    # revoking an invitation into officer_own's prefecture
    "invitation_revoke": Row(
        ("login", "403", "403", "403", "→/accounts/invitations/", "404", "→/accounts/invitations/"),
        url=lambda w: reverse("invitation_revoke", args=[_invitation(w).pk]),
        method="post",
    ),
    # a visitor goes straight to the sign-up form; a signed-in person sees the invitation
    "invitation_accept": Row(
        ("→/accounts/signup/",) + ("200",) * 6,
        url=lambda w: reverse("invitation_accept", args=[_invitation(w).token]),
    ),
    # django-allauth
    "account_login": Row(TO_DASHBOARD),
    "account_signup": Row(TO_DASHBOARD),
    "account_logout": Row(("→/",) + ("200",) * 6),
    "account_inactive": Row(ALL_200),
    "account_reauthenticate": Row(SIGNED_IN_200),
    "account_request_reauthentication_code": Row(SIGNED_IN_200),
    "account_confirm_reauthentication_code": Row(
        ("login",) + ("→/accounts/reauthenticate/code/",) * 6
    ),
    "account_email": Row(SIGNED_IN_200),
    "account_email_verification_sent": Row(ALL_200),
    "account_change_password": Row(SIGNED_IN_200),
    "account_set_password": Row(("login",) + ("→/accounts/password/change/",) * 6),
    "account_reset_password": Row(ALL_200),
    "account_confirm_login_code": Row(("→/accounts/login/",) + ("→/dashboard/",) * 6),
    # a bad key shows "link expired or invalid"
    "account_confirm_email": Row(
        ALL_200, url=lambda w: reverse("account_confirm_email", args=["not-a-key"])
    ),
    # a bad key shows "bad token"
    "account_reset_password_from_key": Row(
        ALL_200,
        url=lambda w: reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "1", "key": "not-a-key"}
        ),
    ),
    "account_reset_password_from_key_done": Row(ALL_200),
    "account_reset_password_done": Row(ALL_200),
    "mfa_index": Row(SIGNED_IN_200),
    "mfa_authenticate": Row(("→/accounts/login/",) + ("→/dashboard/",) * 6),
    "mfa_reauthenticate": Row(("login",) + ("→/accounts/reauthenticate/",) * 3 + ("200",) * 3),
    # a first authenticator right after signing in needs no password again (adapter.py);
    # the staff of the test world have one, so changing it asks for the password
    "mfa_activate_totp": Row(("login",) + ("200",) * 3 + ("→/accounts/reauthenticate/",) * 3),
    "mfa_deactivate_totp": Row(
        ("login", "404", "404", "404") + ("→/accounts/reauthenticate/",) * 3
    ),
    "mfa_view_recovery_codes": Row(
        ("login", "404", "404", "404") + ("→/accounts/reauthenticate/",) * 3
    ),
    "mfa_generate_recovery_codes": Row(("login",) + ("→/accounts/reauthenticate/",) * 6),
    "mfa_download_recovery_codes": Row(
        ("login", "404", "404", "404") + ("→/accounts/reauthenticate/",) * 3
    ),
}

# Django's admin: nobody in the matrix is Django staff; every admin page sends them to sign in.
ADMIN_EXPECTED = ("→/admin/login/",) * 7


def _matrix() -> dict[str, Row]:
    """This module's rows plus ``ROWS`` of every ``setu/<app>/tests/role_matrix*.py``."""
    rows = dict(ROWS)
    for config in apps.get_app_configs():
        if not config.name.startswith("setu.") or config.name == "setu.core":
            continue
        for path in sorted(Path(config.path, "tests").glob("role_matrix*.py")):
            module = importlib.import_module(f"{config.name}.tests.{path.stem}")
            overlap = rows.keys() & module.ROWS.keys()
            assert not overlap, f"URL names listed twice: {overlap}"
            rows.update(module.ROWS)
    return rows


MATRIX = _matrix()


def _url_names() -> Iterator[str]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}"

    yield from walk(get_resolver().url_patterns, "")


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = {name for name in _url_names() if not name.startswith("admin:")}
    missing = names - MATRIX.keys()
    stale = MATRIX.keys() - names
    assert not missing, f"URL patterns missing from the role matrix: {sorted(missing)}"
    assert not stale, f"matrix rows for URL patterns that no longer exist: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(name: str) -> None:
    world = build_world()
    row = MATRIX[name]
    url = row.url(world) if row.url else reverse(name)
    outcomes = []
    for role in ROLES:
        client = world.client_for(role)
        response = client.post(url) if row.method == "post" else client.get(url)
        outcomes.append(outcome(response))
    mismatches = {
        role: (want, got)
        for role, want, got in zip(ROLES, row.expected, outcomes, strict=True)
        if not matches(want, got)
    }
    assert not mismatches, f"{name} {url}: role → (expected, got): {mismatches}"


ADMIN_SAMPLES = [
    "admin:index",
    "admin:directory_organisation_changelist",
    "admin:accounts_user_add",
]


@pytest.mark.django_db
def test_admin_pages_send_everyone_in_the_matrix_to_sign_in() -> None:
    admin_names = [name for name in _url_names() if name.startswith("admin:")]
    assert set(ADMIN_SAMPLES) <= set(admin_names)
    world = build_world()
    for name in ADMIN_SAMPLES:
        url = reverse(name)
        for role, want in zip(ROLES, ADMIN_EXPECTED, strict=True):
            got = outcome(world.client_for(role).get(url))
            assert matches(want, got), f"{name} as {role}: expected {want}, got {got}"

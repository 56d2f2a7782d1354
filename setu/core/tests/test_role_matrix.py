"""Role × URL matrix: for every URL pattern, what each kind of user gets (issue 2, item 9).

A URL pattern missing from MATRIX fails the test, so a new page cannot ship without saying
who may open it. Codes: "200", "403", "404", "405"; "login" is a redirect to sign-in; "→/path"
is any other redirect whose target starts with /path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from setu.accounts.models import Invitation, Role
from setu.conftest import ROLES, World, build_world

# anonymous, student, member, partner, officer_own, officer_other, secretariat
ALL_200 = ("200",) * 7
SIGNED_IN_200 = ("login",) + ("200",) * 6
STAFF_ONLY = ("login", "403", "403", "403", "200", "200", "200")
TO_DASHBOARD = ("200",) + ("→/dashboard/",) * 6

MATRIX: dict[str, tuple[str, ...]] = {
    "home": ALL_200,
    "dashboard": SIGNED_IN_200,
    "set_language": ("405",) * 7,  # POST only; tested in test_views_language
    "audit_log": STAFF_ONLY,
    "preferences": SIGNED_IN_200,
    "invitations": STAFF_ONLY,
    # POST revoke of an invitation into the officer_own's prefecture
    "invitation_revoke": (
        "login",
        "403",
        "403",
        "403",
        "→/accounts/invitations/",
        "404",
        "→/accounts/invitations/",
    ),
    "invitation_accept": ALL_200,
    "directory:organisations": ALL_200,
    # a private company managed by officer_own's prefecture: another organisation's private
    # record answers 404, never 403
    "directory:organisation": ("404", "404", "200", "404", "200", "404", "404"),
    # django-allauth
    "account_login": TO_DASHBOARD,
    "account_signup": TO_DASHBOARD,
    "account_logout": ("→/",) + ("200",) * 6,
    "account_inactive": ALL_200,
    "account_reauthenticate": SIGNED_IN_200,
    "account_request_reauthentication_code": SIGNED_IN_200,
    "account_confirm_reauthentication_code": ("login",) + ("→/accounts/reauthenticate/code/",) * 6,
    "account_email": SIGNED_IN_200,
    "account_email_verification_sent": ALL_200,
    "account_change_password": SIGNED_IN_200,
    "account_set_password": ("login",) + ("→/accounts/password/change/",) * 6,
    "account_reset_password": ALL_200,
    "account_confirm_login_code": ("→/accounts/login/",) + ("→/dashboard/",) * 6,
    "account_confirm_email": ALL_200,  # a bad key shows "link expired or invalid"
    "account_reset_password_from_key": ALL_200,  # a bad key shows "bad token"
    "account_reset_password_from_key_done": ALL_200,
    "account_reset_password_done": ALL_200,
    "mfa_index": SIGNED_IN_200,
    "mfa_authenticate": ("→/accounts/login/",) + ("→/dashboard/",) * 6,
    "mfa_reauthenticate": ("login",) + ("→/accounts/reauthenticate/",) * 3 + ("200",) * 3,
    "mfa_activate_totp": ("login",) + ("→/accounts/reauthenticate/",) * 6,
    "mfa_deactivate_totp": ("login", "404", "404", "404") + ("→/accounts/reauthenticate/",) * 3,
    "mfa_view_recovery_codes": ("login", "404", "404", "404") + ("→/accounts/reauthenticate/",) * 3,
    "mfa_generate_recovery_codes": ("login",) + ("→/accounts/reauthenticate/",) * 6,
    "mfa_download_recovery_codes": ("login", "404", "404", "404")
    + ("→/accounts/reauthenticate/",) * 3,
    # Django's admin: nobody in the matrix is Django staff; every admin page sends them to sign in
    "admin:*": ("→/admin/login/",) * 7,
}

POST_ONLY = {"invitation_revoke"}


def _url_names() -> Iterator[str]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}"

    yield from walk(get_resolver().url_patterns, "")


def _url_for(name: str, world: World) -> str:
    invitation = Invitation.objects.create(
        email="newcomer@example.org", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )
    builders: dict[str, Callable[[], str]] = {
        "invitation_revoke": lambda: reverse("invitation_revoke", args=[invitation.pk]),
        "invitation_accept": lambda: reverse("invitation_accept", args=[invitation.token]),
        "directory:organisation": lambda: reverse(
            "directory:organisation", args=[world.company.pk]
        ),
        "account_confirm_email": lambda: reverse("account_confirm_email", args=["not-a-key"]),
        "account_reset_password_from_key": lambda: reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "1", "key": "not-a-key"}
        ),
    }
    return builders[name]() if name in builders else reverse(name)


def _outcome(response: Any) -> str:
    if response.status_code in (301, 302):
        location = response.headers["Location"]
        if location.startswith("/accounts/login/?"):
            return "login"
        return f"→{location}"
    return str(response.status_code)


def _matches(expected: str, actual: str) -> bool:
    if expected.startswith("→"):
        return actual.startswith(expected)
    return expected == actual


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = {name for name in _url_names() if not name.startswith("admin:")}
    missing = names - MATRIX.keys()
    stale = MATRIX.keys() - names - {"admin:*"}
    assert not missing, f"URL patterns missing from the role matrix: {sorted(missing)}"
    assert not stale, f"matrix rows for URL patterns that no longer exist: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(MATRIX) - {"admin:*"}))
def test_role_matrix(name: str) -> None:
    world = build_world()
    url = _url_for(name, world)
    outcomes = []
    for role in ROLES:
        client = world.client_for(role)
        response = client.post(url) if name in POST_ONLY else client.get(url)
        outcomes.append(_outcome(response))
    expected = MATRIX[name]
    mismatches = {
        role: (want, got)
        for role, want, got in zip(ROLES, expected, outcomes, strict=True)
        if not _matches(want, got)
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
        for role, want in zip(ROLES, MATRIX["admin:*"], strict=True):
            got = _outcome(world.client_for(role).get(url))
            assert _matches(want, got), f"{name} as {role}: expected {want}, got {got}"

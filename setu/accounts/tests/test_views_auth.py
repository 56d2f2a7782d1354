"""Sign-up, verification, sign-in, lockout, password reset and the staff second factor."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from setu.accounts.models import User
from setu.accounts.tests.factories import PASSWORD, UserFactory, enrol_totp
from setu.conftest import World

pytestmark = pytest.mark.django_db


def _link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://testserver(/\S+)", str(message.body))
    assert match, message.body
    return match.group(1)


def _sign_in(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_up_requires_email_verification_before_sign_in(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Ravi@Example.org",
            "full_name": "Ravi Kumar",
            "password1": "a-Long-passphrase-9",
            "password2": "a-Long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="ravi@example.org").exists()
    assert len(mail.outbox) == 1

    # Unverified: signing in is refused and the verification mail is offered again.
    other = Client()
    response = _sign_in(other, "ravi@example.org", "a-Long-passphrase-9")
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in other.session

    confirm = Client().post(_link(mail.outbox[0]))
    assert confirm.status_code == 302
    response = _sign_in(other, "ravi@example.org", "a-Long-passphrase-9")
    assert response.headers["Location"] == reverse("dashboard")


def test_wrong_password_is_refused_in_the_users_language(client: Client) -> None:
    UserFactory(email="kenji@example.org")
    client.cookies["django_language"] = "ja"
    response = _sign_in(client, "kenji@example.org", "wrong password")
    assert response.status_code == 200
    assert (
        "入力されたメールアドレスもしくはパスワードが正しくありません。"
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_out_even_for_the_right_password(client: Client) -> None:
    UserFactory(email="target@example.org")
    for _ in range(5):
        _sign_in(client, "target@example.org", "guess")
    response = _sign_in(client, "target@example.org")
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_emailed_link(client: Client) -> None:
    UserFactory(email="priya@example.org")
    client.post(reverse("account_reset_password"), {"email": "priya@example.org"})
    assert len(mail.outbox) == 1
    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 302  # allauth hides the key, then shows the form
    form_url = response.headers["Location"]
    response = client.post(
        form_url, {"password1": "new-Passphrase-42", "password2": "new-Passphrase-42"}
    )
    assert response.headers["Location"] == reverse("account_reset_password_from_key_done")
    assert _sign_in(Client(), "priya@example.org", "new-Passphrase-42").status_code == 302


def test_a_tampered_reset_link_says_so_and_changes_nothing(client: Client) -> None:
    user = UserFactory(email="priya@example.org")
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "set-password"})
    response = client.post(url, {"password1": "x-Passphrase-42", "password2": "x-Passphrase-42"})
    assert "The password reset link was invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/audit/", "/accounts/invitations/", "/directory/"]
)
def test_staff_without_a_second_factor_reach_no_page(world: World, path: str) -> None:
    officer = UserFactory(email="fresh.officer@example.org")
    world.prefecture.memberships.create(user=officer, role="prefecture_officer")
    client = Client()
    client.force_login(officer)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_staff_sign_in_asks_for_the_code_and_refuses_a_wrong_one(world: World) -> None:
    officer = UserFactory(email="officer2@example.org")
    world.prefecture.memberships.create(user=officer, role="prefecture_officer")
    secret = enrol_totp(officer)
    client = Client()
    response = _sign_in(client, "officer2@example.org")
    assert response.headers["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.headers["Location"] == reverse("dashboard")
    assert client.get(reverse("audit_log")).status_code == 200


def test_a_code_from_the_step_before_signs_in_once_and_older_ones_never(world: World) -> None:
    """A code typed just as the phone's 30 s counter turns over still signs in (a tolerance
    of one step); a code three steps old does not, and no code works twice."""
    officer = UserFactory(email="officer3@example.org")
    world.prefecture.memberships.create(user=officer, role="prefecture_officer")
    secret = enrol_totp(officer)
    now = int(time.time()) // 30
    client = Client()
    _sign_in(client, "officer3@example.org")
    too_old = format_hotp_value(hotp_value(secret, now - 3))
    response = client.post(reverse("mfa_authenticate"), {"code": too_old})
    assert "Incorrect code." in response.content.decode()
    previous = format_hotp_value(hotp_value(secret, now - 1))
    response = client.post(reverse("mfa_authenticate"), {"code": previous})
    assert response.headers["Location"] == reverse("dashboard")

    again = Client()
    _sign_in(again, "officer3@example.org")
    response = again.post(reverse("mfa_authenticate"), {"code": previous})
    assert "Incorrect code." in response.content.decode()  # used once already
    assert "_auth_user_id" not in again.session

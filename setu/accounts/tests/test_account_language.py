"""allauth's emails, messages and password rules speak the person's language and name the site."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from setu.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ja", "hi"]


def _greeting_and_thanks(language: str) -> tuple[str, str]:
    with translation.override(language):
        hello = gettext("Hello from %(site_name)s!") % {"site_name": "Setu"}
        thanks = gettext("Thank you for using %(site_name)s!\n%(site_domain)s") % {
            "site_name": "Setu",
            "site_domain": "setu.example.org",
        }
    return hello, thanks


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_verification_email_names_the_site(language: str, settings: object) -> None:
    settings.SETU_BASE_URL = "https://setu.example.org"  # type: ignore[attr-defined]
    client = Client()
    client.cookies["django_language"] = language
    client.post(
        reverse("account_signup"),
        {
            "email": f"ravi.{language}@example.org",  # allauth rate-limits mail per address
            "full_name": "Ravi Kumar",
            "password1": "a-Long-passphrase-9",
            "password2": "a-Long-passphrase-9",
        },
    )
    assert len(mail.outbox) == 1
    body, subject = str(mail.outbox[0].body), str(mail.outbox[0].subject)
    hello, thanks = _greeting_and_thanks(language)
    assert hello in body
    assert thanks in body
    assert subject.startswith("[Setu] ")
    assert "from !" not in body and "using !" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_email_names_the_site(language: str, settings: object) -> None:
    settings.SETU_BASE_URL = "https://setu.example.org"  # type: ignore[attr-defined]
    UserFactory(email="priya@example.org")
    client = Client()
    client.cookies["django_language"] = language
    client.post(reverse("account_reset_password"), {"email": "priya@example.org"})
    hello, thanks = _greeting_and_thanks(language)
    assert hello in str(mail.outbox[0].body)
    assert thanks in str(mail.outbox[0].body)


def test_signed_in_message_is_in_the_users_language_not_the_browsers() -> None:
    UserFactory(email="kenji@example.org", full_name="Kenji Sato", language="ja")
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("account_login"), {"login": "kenji@example.org", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert "Successfully signed in" not in page
    with translation.override("ja"):
        signed_in = gettext("Successfully signed in as %(name)s.") % {"name": "Kenji Sato"}
    assert signed_in in page


def test_password_rules_and_errors_are_in_hindi(client: Client) -> None:
    client.cookies["django_language"] = "hi"
    form = client.get(reverse("account_signup")).content.decode()
    for english in (
        "Your password must contain at least 8 characters.",
        "Your password can’t be a commonly used password.",
        "Your password can’t be entirely numeric.",
        "Your password can’t be too similar to your other personal information.",
    ):
        assert english not in form
    assert "आपके पासवर्ड में कम से कम 8 अक्षर होने चाहिए।" in form
    response = client.post(
        reverse("account_signup"),
        {
            "email": "asha@example.org",
            "full_name": "Asha",
            "password1": "1234",
            "password2": "1234",
        },
    )
    page = response.content.decode()
    for english in ("This password is too short", "too common", "entirely numeric"):
        assert english not in page
    assert "यह पासवर्ड बहुत छोटा है। इसमें कम से कम 8 अक्षर होने चाहिए।" in page
    assert "यह पासवर्ड पूरी तरह संख्यात्मक है।" in page

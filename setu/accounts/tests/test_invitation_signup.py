"""From an invitation email to an account in the right organisation, in the invited language."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from setu.accounts.models import Invitation, Membership, Role, User
from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-Long-passphrase-9"


def _invite(world: World, capture: Any, language: str = "ja") -> str:
    """The secretariat invites an officer of ``world.prefecture``; return the emailed path."""
    with capture(execute=True):
        response = world.client_for("secretariat").post(
            reverse("invitations"),
            {
                "email": "hanako@example.jp",
                "organisation": world.prefecture.pk,
                "language": language,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    link = re.search(r"http://testserver(/\S+)", str(mail.outbox[-1].body))
    assert link is not None
    return link.group(1)


def _sign_up(client: Client, **overrides: str) -> Any:
    data = {
        "email": "someone.else@example.org",  # ignored: the invited address is fixed
        "full_name": "Hanako Yamada",
        "native_name": "山田 花子",
        "password1": PASSPHRASE,
        "password2": PASSPHRASE,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def test_the_invitation_email_is_in_the_invited_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(world, django_capture_on_commit_callbacks, language="hi")
    message = mail.outbox[-1]
    with translation.override("hi"):
        accept = gettext("Open this link to accept:")
    assert accept != "Open this link to accept:"
    assert accept in str(message.body)
    assert Invitation.objects.get().language == "hi"
    listing = world.client_for("secretariat").get(reverse("invitations")).content.decode()
    assert "<td>Hindi</td>" in listing


def test_from_the_link_to_an_account_in_the_organisation_without_a_confirmation_email(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    path = _invite(world, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    client = Client()
    response = client.get(path)
    assert response.headers["Location"] == reverse("account_signup")
    assert client.cookies["django_language"].value == "ja"

    form = client.get(reverse("account_signup")).content.decode()
    assert '<html lang="ja">' in form
    email_input = re.search(r'<input[^>]*name="email"[^>]*>', form)
    assert email_input is not None
    assert 'value="hanako@example.jp"' in email_input.group(0)
    assert "disabled" in email_input.group(0)
    with translation.override("ja"):
        assert gettext("Your name in your own script") in form

    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="hanako@example.jp")
    assert not User.objects.filter(email="someone.else@example.org").exists()
    assert (user.full_name, user.native_name, user.language) == ("Hanako Yamada", "山田 花子", "ja")
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
    assert len(mail.outbox) == sent, "the invitation link proved the address: no second email"
    assert Membership.objects.filter(
        user=user, organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    ).exists()
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.accepted_by) == ("accepted", user)
    assert set(
        AuditEntry.objects.filter(owner=world.prefecture).values_list("action", flat=True)
    ) >= {"accounts.invitation.sent", "accounts.invitation.accepted", "accounts.membership.created"}

    # Signed in already; an officer is sent to enrol the second factor first.
    assert client.session.get("_auth_user_id") == str(user.pk)
    response = client.get(response.headers["Location"])
    assert response.headers["Location"] == reverse("mfa_activate_totp")
    enrol_response = client.get(reverse("mfa_activate_totp"))
    enrol = enrol_response.content.decode()
    assert 'id="authenticator_secret"' in enrol, "no password asked again right after sign-up"
    with translation.override("ja"):
        assert gettext("Welcome to %(org)s.") % {"org": world.prefecture} in enrol


def test_the_dashboard_greets_by_name_in_the_users_script(world: World) -> None:
    user = UserFactory(full_name="Hanako Yamada", native_name="山田 花子", language="ja")
    user.memberships.create(organisation=world.company, role=Role.MEMBER)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "山田 花子" in page
    assert user.email not in page.split("<main", 1)[1].split("</h1>", 1)[0]
    user.language = "en"
    user.save()
    assert "Hanako Yamada" in client.get(reverse("dashboard")).content.decode()


def test_a_name_is_required_and_bad_input_creates_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    path = _invite(world, django_capture_on_commit_callbacks)
    client = Client()
    client.get(path)
    response = _sign_up(client, full_name="", password2="different-Passphrase-1")
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("ja"):
        assert gettext("This field is required.") in page
    assert not User.objects.filter(email="hanako@example.jp").exists()
    assert Invitation.objects.get().status == "pending"


def test_a_person_with_an_account_signs_in_and_accepts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="hanako@example.jp")
    path = _invite(world, django_capture_on_commit_callbacks)
    response = Client().get(path)
    assert response.headers["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(days=1)}, "This invitation expired on"),
        ({"accepted_at": timezone.now()}, "This invitation has already been used."),
        ({"revoked_at": timezone.now()}, "This invitation was withdrawn."),
    ],
)
def test_a_link_that_can_no_longer_be_used_says_why(
    world: World, state: dict[str, Any], message: str
) -> None:
    invitation = Invitation.objects.create(
        email="hanako@example.jp",
        organisation=world.prefecture,
        role=Role.PREFECTURE_OFFICER,
        language="en",
        **state,
    )
    client = Client()
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client.get(reverse("account_signup")).status_code == 200
    assert "setu.invitation" not in client.session


def test_a_link_opened_while_signed_in_as_someone_else_says_so(world: World) -> None:
    invitation = Invitation.objects.create(
        email="hanako@example.jp", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )
    page = (
        world.client_for("member")
        .get(reverse("invitation_accept", args=[invitation.token]))
        .content.decode()
    )
    assert "This invitation was sent to hanako@example.jp, but you are signed in as" in page


def test_someone_who_signed_up_another_way_finds_the_invitation_on_the_dashboard(
    world: World,
) -> None:
    user = UserFactory(email="hanako@example.jp")
    invitation = Invitation.objects.create(
        email="Hanako@Example.jp", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )
    client = Client()
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("invitation_accept", args=[invitation.token]) in page
    assert f"Join {world.prefecture} as Prefecture officer" in page
    assert "You are not part of an organisation yet." not in page

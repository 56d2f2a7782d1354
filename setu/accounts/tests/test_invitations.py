"""An officer invites a person by email into their prefecture or a company it manages."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.accounts.models import Invitation, Membership, Role
from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.core.models import AuditEntry
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _invite(client: Client, email: str, organisation_id: int, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(
            reverse("invitations"), {"email": email, "organisation": organisation_id}
        )


def test_officer_invites_into_a_managed_company_and_the_person_joins(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    officer = world.client_for("officer_own")
    response = _invite(
        officer, "Sato@Example.org", world.company.pk, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("sato@example.org", Role.MEMBER)
    assert AuditEntry.objects.filter(
        action="accounts.invitation.sent", owner=world.company
    ).exists()
    assert mail.outbox[0].to == ["sato@example.org"]
    link = re.search(r"http://testserver(/\S+)", str(mail.outbox[0].body))
    assert link is not None

    newcomer = UserFactory(email="sato@example.org")
    client = Client()
    client.force_login(newcomer)
    response = client.post(link.group(1))
    assert response.headers["Location"] == reverse("dashboard")
    assert Membership.objects.filter(
        user=newcomer, organisation=world.company, role=Role.MEMBER
    ).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_an_officer_cannot_invite_into_another_prefectures_company(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    foreign = CompanyFactory(managed_by=world.other_prefecture)
    response = _invite(
        world.client_for("officer_own"),
        "x@example.org",
        foreign.pk,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_bad_email_and_duplicate_invitation_get_field_messages(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    officer = world.client_for("officer_own")
    response = _invite(
        officer, "not-an-email", world.prefecture.pk, django_capture_on_commit_callbacks
    )
    assert "Enter a valid email address." in response.content.decode()
    _invite(officer, "aya@example.org", world.prefecture.pk, django_capture_on_commit_callbacks)
    response = _invite(
        officer, "aya@example.org", world.prefecture.pk, django_capture_on_commit_callbacks
    )
    assert "already waiting for an answer" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_accepting_with_another_address_is_refused(world: World) -> None:
    invitation = Invitation.objects.create(
        email="aya@example.org", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )
    client = world.client_for("member")
    response = client.post(reverse("invitation_accept", args=[invitation.token]), follow=True)
    assert "This invitation was sent to aya@example.org" in response.content.decode()
    assert (
        not Membership.objects.filter(organisation=world.prefecture, role="prefecture_officer")
        .exclude(user=world.users["officer_own"])
        .exists()
    )


def test_expired_and_revoked_invitations_cannot_be_accepted(world: World) -> None:
    expired = Invitation.objects.create(
        email="member@example.org",
        organisation=world.prefecture,
        role=Role.PREFECTURE_OFFICER,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    client = world.client_for("member")
    response = client.post(reverse("invitation_accept", args=[expired.token]), follow=True)
    assert "This invitation is no longer valid." in response.content.decode()
    assert not Membership.objects.filter(
        organisation=world.prefecture, user=world.users["member"]
    ).exists()


def test_unknown_invitation_token_is_404(client: Client) -> None:
    assert client.get(reverse("invitation_accept", args=["nope"])).status_code == 404


def test_officer_revokes_own_invitation_but_not_another_prefectures(world: World) -> None:
    mine = Invitation.objects.create(
        email="a@example.org", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )
    theirs = Invitation.objects.create(
        email="b@example.org", organisation=world.other_prefecture, role=Role.PREFECTURE_OFFICER
    )
    officer = world.client_for("officer_own")
    assert officer.post(reverse("invitation_revoke", args=[theirs.pk])).status_code == 404
    officer.post(reverse("invitation_revoke", args=[mine.pk]))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("revoked", "pending")

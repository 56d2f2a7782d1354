"""The consent ledger: append-only, newest line counts, withdrawal stops processing at once,
sharing abroad needs its own consent naming the recipient, and every provision is listed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from setu.conftest import World
from setu.core.registries import consent_allows
from setu.privacy import consent, services
from setu.privacy.models import Consent, Provision, Purpose
from setu.privacy.tests.factories import notices, student

pytestmark = pytest.mark.django_db


def test_consent_names_the_notice_version_and_language_read(world: World) -> None:
    notices()
    user = student(world)
    with translation.override("hi"):
        line = consent.consent_give(subject=user, purpose=Purpose.EVENTS, actor=user)
    assert line.notice is not None and line.notice.version == 1
    assert line.language == "hi"
    assert consent.has_consent(user, Purpose.EVENTS)
    assert not consent.has_consent(user, Purpose.MATCHMAKING)


def test_the_ledger_cannot_be_edited_or_deleted(world: World) -> None:
    user = student(world)
    line = consent.consent_give(subject=user, purpose=Purpose.NEWSLETTERS, actor=user)
    line.action = "withdrawn"
    with pytest.raises(ValidationError):
        line.save()
    with pytest.raises(ValidationError):
        line.delete()
    assert Consent.objects.get(pk=line.pk).action == "given"


def test_the_admin_offers_no_change_or_delete_of_the_ledger(world: World) -> None:
    from django.contrib import admin

    admin_class = admin.site._registry[Consent]
    assert not admin_class.has_change_permission(None)
    assert not admin_class.has_delete_permission(None)
    assert not admin_class.has_add_permission(None)


def test_a_withdrawal_takes_effect_on_the_next_request(world: World) -> None:
    user = student(world)
    client = world.client_for("student")
    client.post(reverse("privacy:consent"), {"purpose": "newsletters", "action": "give"})
    assert consent.has_consent(user, Purpose.NEWSLETTERS)
    assert consent_allows(user, "newsletters")  # the foundation's hook asks the same ledger
    response = client.post(
        reverse("privacy:consent"), {"purpose": "newsletters", "action": "withdraw"}, follow=True
    )
    assert "Consent withdrawn" in response.content.decode()
    assert not consent.has_consent(user, Purpose.NEWSLETTERS)
    assert not consent_allows(user, "newsletters")
    # both lines stay in the ledger
    assert list(
        Consent.objects.filter(user=user).order_by("id").values_list("action", flat=True)
    ) == ["given", "withdrawn"]


def test_a_made_up_purpose_is_refused_and_nothing_written(world: World) -> None:
    client = world.client_for("student")
    response = client.post(
        reverse("privacy:consent"), {"purpose": "marketing", "action": "give"}, follow=True
    )
    assert "Unknown purpose." in response.content.decode()
    assert not Consent.objects.exists()


def test_refusal_in_japanese(world: World) -> None:
    client = world.client_for("student")
    client.cookies["django_language"] = "ja"
    response = client.post(
        reverse("privacy:consent"), {"purpose": "abroad", "action": "withdraw"}, follow=True
    )
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_sharing_abroad_needs_consent_naming_the_recipient(world: World) -> None:
    user = student(world)
    with pytest.raises(ValidationError):
        consent.consent_give(subject=user, purpose=Purpose.ABROAD, actor=user)
    with pytest.raises(ValidationError):
        services.provision_record(user=user, recipient=world.partner_org, what="contact")
    consent.consent_give(
        subject=user, purpose=Purpose.ABROAD, actor=user, recipient=world.partner_org,
        regime="India: DPDP Act 2023",
    )  # fmt: skip
    # consent for one recipient is not consent for another
    with pytest.raises(ValidationError):
        services.provision_record(user=user, recipient=world.other_prefecture, what="contact")
    provision = services.provision_record(
        user=user, recipient=world.partner_org, what="Name and work email"
    )
    assert provision.country == "IN"
    page = world.client_for("student").get(reverse("privacy:portal")).content.decode()
    assert "Name and work email" in page
    assert "Mumbai Chamber" in page
    consent.consent_withdraw(
        subject=user, purpose=Purpose.ABROAD, actor=user, recipient=world.partner_org
    )
    with pytest.raises(ValidationError):
        services.provision_record(user=user, recipient=world.partner_org, what="again")
    assert Provision.objects.count() == 1


def test_guardian_consent_needs_the_guardians_name(world: World) -> None:
    user = student(world)
    with pytest.raises(ValidationError):
        consent.consent_give(
            subject=user, purpose=Purpose.EXCHANGES, actor=user, given_by="guardian"
        )
    line = consent.consent_give(
        subject=user, purpose=Purpose.EXCHANGES, actor=user, given_by="guardian",
        guardian_name="Sunita Mehta",
    )  # fmt: skip
    assert line.guardian_name == "Sunita Mehta"


def test_a_guest_without_account_consents_by_email(world: World) -> None:
    consent.consent_give(subject="guest@example.org", purpose=Purpose.EVENTS, actor=None)
    assert consent.has_consent("GUEST@example.org", Purpose.EVENTS)
    assert not consent.has_consent("other@example.org", Purpose.EVENTS)


def test_notices_are_shown_in_the_readers_language(world: World, client: object) -> None:
    notices()
    from django.test import Client

    browser = Client()
    browser.cookies["django_language"] = "ja"
    page = browser.get(reverse("privacy:notice", args=["events"])).content.decode()
    assert "events ja" in page

"""Applying, the bad inputs of issue 14, guardian consent, referees, documents."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from setu.accounts.models import Role
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.conftest import World
from setu.core.models import AuditEntry
from setu.exchanges import selectors, services, tokens
from setu.exchanges.eligibility import age_on, is_minor
from setu.exchanges.models import Application, ApplicationStatus, GuardianConsent
from setu.exchanges.tests.factories import (
    application_data,
    born,
    make_application,
    make_programme,
    make_round,
    referee_for,
    today,
)

pytestmark = pytest.mark.django_db


def _student(world: World):  # type: ignore[no-untyped-def]
    student = world.user("student")
    assert student is not None
    return student


def test_a_student_applies_to_several_programmes_ranked(world: World) -> None:
    round_ = make_round(world)
    first = make_programme(world, round_, title_en="First")
    second = make_programme(world, round_, title_en="Second")
    application = services.application_create(
        actor=_student(world), round_=round_, data=application_data(), programmes=[second, first]
    )
    assert [c.programme_id for c in application.choices.order_by("rank")] == [second.pk, first.pk]
    assert not application.is_minor
    assert AuditEntry.objects.filter(action="exchanges.application.submitted").count() == 1


def test_the_apply_page_sends_the_ranked_list(world: World) -> None:
    round_ = make_round(world)
    first = make_programme(world, round_, title_en="First")
    second = make_programme(world, round_, title_en="Second")
    client = world.client_for("student")
    data = {
        **{k: v for k, v in application_data().items() if v is not None},
        "date_of_birth": born(20).isoformat(),
        "privacy_consent": "on",
        "choice_1": second.pk,
        "choice_2": first.pk,
    }
    response = client.post(reverse("exchanges:apply", args=[round_.pk]), data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert list(application.choices.values_list("programme_id", flat=True)) == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("outside_window", "Applications to"),
        ("ineligible_age", "aged 18 or over"),
        ("ineligible_level", "is for postgraduate students"),
        ("ineligible_language", "needs English at level B2"),
        ("twice_in_list", "only once"),
        ("minor_without_guardian", "under 18"),
        ("none", "at least one programme"),
    ],
)
def test_bad_applications_say_why_and_change_nothing(world: World, case: str, message: str) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    data = application_data()
    programmes = [programme]
    if case == "outside_window":
        programme.opens_on, programme.closes_on = (
            today() + timedelta(days=1),
            today() + timedelta(days=9),
        )
    elif case == "ineligible_age":
        programme.min_age = 18
        data = application_data(age=16, guardian_name="G", guardian_email="g@example.org")
    elif case == "ineligible_level":
        programme.level = "postgraduate"
    elif case == "ineligible_language":
        programme.min_language_level = 4
        data["english_level"] = 3
    elif case == "twice_in_list":
        programmes = [programme, programme]
    elif case == "minor_without_guardian":
        data = application_data(age=16)
    elif case == "none":
        programmes = []
    programme.save()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.application_create(
            actor=_student(world), round_=round_, data=data, programmes=programmes
        )
    assert message in " ".join(error.value.messages)
    assert not Application.objects.exists()
    assert AuditEntry.objects.count() == before
    assert not mail.outbox


def test_applying_twice_is_refused_and_changes_nothing(world: World) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    services.application_create(
        actor=_student(world), round_=round_, data=application_data(), programmes=[programme]
    )
    with pytest.raises(ValidationError, match="already applied"):
        services.application_create(
            actor=_student(world), round_=round_, data=application_data(), programmes=[programme]
        )
    assert Application.objects.count() == 1


def test_bad_input_on_the_page_is_answered_in_the_users_language(world: World) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_, min_language_level=6)
    student = _student(world)
    student.language = "ja"
    student.save()
    data = {
        **application_data(),
        "date_of_birth": born(20).isoformat(),
        "privacy_consent": "on",
        "choice_1": programme.pk,
    }
    response = world.client_for("student").post(reverse("exchanges:apply", args=[round_.pk]), data)
    assert response.status_code == 200
    with translation.override("ja"):
        assert "以上が必要です" in response.content.decode()
    assert not Application.objects.exists()


def test_ages_and_minors() -> None:
    assert age_on(born(17), today()) == 17
    leap = born(18).replace(month=2, day=29) if born(18).year % 4 == 0 else None
    if leap:
        assert age_on(leap, leap.replace(year=leap.year + 18, day=28)) == 17
    assert is_minor(born(17), today())
    assert not is_minor(born(18), today())


def test_a_minors_application_stays_hidden_until_the_guardian_confirms(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    student = _student(world)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_create(
            actor=student,
            round_=round_,
            data=application_data(
                age=16,
                guardian_name="Lakshmi Rao",
                guardian_email="guardian@example.org",
                relationship="Mother",
                guardian_language="hi",
            ),
            programmes=[programme],
            base_url="http://testserver/",
        )
    assert application.is_minor
    officer = world.user("officer_own")
    assert officer is not None
    assert not selectors.application_list(user=officer).filter(pk=application.pk).exists()
    officer_client = world.client_for("officer_own")
    assert officer_client.get(application.get_absolute_url()).status_code == 404
    assert (
        officer_client.get(reverse("exchanges:review", args=[programme.pk])).context["rows"] == []
    )

    # The guardian is written to in Hindi, with a signed link.
    (message,) = mail.outbox
    assert message.to == ["guardian@example.org"]
    assert "सहमति" in message.subject
    consent = GuardianConsent.objects.get()
    found = re.search(r"http://testserver(/exchanges/consent/\S+/)", message.body)
    assert found is not None
    link = found.group(1)

    page = world.client_for("anonymous").get(link)
    assert page.status_code == 200
    assert page["Content-Language"] == "hi"
    assert "Lakshmi Rao" in page.content.decode()

    world.client_for("anonymous").post(link, {"action": "confirm"})
    consent.refresh_from_db()
    assert consent.verified_at is not None and consent.is_valid
    assert officer_client.get(application.get_absolute_url()).status_code == 200

    # What a host's reviewer (not the coordinator) sees of a minor is the minimum.
    reviewer = UserFactory.create(email="reviewer@example.org")
    add_membership(reviewer, world.university, Role.PARTNER)
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    seen = reviewer_client.get(application.get_absolute_url())
    assert seen.status_code == 200
    text = seen.content.decode()
    assert application.date_of_birth.isoformat() not in text
    assert student.email not in text
    assert "Lakshmi" not in text

    # Withdrawn: hidden again, and a second withdrawal changes nothing.
    world.client_for("anonymous").post(link, {"action": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert reviewer_client.get(application.get_absolute_url()).status_code == 404
    withdrawn_at = consent.withdrawn_at
    with pytest.raises(ValidationError):
        services.consent_withdraw(consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at == withdrawn_at
    with pytest.raises(ValidationError):
        services.consent_confirm(consent=consent)


def test_a_forged_or_foreign_consent_link_is_refused(world: World) -> None:
    round_ = make_round(world)
    application = make_application(
        _student(world), round_, [make_programme(world, round_)], minor=True
    )
    consent = GuardianConsent.objects.create(
        application=application, guardian_name="G", guardian_email="g@example.org"
    )
    bad = reverse("exchanges:consent", args=[tokens.consent_link_token(consent.pk, "wrong-token")])
    assert world.client_for("anonymous").post(bad, {"action": "confirm"}).status_code == 404
    consent.refresh_from_db()
    assert consent.verified_at is None
    assert world.client_for("anonymous").get("/exchanges/consent/nonsense/").status_code == 404


def test_a_referee_answers_once_and_a_reused_link_changes_nothing(world: World) -> None:
    round_ = make_round(world)
    application = make_application(_student(world), round_, [make_programme(world, round_)])
    referee = referee_for(application)
    link = reverse("exchanges:referee", args=[tokens.referee_link_token(referee.pk, referee.token)])
    client = world.client_for("anonymous")
    assert client.post(link, {"reference": "An excellent student."}).status_code == 302
    referee.refresh_from_db()
    assert referee.reference == "An excellent student."
    again = client.post(link, {"reference": "Changed!"})
    assert again.status_code == 200
    assert "already been used" in again.content.decode()
    referee.refresh_from_db()
    assert referee.reference == "An excellent student."
    assert AuditEntry.objects.filter(action="exchanges.referee.answered").count() == 1


def test_asking_a_referee_emails_a_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    round_ = make_round(world)
    application = make_application(_student(world), round_, [make_programme(world, round_)])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("student").post(
            reverse("exchanges:referee_ask", args=[application.pk]),
            {"name": "Dr Sen", "email": "sen@example.org"},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["sen@example.org"]
    assert "/exchanges/referee/" in message.body


def test_a_document_is_checked_like_library_uploads(world: World) -> None:
    round_ = make_round(world)
    application = make_application(_student(world), round_, [make_programme(world, round_)])
    client = world.client_for("student")
    url = reverse("exchanges:document_add", args=[application.pk])
    fake = SimpleUploadedFile("transcript.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    client.post(url, {"title": "Transcript", "file": fake})
    assert not application.documents.exists()
    real = SimpleUploadedFile("transcript.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(url, {"title": "Transcript", "file": real})
    document = application.documents.get()
    officer = world.client_for("officer_own")
    response = officer.get(reverse("exchanges:document", args=[application.pk, document.pk]))
    assert response.status_code == 200


def test_withdrawing_hides_the_application_and_cannot_be_repeated(world: World) -> None:
    round_ = make_round(world)
    application = make_application(_student(world), round_, [make_programme(world, round_)])
    services.application_withdraw(actor=_student(world), application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.application_withdraw(actor=_student(world), application=application)
    officer = world.user("officer_own")
    assert officer is not None
    assert not selectors.application_list(user=officer).exists()

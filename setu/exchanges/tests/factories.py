"""Exchange records for tests, built on the shared test world (setu.conftest.World)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from setu.accounts.models import Role, User
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.conftest import World
from setu.core.models import Visibility
from setu.exchanges.models import (
    Application,
    ApplicationDocument,
    Choice,
    ExchangeRound,
    GuardianConsent,
    PlacementRun,
    Programme,
    Referee,
    StudyLevel,
)


def today() -> date:
    return timezone.localdate()


def make_round(world: World, **extra: Any) -> ExchangeRound:
    """A public round coordinated by officer_own's prefecture."""
    fields: dict[str, Any] = {
        "owner": world.prefecture,
        "visibility": Visibility.PUBLIC,
        "title_en": "Summer exchange",
    }
    fields.update(extra)
    return ExchangeRound.objects.create(**fields)


def make_programme(world: World, round_: ExchangeRound, **extra: Any) -> Programme:
    """An open undergraduate programme hosted by the world's university (English, no minimum)."""
    fields: dict[str, Any] = {
        "round": round_,
        "owner": world.prefecture,
        "visibility": Visibility.PUBLIC,
        "title_en": "Robotics summer school",
        "host": world.university,
        "starts_on": today() + timedelta(days=90),
        "ends_on": today() + timedelta(days=110),
        "places": 2,
        "level": StudyLevel.UNDERGRADUATE,
        "language": "en",
        "min_language_level": 0,
        "fee_currency": "JPY",
        "opens_on": today() - timedelta(days=5),
        "closes_on": today() + timedelta(days=20),
    }
    fields.update(extra)
    return Programme.objects.create(**fields)


def born(age: int) -> date:
    """A date of birth making someone ``age`` today (and still ``age`` for a while)."""
    now = today()
    return now.replace(year=now.year - age) - timedelta(days=30)


def application_data(age: int = 20, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date_of_birth": born(age),
        "level": StudyLevel.UNDERGRADUATE,
        "jlpt_level": 0,
        "english_level": 4,
        "hindi_level": 0,
        "statement": "",
        "guardian_name": "",
        "guardian_email": "",
        "relationship": "",
        "guardian_language": "en",
    }
    data.update(extra)
    return data


def new_student(world: World, email: str) -> User:
    user = UserFactory.create(email=email, full_name=email.split("@")[0].title())
    add_membership(user, world.university, Role.STUDENT)
    return user


def make_application(
    student: User, round_: ExchangeRound, programmes: list[Programme], *, minor: bool = False
) -> Application:
    application = Application.objects.create(
        round=round_,
        student=student,
        date_of_birth=born(16 if minor else 20),
        is_minor=minor,
        level=StudyLevel.UNDERGRADUATE,
        english_level=4,
    )
    for rank, programme in enumerate(programmes, start=1):
        Choice.objects.create(application=application, programme=programme, rank=rank)
    return application


def consent_for(application: Application, *, verified: bool) -> GuardianConsent:
    return GuardianConsent.objects.create(
        application=application,
        guardian_name="Lakshmi Rao",
        guardian_email="guardian@example.org",
        relationship="Mother",
        language="hi",
        purposes=["selection"],
        verified_at=timezone.now() if verified else None,
    )


def referee_for(application: Application) -> Referee:
    return Referee.objects.create(application=application, name="Dr Ref", email="ref@example.org")


def document_for(application: Application) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        title="Transcript",
        original_name="transcript.txt",
        content_type="text/plain",
        size=5,
        sha256="0" * 64,
    )
    document.file.save("transcript.txt", ContentFile(b"hello"), save=False)
    document.save()
    return document


def make_run(round_: ExchangeRound, status: str = "draft") -> PlacementRun:
    return PlacementRun.objects.create(round=round_, status=status)

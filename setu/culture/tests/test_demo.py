"""The culture demo: a finished course with attendance and a certificate, a full course with a
waitlist, a festival programme with volunteer shifts; loading twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from setu.accounts.models import User
from setu.core.pdf import pdf_text
from setu.culture.demo import FESTIVAL_TITLE, FINISHED_TITLE, UPCOMING_TITLE
from setu.culture.models import Attendance, Course, Enrolment, ProgrammeItem, Shift, ShiftSignup
from setu.events.models import RegistrationStatus

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Course, Enrolment, Attendance, ProgrammeItem, Shift, ShiftSignup)
    )


def test_demo_shows_courses_and_a_festival_and_is_idempotent(client) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", stdout=io.StringIO())
    finished = Course.objects.get(event__title_en=FINISHED_TITLE)
    completed = Enrolment.objects.get(course=finished, completed_at__isnull=False)
    assert Attendance.objects.filter(enrolment__course=finished).count() == 18
    upcoming = Course.objects.get(event__title_en=UPCOMING_TITLE)
    statuses = list(
        Enrolment.objects.filter(course=upcoming).values_list("registration__status", flat=True)
    )
    assert statuses.count(RegistrationStatus.CONFIRMED) == 4
    assert statuses.count(RegistrationStatus.WAITLISTED) == 1
    assert ProgrammeItem.objects.filter(event__title_en=FESTIVAL_TITLE).count() == 5
    full = Shift.objects.get(title_en="Stage crew")
    assert full.signups.count() == full.limit

    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before

    client.force_login(User.objects.get(email="member@demo.setu.example"))
    response = client.get(reverse("culture:certificate", args=[completed.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Hiroshi Mochizuki" in text and "CEFR A1" in text
    page = client.get(reverse("dashboard")).content.decode()
    assert "日本人のためのヒンディー語" in page  # the member reads Japanese

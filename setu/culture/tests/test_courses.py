"""Courses: enrolment and its waitlist, leaving, attendance, progress, completion, certificate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from setu.accounts.models import User
from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.core.audit import AuditEntry
from setu.core.pdf import pdf_text
from setu.culture import selectors
from setu.culture.models import Attendance, Enrolment, Level
from setu.culture.selectors import enrolment_progress, learner_page
from setu.culture.services.courses import (
    attendance_take,
    course_save,
    enrolment_complete,
    enrolment_create,
    enrolment_leave,
)
from setu.culture.tests.factories import course
from setu.events.models import EventKind, Registration, RegistrationStatus
from setu.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _learners(n: int) -> list[User]:
    return [
        UserFactory.create(email=f"learner{i}@example.org", full_name=f"Learner {i}")
        for i in range(n)
    ]


def test_enrolment_takes_a_seat_then_the_waitlist_and_a_leaver_promotes_the_next(
    world: World,
) -> None:
    c = course(world.prefecture, capacity=2)
    a, b, x = _learners(3)
    first = enrolment_create(course=c, learner=a)
    enrolment_create(course=c, learner=b)
    waiting = enrolment_create(course=c, learner=x)
    assert first.registration.status == S.CONFIRMED
    assert waiting.registration.status == S.WAITLISTED
    assert waiting.registration.waitlist_position == 1

    enrolment_leave(enrolment=first, actor=a)

    first.registration.refresh_from_db()
    waiting.registration.refresh_from_db()
    assert first.registration.status == S.CANCELLED
    assert waiting.registration.status == S.CONFIRMED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"culture.enrolment.created", "culture.enrolment.left"} <= actions


def test_enrolling_twice_is_refused_in_the_learners_language_and_changes_nothing(
    world: World,
) -> None:
    c = course(world.prefecture)
    (a,) = _learners(1)
    enrolment_create(course=c, learner=a)
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        enrolment_create(course=c, learner=a)
    assert "既に" in error.value.messages[0] or "すでに" in error.value.messages[0]
    assert Enrolment.objects.filter(course=c).count() == 1


def test_a_learner_who_left_may_enrol_again(world: World) -> None:
    c = course(world.prefecture)
    (a,) = _learners(1)
    enrolment_leave(enrolment=enrolment_create(course=c, learner=a), actor=a)
    again = enrolment_create(course=c, learner=a)
    assert again.registration.status == S.CONFIRMED


def test_enrolment_after_the_course_started_is_refused(world: World) -> None:
    c = course(world.prefecture)
    (a,) = _learners(1)
    with pytest.raises(ValidationError):
        enrolment_create(course=c, learner=a, now=c.event.starts_at + timedelta(minutes=1))
    assert not Enrolment.objects.exists()


def _seated(world: World, n: int = 2, classes: int = 4):  # type: ignore[no-untyped-def]
    c = course(world.prefecture, classes=classes)
    enrolments = [enrolment_create(course=c, learner=u) for u in _learners(n)]
    return c, enrolments, list(c.event.sessions.order_by("starts_at"))


def test_attendance_and_progress(world: World) -> None:
    c, (a, b), sessions = _seated(world)
    officer = world.users["officer_own"]
    attendance_take(course=c, session=sessions[0], present_ids=[a.pk, b.pk], actor=officer)
    attendance_take(course=c, session=sessions[1], present_ids=[a.pk], actor=officer)
    # taking it again replaces the sheet
    attendance_take(course=c, session=sessions[1], present_ids=[a.pk], actor=officer)
    assert Attendance.objects.count() == 4
    assert enrolment_progress(a).rate == 100
    progress = enrolment_progress(b)
    assert (progress.present, progress.taken, progress.classes, progress.rate) == (1, 2, 4, 50)
    rows = learner_page(c)
    assert [row.progress.rate for row in rows] == [100, 50]


def test_learner_pages_keep_the_order_and_count_each_learners_attendance(
    world: World, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Seated first, then the waitlist by place (no place first), then the rest, each group by
    enrolment: the order the page had when it sorted every learner in Python."""
    monkeypatch.setattr(selectors, "LEARNERS_PER_PAGE", 3)
    c = course(world.prefecture, classes=2, capacity=None)
    e = [enrolment_create(course=c, learner=u) for u in _learners(7)]
    Registration.objects.filter(enrolment__in=e).update(status=S.CONFIRMED, waitlist_position=None)
    for enrolment, status, place in [
        (e[1], S.WAITLISTED, 2),
        (e[2], S.CANCELLED, None),
        (e[3], S.OFFERED, None),
        (e[4], S.WAITLISTED, 1),
        (e[5], S.PENDING, None),
    ]:
        Registration.objects.filter(enrolment=enrolment).update(
            status=status, waitlist_position=place
        )
    first, second = c.event.sessions.order_by("starts_at")
    officer = world.users["officer_own"]
    attendance_take(course=c, session=first, present_ids=[e[0].pk, e[6].pk], actor=officer)
    attendance_take(course=c, session=second, present_ids=[e[0].pk], actor=officer)

    shown: list[tuple[int, int, str]] = []
    for number in (1, 2, 3):
        with django_assert_num_queries(5):
            page = learner_page(c, number=number)
            shown += [(r.enrolment.pk, r.progress.present, r.status) for r in page]
        assert len(page) and all(r.progress.taken == 2 for r in page)
    assert [pk for pk, _, _ in shown] == [e[i].pk for i in (0, 3, 6, 5, 4, 1, 2)]
    assert [present for _, present, _ in shown] == [2, 0, 1, 0, 0, 0, 0]
    assert shown[0][2] == "Confirmed" and shown[-1][2] == "Cancelled"
    # a page past the end shows the last one, a bad number the first
    assert [r.enrolment.pk for r in learner_page(c, number=99)] == [e[2].pk]
    assert [r.enrolment.pk for r in learner_page(c, number="x")] == [e[i].pk for i in (0, 3, 6)]


def test_the_organisers_course_page_shows_its_learners_fifty_at_a_time(world: World) -> None:
    c = course(world.prefecture, capacity=None)
    learners = _learners(selectors.LEARNERS_PER_PAGE + 1)
    for learner in learners:
        enrolment_create(course=c, learner=learner)
    client = world.client_for("officer_own")
    first = client.get(c.get_absolute_url()).content.decode()
    assert "Learner 49<" in first and "Learner 50<" not in first
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get(c.get_absolute_url() + "?page=2").content.decode()
    assert "Learner 50<" in second and "Learner 0<" not in second
    assert "Page 2 of 2" in second


def test_only_the_organisers_and_the_teacher_take_attendance(world: World) -> None:
    c, (a, _b), sessions = _seated(world)
    with pytest.raises(PermissionDenied):
        attendance_take(
            course=c, session=sessions[0], present_ids=[a.pk], actor=world.users["officer_other"]
        )
    teacher = UserFactory.create(email="teacher@example.org")
    c.teacher = teacher
    c.save()
    attendance_take(course=c, session=sessions[0], present_ids=[a.pk], actor=teacher)
    assert Attendance.objects.filter(present=True).count() == 1


def test_attendance_for_someone_without_a_seat_is_refused(world: World) -> None:
    c = course(world.prefecture, capacity=1)
    seated, waiting = (enrolment_create(course=c, learner=u) for u in _learners(2))
    session = c.event.sessions.first()
    assert session is not None
    with pytest.raises(ValidationError):
        attendance_take(
            course=c,
            session=session,
            present_ids=[seated.pk, waiting.pk],
            actor=world.users["officer_own"],
        )
    assert not Attendance.objects.exists()


def test_completion_needs_the_attendance_and_a_level(world: World) -> None:
    c, (a, b), sessions = _seated(world)
    officer = world.users["officer_own"]
    for number, session in enumerate(sessions):
        present = [a.pk] + ([b.pk] if number == 0 else [])
        attendance_take(course=c, session=session, present_ids=present, actor=officer)
    with pytest.raises(ValidationError) as error:
        enrolment_complete(enrolment=b, level_reached=Level.JLPT_N5, actor=officer)
    assert "25%" in error.value.messages[0]
    with pytest.raises(ValidationError):
        enrolment_complete(enrolment=a, level_reached="", actor=officer)
    with pytest.raises(PermissionDenied):
        enrolment_complete(enrolment=a, level_reached=Level.JLPT_N5, actor=world.users["student"])
    b.refresh_from_db()
    assert b.completed_at is None

    done = enrolment_complete(enrolment=a, level_reached=Level.JLPT_N5, actor=officer)
    assert done.completed_at is not None and done.level_reached == Level.JLPT_N5
    with pytest.raises(ValidationError):
        enrolment_leave(enrolment=done, actor=done.learner)


def test_certificate_pdf_names_the_learner_course_and_dates_in_english_and_japanese(
    world: World,
) -> None:
    c, (a, _b), sessions = _seated(world, classes=1)
    officer = world.users["officer_own"]
    User.objects.filter(pk=a.learner_id).update(full_name="Kavya Iyer")
    attendance_take(course=c, session=sessions[0], present_ids=[a.pk], actor=officer)
    enrolment_complete(enrolment=a, level_reached=Level.JLPT_N5, actor=officer)
    client = world.client_for("officer_own")
    response = client.get(reverse("culture:certificate", args=[a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    start = timezone.localtime(c.event.starts_at).date().isoformat()
    assert "Kavya Iyer" in text
    assert "Japanese for Indian Learners" in text
    assert "インドの学習者のための日本語" in text
    assert "Certificate of completion" in text
    assert "修了証" in text
    assert start in text
    assert "JLPT N5" in text
    # the learner downloads it too; another learner may not
    learner = world.client_for("student")
    learner.force_login(a.learner)
    assert learner.get(reverse("culture:certificate", args=[a.pk])).status_code == 200
    assert (
        world.client_for("member").get(reverse("culture:certificate", args=[a.pk])).status_code
        == 404
    )


def test_a_hindi_speaking_learner_gets_the_hindi_side_too(world: World) -> None:
    c, (a, _b), sessions = _seated(world, classes=1)
    User.objects.filter(pk=a.learner_id).update(language="hi")
    officer = world.users["officer_own"]
    attendance_take(course=c, session=sessions[0], present_ids=[a.pk], actor=officer)
    enrolment_complete(enrolment=a, level_reached=Level.JLPT_N5, actor=officer)
    response = world.client_for("officer_own").get(reverse("culture:certificate", args=[a.pk]))
    assert "भाषा पाठ्यक्रम पूरा किया" in pdf_text(response.content)


def test_course_setup_on_an_event_of_kind_course_only(world: World) -> None:
    officer = world.users["officer_own"]
    data = {
        "track": "hindi",
        "level_from": "",
        "level_to": Level.CEFR_A1,
        "teacher": None,
        "teacher_name": "A. Verma",
        "attendance_needed": 80,
    }
    seminar = EventFactory.create(owner=world.prefecture)
    with pytest.raises(ValidationError):
        course_save(event=seminar, actor=officer, data=data)
    event = EventFactory.create(owner=world.prefecture, kind=EventKind.COURSE)
    with pytest.raises(PermissionDenied):
        course_save(event=event, actor=world.users["officer_other"], data=data)
    saved = course_save(event=event, actor=officer, data=data)
    assert saved.attendance_needed == 80
    assert (
        course_save(event=event, actor=officer, data=data | {"attendance_needed": 70}).pk
        == saved.pk
    )


def test_course_setup_page_with_a_teacher_unknown_shows_the_error(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, kind=EventKind.COURSE)
    client = world.client_for("officer_own")
    url = reverse("culture:course_setup", args=[event.pk])
    response = client.post(
        url,
        {
            "track": "japanese",
            "level_to": "jlpt_n5",
            "teacher_email": "nobody@example.org",
            "attendance_needed": "75",
        },
    )
    assert response.status_code == 200
    assert "Nobody has an account" in response.content.decode()
    response = client.post(
        url,
        {
            "track": "japanese",
            "level_to": "jlpt_n5",
            "teacher_email": "student@example.org",
            "attendance_needed": "75",
        },
    )
    assert response.status_code == 302
    assert event.course.teacher == world.users["student"]  # type: ignore[attr-defined]


def test_enrol_page_flow_and_messages(world: World) -> None:
    c = course(world.prefecture, capacity=1)
    student, member = world.client_for("student"), world.client_for("member")
    assert student.post(reverse("culture:enrol", args=[c.pk])).status_code == 302
    response = member.post(reverse("culture:enrol", args=[c.pk]), follow=True)
    assert "waitlist" in response.content.decode()
    response = member.post(reverse("culture:enrol", args=[c.pk]), follow=True)
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.filter(course=c).count() == 2
    page = student.get(c.get_absolute_url()).content.decode()
    assert "Leave the course" in page
    # the organiser sees both learners and the attendance links
    page = world.client_for("officer_own").get(c.get_absolute_url()).content.decode()
    assert "Take attendance" in page and "Member" in page


def test_attendance_page_saves_the_ticks(world: World) -> None:
    c, (a, _b), sessions = _seated(world)
    url = reverse("culture:attendance", args=[c.pk, sessions[0].pk])
    client = world.client_for("officer_own")
    assert client.get(url).status_code == 200
    assert client.post(url, {"present": [str(a.pk)]}).status_code == 302
    assert list(Attendance.objects.filter(present=True).values_list("enrolment", flat=True)) == [
        a.pk
    ]
    # a made-up id is a form error, nothing saved
    response = client.post(url, {"present": ["999999"]})
    assert response.status_code == 200
    assert Attendance.objects.filter(present=True).count() == 1


def test_course_list_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        course(world.prefecture)
    client = world.client_for("student")
    client.get(reverse("culture:courses"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("culture:courses"))
    assert response.content.decode().count("Japanese for Indian Learners") >= 6


def test_course_page_with_many_learners_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    c, _enrolments, _sessions = _seated(world, n=8)
    client = world.client_for("officer_own")
    client.get(c.get_absolute_url())
    with django_assert_max_num_queries(30):
        assert client.get(c.get_absolute_url()).status_code == 200


def test_the_event_page_offers_the_course(world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, kind=EventKind.COURSE)
    officer, anonymous = world.client_for("officer_own"), world.client_for("anonymous")
    assert "Set up the course" in officer.get(event.get_absolute_url()).content.decode()
    assert "Language course" not in anonymous.get(event.get_absolute_url()).content.decode()
    c = course(world.prefecture)
    page = anonymous.get(c.event.get_absolute_url()).content.decode()
    assert "Enrolment, classes and progress" in page and c.get_absolute_url() in page

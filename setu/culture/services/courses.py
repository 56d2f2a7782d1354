"""Courses: set-up, enrolment (an events registration underneath), attendance, completion.

Enrolment and leaving go through ``setu.events.registration``: the seat or the waitlist place
is decided under the course event's row lock there, and a freed seat is handed to the next
learner waiting in the same transaction. So the events guarantee (never more seated learners
than the capacity, however many enrol at once) holds for courses unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core import audit
from setu.culture.models import Attendance, Course, Enrolment
from setu.culture.selectors import enrolment_progress
from setu.events.models import ENDED, HOLDING, Event, EventKind, RegistrationStatus, Session
from setu.events.registration import (
    Person,
    Registrant,
    registration_cancel,
    registration_create,
)

if TYPE_CHECKING:
    from setu.accounts.models import User

COURSE_FIELDS = ["track", "level_from", "level_to", "teacher_name", "attendance_needed"]


@transaction.atomic
def course_save(*, event: Event, actor: User, data: Mapping[str, Any]) -> Course:
    """Make ``event`` (of kind course) a language course, or change its course details."""
    if not actor.has_perm("events.change_event", event):
        raise PermissionDenied
    if event.kind != EventKind.COURSE:
        raise ValidationError(_("Only an event of the kind “Course session” can be a course."))
    course = Course.objects.select_for_update().filter(event=event).first()
    before = audit.snapshot(course, fields=COURSE_FIELDS) if course else {}
    if course is None:
        course = Course(event=event)
    for field in COURSE_FIELDS:
        setattr(course, field, data.get(field, getattr(course, field)))
    course.teacher = data.get("teacher")
    course.full_clean(exclude=["event", "teacher"])
    course.save()
    after = audit.snapshot(course, fields=COURSE_FIELDS)
    audit.record(
        course,
        "culture.course.saved",
        actor=actor,
        owner=event.owner,
        changes=audit.field_changes(before, after),
    )
    return course


def _registrant(user: User) -> Registrant:
    from setu.core.access import acting_organisation

    organisation = acting_organisation(user)
    return Registrant(
        name=user.get_full_name(),
        email=user.email,
        user=user,
        organisation=organisation,
        language=user.language,
        time_zone=user.time_zone,
    )


@transaction.atomic
def enrolment_create(*, course: Course, learner: User, now: datetime | None = None) -> Enrolment:
    """Enrol ``learner``: a seat if one is free and nobody waits for it, else the waitlist.

    Raises ``ValidationError`` (in the active language; nothing saved) when the learner is
    already enrolled or waiting, or enrolment is closed.
    """
    already = (
        Enrolment.objects.filter(course=course, learner=learner)
        .exclude(registration__status__in=ENDED)
        .exists()
    )
    if already:
        raise ValidationError(
            _("You are already enrolled in this course (or on its waitlist)."), code="twice"
        )
    # The seat is decided under the event's lock there; a second request for the same learner
    # waits for it and is refused by its "already registered" check.
    registration = registration_create(
        event=course.event,
        registrant=_registrant(learner),
        people=[Person(learner.get_full_name(), learner.email, learner)],
        now=now,
    )
    enrolment = Enrolment.objects.create(course=course, registration=registration, learner=learner)
    audit.record(
        enrolment,
        "culture.enrolment.created",
        actor=learner,
        owner=course.event.owner,
        changes={"status": [None, registration.status]},
    )
    return enrolment


@transaction.atomic
def enrolment_leave(*, enrolment: Enrolment, actor: User, now: datetime | None = None) -> None:
    """The learner leaves the course (or its waitlist); the next learner waiting takes the seat."""
    if enrolment.completed_at is not None:
        raise ValidationError(_("A completed course cannot be left."), code="completed")
    before = enrolment.registration.status
    registration_cancel(registration=enrolment.registration, actor=actor, now=now)
    audit.record(
        enrolment,
        "culture.enrolment.left",
        actor=actor,
        owner=enrolment.course.event.owner,
        changes={"status": [before, RegistrationStatus.CANCELLED]},
    )


@transaction.atomic
def attendance_take(
    *, course: Course, session: Session, present_ids: Iterable[int], actor: User
) -> int:
    """Record who was at ``session``: every seated learner, present or not. Returns how many
    were present. Learners not seated (waiting, cancelled) are refused, nothing is saved."""
    if not actor.has_perm("culture.take_attendance", course):
        raise PermissionDenied
    if session.event_id != course.event_id:
        raise ValidationError(_("That class is not one of this course's."))
    seated = set(
        Enrolment.objects.filter(course=course, registration__status__in=HOLDING).values_list(
            "pk", flat=True
        )
    )
    present = set(present_ids)
    if present - seated:
        raise ValidationError(_("Attendance can only be taken for learners with a seat."))
    for enrolment_id in sorted(seated):
        Attendance.objects.update_or_create(
            enrolment_id=enrolment_id,
            session=session,
            defaults={"present": enrolment_id in present, "taken_by": actor},
        )
    audit.record(
        course,
        "culture.attendance.taken",
        actor=actor,
        owner=course.event.owner,
        changes={"class": [None, str(session)], "present": [None, len(present)]},
    )
    return len(present)


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, level_reached: str, actor: User, now: datetime | None = None
) -> Enrolment:
    """Mark the learner's course completed at ``level_reached``: the certificate opens.

    Refused (``ValidationError``, nothing saved) for a learner without a seat, or whose
    attendance is below the course's requirement.
    """
    course = enrolment.course
    if not actor.has_perm("culture.run_course", course):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update().select_related("registration").get(pk=enrolment.pk)
    )
    enrolment.course = course
    if enrolment.registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only a learner with a seat in the course can complete it."))
    if not level_reached:
        raise ValidationError({"level_reached": _("Choose the level the learner reached.")})
    rate = enrolment_progress(enrolment).rate
    if rate is None or rate < course.attendance_needed:
        raise ValidationError(
            _(
                "Attendance is %(rate)s; the course asks for at least %(needed)s%% "
                "for a certificate."
            )
            % {"rate": "—" if rate is None else f"{rate}%", "needed": course.attendance_needed}
        )
    before = [enrolment.level_reached, enrolment.completed_at]
    enrolment.level_reached = level_reached
    enrolment.completed_at = enrolment.completed_at or now or timezone.now()
    enrolment.completed_by = actor
    enrolment.save(update_fields=["level_reached", "completed_at", "completed_by"])
    audit.record(
        enrolment,
        "culture.enrolment.completed",
        actor=actor,
        owner=course.event.owner,
        changes={"level_reached": [before[0], level_reached]},
    )
    return enrolment

"""Reads of the culture app: courses, enrolments and progress, festivals and shifts.

Every read starts from what the events policy lets the reader see (``Event.visible_to``); a
record of an event the reader may not see answers 404, like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation

from setu.core.access import get_visible_or_404
from setu.core.principal import principal_for
from setu.culture.models import (
    Attendance,
    Course,
    Enrolment,
    ItemKind,
    Level,
    ProgrammeItem,
    Shift,
    ShiftSignup,
)
from setu.events.models import ENDED, HOLDING, Event, EventKind, RegistrationStatus, Session
from setu.events.selectors import access_event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


# --- courses ---------------------------------------------------------------------------------


def course_list(*, user: User | AnonymousUser) -> QuerySet[Course]:
    """The courses ``user`` may read, soonest first, with their event (one query)."""
    return Course.objects.visible_to(user).select_related("event", "event__city", "teacher")


def access_course(*, user: User | AnonymousUser, pk: Any) -> Course:
    """The course with ``pk`` if ``user`` may read its event, else 404."""
    event_ids = Event.objects.visible_to(user).values("pk")
    courses = Course.objects.filter(event__in=event_ids).select_related(
        "event", "event__owner", "event__city", "teacher"
    )
    course = get_visible_or_404(courses, pk)
    # the events rules read the co-host flag from the event access_event annotates
    course.event = access_event(user=user, pk=course.event_id)
    return course


def course_for_event(*, event: Event) -> Course | None:
    return Course.objects.filter(event=event).select_related("teacher").first()


def course_sessions(course: Course) -> list[Session]:
    return list(Session.objects.filter(event_id=course.event_id).order_by("starts_at", "id"))


def current_enrolment(*, user: User | AnonymousUser, course: Course) -> Enrolment | None:
    """``user``'s enrolment in ``course`` that is not over (cancelled, declined, lapsed)."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(course=course, learner_id=user.pk)
        .exclude(registration__status__in=ENDED)
        .select_related("registration")
        .order_by("-pk")
        .first()
    )


def access_enrolment(*, user: User | AnonymousUser, pk: Any) -> Enrolment:
    """The enrolment with ``pk`` for its learner and the course's organisers, else 404."""
    enrolments = Enrolment.objects.filter(
        course__event__in=Event.objects.visible_to(user).values("pk")
    ).select_related("course", "course__event", "course__event__owner", "registration", "learner")
    enrolment = get_visible_or_404(enrolments, pk)
    if enrolment.learner_id == user.pk:
        return enrolment
    enrolment.course.event = access_event(user=user, pk=enrolment.course.event_id)
    if user.has_perm("culture.run_course", enrolment.course):
        return enrolment
    raise Http404


@dataclass(frozen=True)
class Progress:
    """A learner's attendance: classes present at, classes whose attendance was taken."""

    present: int
    taken: int
    classes: int

    @property
    def rate(self) -> int | None:
        """Attendance in whole percent of the classes taken so far (None before the first)."""
        if not self.taken:
            return None
        return round(100 * self.present / self.taken)


def sessions_taken(course: Course) -> int:
    """How many classes of ``course`` have had their attendance taken."""
    return (
        Attendance.objects.filter(enrolment__course=course).values("session_id").distinct().count()
    )


def enrolment_progress(enrolment: Enrolment) -> Progress:
    course = enrolment.course
    present = Attendance.objects.filter(enrolment=enrolment, present=True).count()
    classes = Session.objects.filter(event_id=course.event_id).count()
    return Progress(present=present, taken=sessions_taken(course), classes=classes)


@dataclass(frozen=True)
class LearnerRow:
    enrolment: Enrolment
    progress: Progress
    status: str  # the registration status, in the reader's language
    level_reached: str


# Learners shown per page of a course; a course of 1,000 reads and renders 50 rows at a time.
LEARNERS_PER_PAGE = 50


def learner_page(course: Course, *, number: Any = None) -> Page[Any]:
    """One page of the enrolments of ``course`` (seated first, then the waitlist in its order,
    then the rest; by enrolment within each), each as a ``LearnerRow`` with its progress.

    The order and the page are read in SQL, and attendance is counted for the page's learners
    only: five queries, whatever the number of learners or attendance rows. ``number`` is the
    page asked for (``?page=``); a bad or too large one gives the first or last page.
    """
    taken = sessions_taken(course)
    classes = Session.objects.filter(event_id=course.event_id).count()
    group = Case(
        When(registration__status__in=HOLDING, then=Value(0)),
        When(
            registration__status__in=(RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING),
            then=Value(1),
        ),
        default=Value(2),
    )
    enrolments = (
        Enrolment.objects.filter(course=course)
        .select_related("registration", "learner")
        .alias(group=group, place=Coalesce("registration__waitlist_position", Value(0)))
        .order_by("group", "place", "pk")
    )
    page: Page[Any] = Paginator(enrolments, LEARNERS_PER_PAGE).get_page(number)
    shown = list(page.object_list)
    present = dict(
        Attendance.objects.filter(enrolment__in=[e.pk for e in shown], present=True)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    # Labels resolved once per page: get_FOO_display per row is slow with lazy choices.
    statuses = {value: str(label) for value, label in RegistrationStatus.choices}
    levels = {value: str(label) for value, label in Level.choices}
    page.object_list = [
        LearnerRow(
            e,
            Progress(present.get(e.pk, 0), taken, classes),
            statuses.get(e.registration.status, e.registration.status),
            levels.get(e.level_reached, ""),
        )
        for e in shown
    ]
    return page


def attendance_sheet(course: Course, session: Session) -> list[tuple[Enrolment, bool]]:
    """The seated learners of ``course`` and whether each was marked present at ``session``."""
    present = set(
        Attendance.objects.filter(session=session, present=True).values_list(
            "enrolment_id", flat=True
        )
    )
    seated = (
        Enrolment.objects.filter(course=course, registration__status__in=HOLDING)
        .select_related("learner")
        .order_by("learner__full_name", "pk")
    )
    return [(enrolment, enrolment.pk in present) for enrolment in seated]


def access_session(*, course: Course, pk: Any) -> Session:
    """A class of ``course`` (the reader already passed ``access_course``), else 404."""
    return get_visible_or_404(Session.objects.filter(event_id=course.event_id), pk)


# --- festivals -------------------------------------------------------------------------------


def access_festival(*, user: User | AnonymousUser, pk: Any) -> Event:
    """The event with ``pk`` if it is a festival ``user`` may read, else 404."""
    event = access_event(user=user, pk=pk)
    if event.kind != EventKind.FESTIVAL:
        raise Http404
    return event


def festival_list(*, user: User | AnonymousUser) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(user)
        .filter(kind=EventKind.FESTIVAL)
        .select_related("city")
        .order_by("starts_at", "pk")
    )


def programme(event: Event) -> list[ProgrammeItem]:
    """The festival's items in time order, each with ``kind_label`` in the reader's language."""
    labels = {value: str(label) for value, label in ItemKind.choices}
    items = list(ProgrammeItem.objects.filter(event=event).order_by("starts_at", "pk"))
    for item in items:
        item.kind_label = labels.get(item.kind, item.kind)  # type: ignore[attr-defined]
    return items


def shifts(event: Event, *, user: User | AnonymousUser) -> list[Shift]:
    """The festival's shifts with ``taken`` (volunteers signed up) and ``mine`` (one query)."""
    mine = ShiftSignup.objects.filter(shift=OuterRef("pk"), volunteer_id=user.pk or 0)
    return list(
        Shift.objects.filter(event=event)
        .annotate(taken=Count("signups"), mine=Exists(mine))
        .order_by("starts_at", "pk")
    )


def shift_volunteers(shift_ids: list[int]) -> dict[int, list[str]]:
    """Names of the volunteers of each shift (for the organisers), in one narrow query."""
    names: dict[int, list[str]] = {}
    rows = (
        ShiftSignup.objects.filter(shift_id__in=shift_ids)
        .order_by("created_at", "pk")
        .values_list(
            "shift_id", "volunteer__full_name", "volunteer__native_name", "volunteer__email"
        )
    )
    native_first = (translation.get_language() or "en") != "en"
    for shift_id, full_name, native_name, email in rows:
        name = (native_first and native_name) or full_name or native_name or email
        names.setdefault(shift_id, []).append(name)
    return names


def access_shift(*, user: User | AnonymousUser, pk: Any) -> Shift:
    shifts_seen = Shift.objects.filter(
        event__in=Event.objects.visible_to(user).values("pk")
    ).select_related("event")
    return get_visible_or_404(shifts_seen, pk)


def access_programme_item(*, user: User | AnonymousUser, pk: Any) -> ProgrammeItem:
    items = ProgrammeItem.objects.filter(
        event__in=Event.objects.visible_to(user).values("pk")
    ).select_related("event")
    return get_visible_or_404(items, pk)


# --- what other apps show of ours ------------------------------------------------------------


def event_part(
    user: User | AnonymousUser, event: Event, can_run: bool, can_change: bool
) -> dict[str, Any]:
    """The course or festival block of an event's page (``setu.events.hooks``)."""
    if event.kind == EventKind.COURSE:
        return {
            "culture_course_event": True,
            "culture_course": course_for_event(event=event),
            "culture_can_change": can_change,
        }
    if event.kind == EventKind.FESTIVAL:
        return {
            "culture_festival": True,
            "culture_items": programme(event),
            "culture_can_change": can_change,
        }
    return {}


def dashboard_cards(user: User | AnonymousUser) -> dict[str, Any]:
    """The dashboard's learning and volunteering cards (a few queries each)."""
    if not user.is_authenticated:
        return {}
    now = timezone.now()
    learning = list(
        Enrolment.objects.filter(learner_id=user.pk)
        .exclude(registration__status__in=ENDED)
        .select_related("course__event", "registration")
        .order_by("-course__event__starts_at")[:5]
    )
    shifts_ahead = list(
        ShiftSignup.objects.filter(volunteer_id=user.pk, shift__ends_at__gt=now)
        .select_related("shift__event")
        .order_by("shift__starts_at")[:5]
    )
    principal = principal_for(user)
    courses = course_list(user=user).filter(event__ends_at__gt=now)
    if not principal.is_secretariat:  # the secretariat organises every course with the hosts
        courses = courses.filter(
            Q(event__owner__in=principal.officer_org_ids) | Q(teacher_id=user.pk)
        )
    organising = list(courses[:5])
    festivals = list(festival_list(user=user).filter(ends_at__gt=now)[:3])
    return {
        "culture_card": True,
        "culture_learning": learning,
        "culture_shifts": shifts_ahead,
        "culture_organising": organising,
        "culture_festivals": festivals,
    }


def shift_reminders_due(*, now: datetime) -> QuerySet[ShiftSignup]:
    """Sign-ups whose shift starts within a day and who have not been reminded yet."""
    from datetime import timedelta

    return ShiftSignup.objects.filter(
        reminded_at__isnull=True,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + timedelta(days=1),
    )

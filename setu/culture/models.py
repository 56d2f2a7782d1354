"""Language courses and cultural festivals, built on events.

A **course** extends one event of kind ``course``: the event carries the title, dates, venue,
capacity, visibility and hosts, and each of its agenda ``Session`` rows is one class. We chose
"one event per course, one events ``Session`` per class" over "one event per class" because a
learner enrols once for the whole course: enrolment *is* an events ``Registration`` on the
course's event, so the waitlist, its automatic promotion and its concurrency guarantee (seats
allocated under the event row's lock, see ``setu.events.registration``) are the events app's,
unchanged. ``Enrolment`` adds what a course needs on top: the learner, the level reached, the
completion. ``Attendance`` is one learner at one class (an events ``Session``).

A **festival** is an event of kind ``festival``; its programme items (performances, stalls,
workshops) and volunteer shifts hang from the event. Who reads them is who reads the event;
who changes them is who may change the event (``events.change_event``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.core.titles import TrilingualTitle
from setu.events.models import HOLDING, Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class Track(models.TextChoices):
    JAPANESE = "japanese", _("Japanese for Indian learners")
    HINDI = "hindi", _("Hindi for Japanese learners")
    BUSINESS_JAPANESE = "business_japanese", _("Business Japanese")


class Level(models.TextChoices):
    """Levels on three scales: JLPT for Japanese, CEFR or a school level for English and Hindi."""

    JLPT_N5 = "jlpt_n5", _("JLPT N5")
    JLPT_N4 = "jlpt_n4", _("JLPT N4")
    JLPT_N3 = "jlpt_n3", _("JLPT N3")
    JLPT_N2 = "jlpt_n2", _("JLPT N2")
    JLPT_N1 = "jlpt_n1", _("JLPT N1")
    CEFR_A1 = "cefr_a1", _("CEFR A1")
    CEFR_A2 = "cefr_a2", _("CEFR A2")
    CEFR_B1 = "cefr_b1", _("CEFR B1")
    CEFR_B2 = "cefr_b2", _("CEFR B2")
    CEFR_C1 = "cefr_c1", _("CEFR C1")
    CEFR_C2 = "cefr_c2", _("CEFR C2")
    SCHOOL_BEGINNER = "school_beginner", _("School level: beginner")
    SCHOOL_ELEMENTARY = "school_elementary", _("School level: elementary")
    SCHOOL_INTERMEDIATE = "school_intermediate", _("School level: intermediate")
    SCHOOL_ADVANCED = "school_advanced", _("School level: advanced")


class CourseQuerySet(models.QuerySet["Course"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Courses whose event ``user`` may read (the events policy decides)."""
        return self.filter(event__in=Event.objects.visible_to(user))


class Course(models.Model):
    """A language course: one event of kind ``course`` and what a course adds to it."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="course", verbose_name=_("event")
    )
    track = models.CharField(_("course"), max_length=24, choices=Track.choices)
    level_from = models.CharField(
        _("level on entry"), max_length=24, choices=Level.choices, blank=True
    )
    level_to = models.CharField(_("level aimed at"), max_length=24, choices=Level.choices)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses_taught",
        verbose_name=_("teacher"),
    )
    teacher_name = models.CharField(_("teacher's name"), max_length=150, blank=True)
    attendance_needed = models.PositiveSmallIntegerField(
        _("attendance needed for the certificate (%)"), default=75
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["event__starts_at", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_needed__lte=100), name="course_attendance_needed_percent"
            )
        ]

    def __str__(self) -> str:
        return str(self.event)

    def get_absolute_url(self) -> str:
        return reverse("culture:course", args=[self.pk])

    @property
    def display_teacher(self) -> str:
        if self.teacher_name:
            return self.teacher_name
        return self.teacher.display_name if self.teacher is not None else ""


class Enrolment(models.Model):
    """A learner in a course. Seat, waitlist and cancellation are the registration's."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="enrolment"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    level_reached = models.CharField(
        _("level reached"), max_length=24, choices=Level.choices, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.learner} · {self.course}"

    def get_absolute_url(self) -> str:
        return self.course.get_absolute_url()

    @property
    def holds_seat(self) -> bool:
        return self.registration.status in HOLDING

    @property
    def certificate_number(self) -> str:
        return f"SETU-LC-{self.pk:06d}"


class Attendance(models.Model):
    """Whether one learner was at one class (an events ``Session`` of the course's event)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}: {self.present}"


class ItemKind(models.TextChoices):
    PERFORMANCE = "performance", _("Performance")
    STALL = "stall", _("Stall")
    WORKSHOP = "workshop", _("Workshop")


class ProgrammeItem(TrilingualTitle):
    """One item of a festival's programme."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="programme_items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    performers = models.CharField(
        _("performers"), max_length=300, blank=True, help_text=_("Names, separated by commas.")
    )
    group = models.CharField(_("group"), max_length=150, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="programme_item_ends_after",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""),
                name="programme_item_has_a_title",
                violation_error_message=_("Give a title in at least one language."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("culture:festival", args=[self.event_id])


class Shift(TrilingualTitle):
    """A volunteer shift at a festival, with the most volunteers it takes."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="volunteer_shifts"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    limit = models.PositiveSmallIntegerField(_("volunteers needed"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("volunteer shift")
        verbose_name_plural = _("volunteer shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=Q(limit__gte=1),
                name="shift_takes_someone",
                violation_error_message=_("A shift needs at least one volunteer."),
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""),
                name="shift_has_a_title",
                violation_error_message=_("Give a title in at least one language."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("culture:festival", args=[self.event_id])


class ShiftSignup(models.Model):
    """A volunteer on a shift. Created only under the shift row's lock (never over the limit)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set (once) when the reminder is enqueued; the conditional update makes it exactly once.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="shift_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"

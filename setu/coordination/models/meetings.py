"""Council meetings: series, meetings, RSVP, agenda, minutes, decisions and action items."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.coordination.models.common import time_zone_choices
from setu.core.models import OwnedModel, OwnedQuerySet, Visibility
from setu.core.principal import principal_for
from setu.core.titles import TrilingualTitle
from setu.core.visibility import visibility_q

if TYPE_CHECKING:
    from datetime import date

    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")
    AD_HOC = "ad_hoc", _("When needed")


def _invited_q(principal_user_id: int | None, org_ids: frozenset[int], meeting_ref: str) -> Q:
    """Meetings to which the user, or one of their organisations, is invited."""
    invited = Invitee.objects.filter(meeting=OuterRef(meeting_ref)).filter(
        Q(user_id=principal_user_id) | Q(organisation_id__in=org_ids)
    )
    return Q(Exists(invited))


class MeetingSeriesQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Shared series, plus the series of meetings the user is invited to."""
        principal = principal_for(user)
        allowed = visibility_q(user)
        if principal.user_id is not None:
            invited = Invitee.objects.filter(meeting__series=OuterRef("pk")).filter(
                Q(user_id=principal.user_id) | Q(organisation_id__in=principal.org_ids)
            )
            allowed |= Q(Exists(invited))
        return self.filter(allowed)


MeetingSeriesManager = models.Manager.from_queryset(MeetingSeriesQuerySet)


class MeetingSeries(TrilingualTitle, OwnedModel):
    """A recurring meeting: a monthly working group, the annual governors' meeting."""

    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    cadence = models.CharField(
        _("cadence"), max_length=16, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    time_zone = models.CharField(
        _("usual time zone"), max_length=64, choices=time_zone_choices, default="Asia/Tokyo"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[MeetingSeriesManager] = MeetingSeriesManager()

    class Meta:
        ordering = ["title_en", "id"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""), name="series_has_a_title"
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("coordination:series", args=[self.pk])


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Shared meetings, meetings the user or their organisation is invited to, and meetings
        whose published minutes are shared with the user."""
        principal = principal_for(user)
        allowed = visibility_q(user) | Q(
            minutes_published_at__isnull=False,
            minutes_visibility__in=sorted(principal.shared_levels()),
        )
        if principal.user_id is not None:
            allowed |= _invited_q(principal.user_id, principal.org_ids, "pk")
        return self.filter(allowed)


MeetingManager = models.Manager.from_queryset(MeetingQuerySet)


class Meeting(TrilingualTitle, OwnedModel):
    """One council meeting. The owner is the organising organisation."""

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="Asia/Tokyo"
    )
    city = models.ForeignKey(
        "directory.City",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_visibility = models.CharField(
        _("minutes shared with"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[MeetingManager] = MeetingManager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""), name="meeting_has_a_title"
            ),
        ]
        indexes = [models.Index(fields=["series", "starts_at"])]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("coordination:meeting", args=[self.pk])

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_published_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


class Rsvp(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    YES = "yes", _("Attending")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("Not attending")


class Invitee(models.Model):
    """An organisation or a person invited to a meeting, with their answer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    rsvp = models.CharField(_("answer"), max_length=8, choices=Rsvp.choices, default=Rsvp.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, user__isnull=True)
                | Q(organisation__isnull=True, user__isnull=False),
                name="invitee_is_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(organisation__isnull=False),
                name="invitee_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="invitee_person_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.user)


class AgendaItem(TrilingualTitle):
    """One point on the agenda, with its time box and its minutes (latest revision)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("notes for participants"), blank=True)
    presenter_name = models.CharField(_("presenter"), max_length=150, blank=True)
    presenter_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presenter's organisation"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("time box (minutes)"), default=15)
    # The current minutes, kept with the item so that a page needs no revision query and a
    # save can compare its base revision under the item's row lock.
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""), name="agenda_item_has_a_title"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="agenda_item_time_box_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title


class AgendaAttachment(models.Model):
    """A document for an agenda item. A link for now; the document library comes later."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class MinutesRevision(models.Model):
    """One saved version of an agenda item's minutes. Revisions are never changed or deleted."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "number"], name="minutes_revision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item} #{self.number}"


class Decision(models.Model):
    """A decision recorded in the minutes, optionally under an agenda item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("decision"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItemQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Shared items, items of the user's organisations, items assigned to the user, and the
        items of meetings the user's organisation organises or is invited to."""
        principal = principal_for(user)
        allowed = visibility_q(user)
        if principal.user_id is not None:
            allowed |= Q(owner_person_id=principal.user_id)
            allowed |= Q(meeting__owner_id__in=principal.org_ids)
            allowed |= _invited_q(principal.user_id, principal.org_ids, "meeting_id")
        return self.filter(allowed)

    def open(self) -> Self:
        return self.filter(status__in=OPEN_ACTION_STATUSES)


ActionItemManager = models.Manager.from_queryset(ActionItemQuerySet)


class ActionItem(OwnedModel):
    """Something a member organisation agreed to do. The owner is the responsible organisation."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (person)"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ActionItemManager] = ActionItemManager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class ActionCarryOver(models.Model):
    """An open action item put on the agenda of a later meeting of its series."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="carries")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="carried_actions")
    from_meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    carried_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("carried-over action item")
        verbose_name_plural = _("carried-over action items")
        constraints = [
            models.UniqueConstraint(fields=["action_item", "meeting"], name="carry_over_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_item} → {self.meeting}"

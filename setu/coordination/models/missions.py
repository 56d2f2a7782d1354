"""Joint missions: destinations, participating prefectures, delegates, itinerary, tasks, budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.core.models import OwnedModel, OwnedQuerySet
from setu.core.principal import principal_for
from setu.core.titles import TrilingualTitle
from setu.core.visibility import visibility_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class MissionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_MISSION_STATUSES = (MissionStatus.PLANNED, MissionStatus.CONFIRMED)


class Direction(models.TextChoices):
    TO_INDIA = "to_india", _("To India")
    TO_JAPAN = "to_japan", _("To Japan (inbound visit)")


class VisitKind(models.TextChoices):
    BUSINESS = "business", _("Business visit")
    FAM_TRIP = "fam_trip", _("Familiarisation trip")


class MissionQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Shared missions, and missions the user's organisation takes part in (as a
        participating prefecture or as a delegate's organisation)."""
        principal = principal_for(user)
        allowed = visibility_q(user)
        if principal.org_ids:
            allowed |= Q(
                Exists(
                    MissionParticipant.objects.filter(
                        mission=OuterRef("pk"), organisation_id__in=principal.org_ids
                    )
                )
            )
            allowed |= Q(
                Exists(
                    Delegate.objects.filter(
                        mission=OuterRef("pk"), organisation_id__in=principal.org_ids
                    )
                )
            )
        return self.filter(allowed)


MissionManager = models.Manager.from_queryset(MissionQuerySet)


class Mission(TrilingualTitle, OwnedModel):
    """A joint mission to India, or a visit to Japan hosted by the owner (the lead or host
    prefecture; co-hosts are participants). An inbound visit's own details are ``inbound``
    (``setu.coordination.models.inbound``)."""

    summary_en = models.TextField(_("purpose (English)"), blank=True)
    summary_ja = models.TextField(_("purpose (Japanese)"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=16, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.TO_INDIA
    )
    visit_kind = models.CharField(
        _("kind of visit"), max_length=16, choices=VisitKind.choices, default=VisitKind.BUSINESS
    )
    targets = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="targeted_by_missions",
        verbose_name=_("Indian organisations to meet"),
    )
    report_summary_en = models.TextField(_("report (English)"), blank=True)
    report_summary_ja = models.TextField(_("report (Japanese)"), blank=True)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    report_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[MissionManager] = MissionManager()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="mission_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""), name="mission_has_a_title"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_on"]),
            models.Index(fields=["direction", "starts_on"]),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("coordination:mission", args=[self.pk])

    @property
    def is_inbound(self) -> bool:
        return self.direction == Direction.TO_JAPAN

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_MISSION_STATUSES


class MissionParticipant(models.Model):
    """A member prefecture taking part in another's mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    via_proposal = models.ForeignKey(
        "coordination.JointProposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("participating prefecture")
        verbose_name_plural = _("participating prefectures")
        constraints = [
            models.UniqueConstraint(fields=["mission", "organisation"], name="participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.mission}"


class MissionDestination(models.Model):
    """A city the mission visits, with the days spent there."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="destinations")
    city = models.ForeignKey(
        "directory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    starts_on = models.DateField(_("arrive"))
    ends_on = models.DateField(_("leave"))

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="destination_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.city} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class Delegate(models.Model):
    """A person on the mission: an official of a prefecture or a representative of a company.

    ``prefecture`` is the participating prefecture whose delegation the person belongs to; only
    its officers add them, and only from the prefecture itself or the companies it manages.
    """

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="delegates")
    prefecture = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delegation of"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["prefecture_id", "organisation_id", "name", "id"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self) -> str:
        return self.name

    @property
    def is_official(self) -> bool:
        return self.organisation_id == self.prefecture_id


class ItineraryKind(models.TextChoices):
    VISIT = "visit", _("Visit to an organisation")
    B2B = "b2b", _("B2B session")
    SITE_VISIT = "site_visit", _("Site visit")
    SEMINAR = "seminar", _("Seminar")
    RECEPTION = "reception", _("Reception")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


MEETING_KINDS = (ItineraryKind.VISIT, ItineraryKind.B2B, ItineraryKind.SITE_VISIT)


class ItineraryItem(models.Model):
    """One entry of the programme, shown in the destination's time zone."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="itinerary")
    destination = models.ForeignKey(
        MissionDestination,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="itinerary",
        verbose_name=_("destination"),
    )
    kind = models.CharField(_("type"), max_length=16, choices=ItineraryKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    notes_ja = models.TextField(_("notes (Japanese)"), blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Indian organisation"),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    link_url = models.URLField(_("link"), max_length=500, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="itinerary_items",
        verbose_name=_("event"),
    )
    held = models.BooleanField(_("held"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # inbound visits: the Japanese partner hosting the item, whom to ask there, what the
    # visitors want to see, and the interpreter when the visitors need one
    host_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hosted by"),
    )
    host_contact = models.CharField(_("host contact"), max_length=200, blank=True)
    wants_to_see = models.TextField(_("what the visitors want to see"), blank=True)
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="itinerary_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja=""), name="itinerary_has_a_title"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def is_meeting(self) -> bool:
        return self.kind in MEETING_KINDS


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class MissionTask(models.Model):
    """A preparation task, or a follow-up after the mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (person)"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    follow_up = models.BooleanField(_("follow-up after the mission"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["follow_up", "due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class SplitMethod(models.TextChoices):
    EQUAL = "equal", _("Equal shares")
    HEADCOUNT = "headcount", _("By headcount")
    FIXED = "fixed", _("Fixed amounts")


class BudgetLine(models.Model):
    """A cost of the mission in yen, shared among the lead and participating prefectures."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="budget_lines")
    title = models.CharField(_("cost item"), max_length=200)
    amount_jpy = models.PositiveBigIntegerField(_("amount (JPY)"))
    split = models.CharField(
        _("how it is shared"), max_length=16, choices=SplitMethod.choices, default="equal"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.title} ¥{self.amount_jpy:,}"


class CostShare(models.Model):
    """One prefecture's part of a budget line, in whole yen. A line's shares add up to it."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    amount_jpy = models.PositiveBigIntegerField(_("share (JPY)"))

    class Meta:
        ordering = ["organisation_id"]
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")
        constraints = [
            models.UniqueConstraint(fields=["line", "organisation"], name="cost_share_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: ¥{self.amount_jpy:,}"

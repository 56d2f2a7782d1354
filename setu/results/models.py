"""Results: trade and investment leads, their stage history, credits, deals, MoU links, surveys.

A ``Lead`` is owned by a member prefecture and read under the ownership rule. Where it came
from stays on it (``origin_*``); the member prefectures that share in it are its ``Credit`` rows
(the attribution rule, docs/decisions/0014). A won lead has one ``Deal``. Amounts carry a
currency; totals convert to yen with the platform's dated rate table
(``setu.core.models.ExchangeRate`` through ``setu.core.money.convert``), which also says which
rate it used, so this app keeps no rate table of its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.models import OwnedModel
from setu.directory.models import Currency, Language

__all__ = [
    "CLOSING_STAGES",
    "AnnualReport",
    "Credit",
    "Currency",
    "Deal",
    "EventCost",
    "KpiCell",
    "KpiMonth",
    "Lead",
    "LeadKind",
    "MouLink",
    "OriginKind",
    "Stage",
    "StageChange",
    "Survey",
    "SurveyInvitation",
    "SurveyStatus",
    "stage_index",
]


class LeadKind(models.TextChoices):
    TRADE = "trade", _("Trade")
    INVESTMENT = "investment", _("Investment")
    TRAVEL_PACKAGE = "travel_package", _("Travel package")


class Stage(models.TextChoices):
    """The stages in their order: moving to an earlier one is moving backwards."""

    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    MEETING_HELD = "meeting_held", _("Meeting held")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    DORMANT = "dormant", _("Dormant")


CLOSING_STAGES = (Stage.WON, Stage.LOST, Stage.DORMANT)
OPEN_STAGES = tuple(stage for stage in Stage if stage not in CLOSING_STAGES)
_STAGE_ORDER = {stage.value: index for index, stage in enumerate(Stage)}


def stage_index(stage: str) -> int:
    """A stage's place in the order (``Stage`` lists them in order)."""
    return _STAGE_ORDER[stage]


class OriginKind(models.TextChoices):
    EVENT = "event", _("Event attendance")
    MISSION = "mission", _("Mission")
    MEETING = "meeting", _("B2B meeting")
    MANUAL = "manual", _("Entered by hand")
    SURVEY = "survey", _("Follow-up survey")


def _non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=name
    )


class Lead(OwnedModel):
    """A trade lead (a Japanese company → an Indian buyer, distributor or market) or an
    investment lead (an Indian company → a site, partner or acquisition in a prefecture).

    ``owner`` is the member prefecture that works it. The origin fields keep where it came
    from: ``origin_event`` is set whenever the origin lies in an event (an attendance, a B2B
    meeting there, a survey after it) and ``origin_mission`` whenever it lies in a mission (a
    mission's meeting, a survey after it), so outcomes can be counted per event and mission.
    The services check that an origin names its record; the database does not, because the
    origin records may be deleted later (the fields then become empty, the kind stays).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=LeadKind.choices)
    title = models.CharField(_("title"), max_length=200)
    company = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("company"),
        help_text=_("The Japanese company for trade; the Indian company for investment."),
    )
    counterpart = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counterpart"),
        help_text=_(
            "The Indian buyer or distributor for trade; the Japanese partner or site owner "
            "for investment."
        ),
    )
    counterpart_note = models.CharField(
        _("market or site"),
        max_length=300,
        blank=True,
        help_text=_("A market or site in words, when there is no counterpart organisation."),
    )
    sector = models.ForeignKey(
        "directory.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.IDENTIFIED, db_index=True
    )
    stage_changed_at = models.DateTimeField(_("stage since"), default=timezone.now)
    expected_value = models.DecimalField(
        _("expected value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.JPY
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=10, help_text=_("From 0 to 100.")
    )
    # A travel package: the tour operator is ``company``, the prefecture ``owner``; won means
    # the package is on sale and travellers are booked (``travellers_booked``).
    season = models.CharField(
        _("season"), max_length=100, blank=True, help_text=_("For a travel package.")
    )
    expected_travellers = models.PositiveIntegerField(
        _("expected travellers"), null=True, blank=True, help_text=_("For a travel package.")
    )
    travellers_booked = models.PositiveIntegerField(
        _("travellers booked"), null=True, blank=True, help_text=_("For a travel package.")
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    # The due date the owner was last reminded of (once per due date; see services.reminders).
    next_step_reminded_for = models.DateField(null=True, blank=True, editable=False)

    origin_kind = models.CharField(
        _("origin"), max_length=16, choices=OriginKind.choices, default=OriginKind.MANUAL
    )
    origin_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    origin_mission = models.ForeignKey(
        "coordination.Mission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission"),
    )
    origin_meeting = models.ForeignKey(
        "matchmaking.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("B2B meeting"),
    )
    origin_itinerary_item = models.ForeignKey(
        "coordination.ItineraryItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission meeting"),
    )
    origin_invitation = models.ForeignKey(
        "results.SurveyInvitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey answer"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            _non_negative("expected_value", "lead_value_not_negative"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="lead_probability_pct"),
        ]
        indexes = [
            models.Index(fields=["owner", "stage"]),
            # The lists and the API order by it (newest first).
            models.Index(fields=["-updated_at", "-id"], name="lead_updated_idx"),
            # The KPI summary counts a month's leads (docs/decisions/0026).
            models.Index(fields=["created_at"], name="lead_created_idx"),
            # The KPI figures' travel packages: the few such leads of a period, not all of them.
            models.Index(fields=["kind", "created_at"], name="lead_kind_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("results:lead", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSING_STAGES

    @property
    def is_overdue(self) -> bool:
        return (
            self.next_step_due is not None
            and not self.is_closed
            and self.next_step_due < timezone.localdate()
        )


class StageChange(models.Model):
    """One move of a lead between stages (the first row records its creation)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_stage or '-'} → {self.to_stage}"

    @property
    def is_backwards(self) -> bool:
        return bool(self.from_stage) and stage_index(self.to_stage) < stage_index(self.from_stage)


class Credit(models.Model):
    """A member prefecture's share in a lead's outcome. A lead's shares add up to 1."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="credits")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4)
    set_by_owner = models.BooleanField(_("set by the owner"), default=False)

    class Meta:
        ordering = ["lead_id", "-share", "organisation_id"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.UniqueConstraint(fields=["lead", "organisation"], name="credit_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="credit_share_in_0_1"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "lead"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.share}"


class Deal(models.Model):
    """The realised outcome of a won lead; for investment, also the amount, jobs and site."""

    lead = models.OneToOneField(Lead, on_delete=models.CASCADE, related_name="deal")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.JPY
    )
    closed_on = models.DateField(_("closed on"), db_index=True)
    evidence = models.ForeignKey(
        "library.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )
    investment_amount = models.DecimalField(
        _("investment amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For an investment: the amount invested, in the deal's currency."),
    )
    jobs_planned = models.PositiveIntegerField(_("jobs planned"), null=True, blank=True)
    site = models.CharField(_("site"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closed_on", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="deal_value_not_negative"),
            _non_negative("investment_amount", "deal_investment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lead} ({self.value} {self.currency})"


class MouLink(models.Model):
    """An MoU (one of the directory's agreements) and a lead or mission behind it."""

    partnership = models.ForeignKey(
        "directory.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agreement"),
    )
    lead = models.ForeignKey(
        Lead,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mou_links",
        verbose_name=_("lead"),
    )
    mission = models.ForeignKey(
        "coordination.Mission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("MoU link")
        verbose_name_plural = _("MoU links")
        constraints = [
            models.CheckConstraint(
                condition=Q(lead__isnull=False) | Q(mission__isnull=False),
                name="mou_link_names_a_lead_or_mission",
            ),
            models.UniqueConstraint(
                fields=["partnership", "lead"],
                condition=Q(lead__isnull=False),
                name="mou_link_lead_once",
            ),
            models.UniqueConstraint(
                fields=["partnership", "mission"],
                condition=Q(mission__isnull=False),
                name="mou_link_mission_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} ← {self.lead_id or '-'}/{self.mission_id or '-'}"


class SurveyStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed")


class Survey(OwnedModel):
    """The follow-up survey of one event or mission, sent some weeks after it ended.

    ``owner`` is the event's or mission's owner prefecture.
    """

    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    mission = models.ForeignKey(
        "coordination.Mission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission"),
    )
    send_after_days = models.PositiveSmallIntegerField(
        _("send after (days)"),
        default=56,
        help_text=_("Days after the end of the event or mission."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.SCHEDULED
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, mission__isnull=True)
                | Q(event__isnull=True, mission__isnull=False),
                name="survey_of_an_event_or_a_mission",
            ),
            models.UniqueConstraint(
                fields=["event"], condition=Q(event__isnull=False), name="survey_per_event"
            ),
            models.UniqueConstraint(
                fields=["mission"], condition=Q(mission__isnull=False), name="survey_per_mission"
            ),
            models.CheckConstraint(
                condition=Q(send_after_days__lte=365), name="survey_sent_within_a_year"
            ),
        ]

    def __str__(self) -> str:
        return str(self.event or self.mission)

    def get_absolute_url(self) -> str:
        return reverse("results:survey", args=[self.pk])


class SurveyInvitation(models.Model):
    """One participating company's invitation to a survey, and its answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("company"),
    )
    email = models.EmailField(_("sent to"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    usefulness = models.PositiveSmallIntegerField(_("usefulness (1–5)"), null=True, blank=True)
    meetings_led_somewhere = models.PositiveIntegerField(
        _("meetings that led somewhere"), null=True, blank=True
    )
    expected_business = models.TextField(_("expected or realised business"), blank=True)
    expected_value = models.DecimalField(
        _("expected value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="survey_invitation_once"
            ),
            models.CheckConstraint(
                condition=Q(usefulness__isnull=True) | Q(usefulness__gte=1, usefulness__lte=5),
                name="survey_usefulness_1_5",
            ),
            _non_negative("expected_value", "survey_value_not_negative"),
            models.CheckConstraint(
                condition=Q(expected_value__isnull=True) | ~Q(currency=""),
                name="survey_value_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.organisation}"


class EventCost(models.Model):
    """A cost of an event in yen (events keep no budget of their own), set against outcomes."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    title = models.CharField(_("cost item"), max_length=200)
    amount_jpy = models.PositiveBigIntegerField(_("amount (JPY)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("event cost")
        verbose_name_plural = _("event costs")

    def __str__(self) -> str:
        return f"{self.title} ¥{self.amount_jpy:,}"


# A share that is "all of it", kept here so services and KPIs use one constant.
WHOLE = Decimal(1)


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class AnnualReport(OwnedModel):
    """A printable annual report (PDF) of a member prefecture, or of the consortium when
    ``member`` is empty, for a fiscal year (April to March), made by the worker.

    ``owner`` is the organisation that asked for it (its people read it); the figures are
    those its requester may read, as on the dashboard.
    """

    member = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the progress bar
    pdf = models.BinaryField(editable=False, null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="annual_report_progress_pct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or _('Consortium')} {self.fiscal_year} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("results:kpi_report", args=[self.pk])


class KpiMonth(models.Model):
    """A month of the KPI summary (docs/decisions/0026): its cells are up to date unless
    ``stale``. A month without a row has not been built yet. Writes mark their months stale in
    their own transaction; the next reader (or ``manage.py kpi_summary``) rebuilds them."""

    month = models.DateField(unique=True)  # the first day
    stale = models.BooleanField(default=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}{' (stale)' if self.stale else ''}"


class KpiCell(models.Model):
    """One pre-aggregated figure of a month (docs/decisions/0026): how many leads created in
    the month (UTC) or deals closed in it fall under ``measure``/``key``, for one credited
    member (``member``; empty: the consortium, every outcome whole) and one private owner
    (``private_owner``: the owner of private leads, empty for shared ones), so that the
    ownership rule can still be applied when the cells are read."""

    class Measure(models.TextChoices):
        STAGE = "stage"  # key: the lead's stage now
        FURTHEST = "furthest"  # key: the furthest progress stage in the lead's history
        SECTION = "section"  # key: the ISIC section code of the lead's sector ("-": none)
        ORIGIN = "origin"  # key: origin kind; origin_id: the event or mission
        DEAL = "deal"  # key: origin kind; origin_id; lead_kind; the deal sums
        RATE = "rate"  # key: the deal's currency; day: its closing day (non-yen deals)

    month = models.DateField()
    member = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    private_owner = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    measure = models.CharField(max_length=10, choices=Measure.choices)
    key = models.CharField(max_length=32, blank=True)
    origin_id = models.BigIntegerField(null=True)
    lead_kind = models.CharField(max_length=16, blank=True)
    day = models.DateField(null=True)
    n = models.PositiveIntegerField(default=0)
    no_rate = models.PositiveIntegerField(default=0)
    value_jpy = models.DecimalField(max_digits=24, decimal_places=8, null=True)
    investment_jpy = models.DecimalField(max_digits=24, decimal_places=8, null=True)
    jobs = models.DecimalField(max_digits=24, decimal_places=8, null=True)

    class Meta:
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["measure", "member", "month"], name="kpi_cell_read_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} {self.key}: {self.n}"

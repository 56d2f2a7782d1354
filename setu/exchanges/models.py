"""Student exchanges: rounds, programmes, applications with ranked choices, guardian consent,
referees, reviewers' scores and placement runs (docs/exchanges.md)."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.core.models import OwnedModel
from setu.core.titles import TrilingualTitle

ADULT_AGE = 18


def new_token() -> str:
    return secrets.token_urlsafe(24)


class StudyLevel(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("High school")
    UNDERGRADUATE = "undergraduate", _("Undergraduate")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class ProgrammeLanguage(models.TextChoices):
    JA = "ja", _("Japanese")
    EN = "en", _("English")
    HI = "hi", _("Hindi")


# Language ability as one ordered scale per language: JLPT for Japanese (N5 lowest), CEFR for
# English and Hindi. 0 is "none"; a programme's minimum is met by any level at or above it.
JLPT_LEVELS = [(0, _("None")), (1, "N5"), (2, "N4"), (3, "N3"), (4, "N2"), (5, "N1")]
CEFR_LEVELS = [
    (0, _("None")),
    (1, "A1"),
    (2, "A2"),
    (3, "B1"),
    (4, "B2"),
    (5, "C1"),
    (6, "C2"),
]


class ScoreMethod(models.TextChoices):
    AVERAGE = "average", _("Average of the reviewers' scores")
    MANUAL = "manual", _("Ordered by hand by the coordinator")


class ExchangeRound(OwnedModel, TrilingualTitle):
    """One round of applications placed together; its owner's staff coordinate it."""

    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exchange round")
        verbose_name_plural = _("exchange rounds")

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("exchanges:round", args=[self.pk])


# The fields a programme's form edits and its audit entry compares.
PROGRAMME_FIELDS = [
    "round",
    "title_en",
    "title_ja",
    "title_hi",
    "description",
    "host",
    "partner",
    "starts_on",
    "ends_on",
    "places",
    "level",
    "min_age",
    "max_age",
    "language",
    "min_language_level",
    "fee_amount",
    "fee_currency",
    "scholarship",
    "criteria",
    "opens_on",
    "closes_on",
    "score_method",
    "visibility",
]


class Programme(OwnedModel, TrilingualTitle):
    """Places offered by a host institution in one round."""

    round = models.ForeignKey(
        ExchangeRound, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("round")
    )
    host = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host institution"),
    )
    partner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("partner institution"),
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    places = models.PositiveIntegerField(_("places"))
    level = models.CharField(_("level"), max_length=16, choices=StudyLevel.choices)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    language = models.CharField(
        _("language of study"), max_length=2, choices=ProgrammeLanguage.choices
    )
    min_language_level = models.PositiveSmallIntegerField(
        _("minimum language level"),
        default=0,
        help_text=_(
            "JLPT for Japanese (1 = N5 … 5 = N1), CEFR for English and Hindi (1 = A1 … 6 = C2)."
        ),
    )
    fee_amount = models.DecimalField(_("fee"), max_digits=12, decimal_places=0, default=0)
    fee_currency = models.CharField(
        _("currency"), max_length=3, choices=[("JPY", "JPY"), ("INR", "INR"), ("USD", "USD")]
    )
    scholarship = models.CharField(_("scholarships"), max_length=300, blank=True)
    criteria = models.TextField(_("selection criteria"), blank=True)
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    score_method = models.CharField(
        _("ranking of applicants"),
        max_length=8,
        choices=ScoreMethod.choices,
        default=ScoreMethod.AVERAGE,
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("exchange programme")
        verbose_name_plural = _("exchange programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="programme_window"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("exchanges:programme", args=[self.pk])

    def is_open(self, on: date) -> bool:
        return self.opens_on <= on <= self.closes_on

    @property
    def language_level_label(self) -> str:
        scale = JLPT_LEVELS if self.language == ProgrammeLanguage.JA else CEFR_LEVELS
        return str(dict(scale).get(self.min_language_level, ""))


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Place declined")


class Application(models.Model):
    """A student's application to one round: the programmes ranked, best first (``Choice``).

    ``is_minor`` is fixed when the application is made: under 18 on that day (decision 0013).
    """

    round = models.ForeignKey(
        ExchangeRound,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("round"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exchange_applications",
        verbose_name=_("student"),
    )
    date_of_birth = models.DateField(_("date of birth"))
    is_minor = models.BooleanField(_("under 18"), default=False)
    level = models.CharField(_("level of study"), max_length=16, choices=StudyLevel.choices)
    jlpt_level = models.PositiveSmallIntegerField(
        _("Japanese (JLPT)"), default=0, choices=JLPT_LEVELS
    )
    english_level = models.PositiveSmallIntegerField(
        _("English (CEFR)"), default=0, choices=CEFR_LEVELS
    )
    hindi_level = models.PositiveSmallIntegerField(
        _("Hindi (CEFR)"), default=0, choices=CEFR_LEVELS
    )
    statement = models.TextField(_("personal statement"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="one_application_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:application", args=[self.pk])

    def language_level(self, language: str) -> int:
        return {
            ProgrammeLanguage.JA: self.jlpt_level,
            ProgrammeLanguage.EN: self.english_level,
            ProgrammeLanguage.HI: self.hindi_level,
        }[ProgrammeLanguage(language)]


class Choice(models.Model):
    """One programme on an application, at ``rank`` (1 = first choice)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="choices", verbose_name=_("programme")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    # The coordinator's hand order for programmes ranked by hand (1 = best).
    manual_position = models.PositiveIntegerField(_("position"), null=True, blank=True)

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "programme"], name="choice_once"),
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.programme}"


class Score(models.Model):
    """A reviewer's score for one applicant to one programme, or their declared conflict."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_reason = models.CharField(_("why"), max_length=300, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["choice", "reviewer"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(conflict=True, score__isnull=True)
                | models.Q(conflict=False, score__gte=0, score__lte=100),
                name="score_or_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.choice}: {self.score}"


class ApplicationDocument(models.Model):
    """A file the student attached (transcript, certificate), checked like library uploads."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("what it is"), max_length=200)
    file = models.FileField(upload_to="exchanges/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Referee(models.Model):
    """Someone the student asked for a reference; they answer once through a signed link."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referees")
    name = models.CharField(_("referee's name"), max_length=150)
    email = models.EmailField(_("referee's email"))
    token = models.CharField(max_length=64, default=new_token, unique=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reference = models.TextField(_("reference"), blank=True)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return self.name


class ConsentPurpose(models.TextChoices):
    SELECTION = "selection", _("Reviewing the application and selecting students")
    PLACEMENT = "placement", _("Placing the student on a programme")
    HOST_SHARING = "host_sharing", _("Sharing the application with the host institution")
    TRAVEL = "travel", _("Arranging travel, stay and insurance for the exchange")


class ConsentMethod(models.TextChoices):
    EMAIL_LINK = "email_link", _("Confirmed through a signed link sent to the guardian's email")


class GuardianConsent(models.Model):
    """A parent's or guardian's consent for a minor's application (DPDP Rules 2025, APPI).

    Kept on its own with who, what, when, how, in which language and when withdrawn, so that
    the privacy issue's consent ledger can take these records over (decision 0013).
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="guardian_consents"
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=150)
    guardian_email = models.EmailField(_("guardian's email"))
    relationship = models.CharField(_("relationship to the student"), max_length=60)
    language = models.CharField(
        _("guardian's language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    purposes = models.JSONField(_("purposes"), default=list)
    method = models.CharField(
        max_length=16, choices=ConsentMethod.choices, default=ConsentMethod.EMAIL_LINK
    )
    token = models.CharField(max_length=64, default=new_token, unique=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")

    def __str__(self) -> str:
        return self.guardian_name

    @property
    def is_valid(self) -> bool:
        return self.verified_at is not None and self.withdrawn_at is None

    def purpose_labels(self) -> list[str]:
        labels = dict(ConsentPurpose.choices)
        return [str(labels.get(code, code)) for code in self.purposes]


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    FAILED = "failed", _("Failed")


class PlacementRun(models.Model):
    """One run of the placement over a round's applications: a draft until published."""

    round = models.ForeignKey(
        ExchangeRound, on_delete=models.CASCADE, related_name="runs", verbose_name=_("round")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    published_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    applicants = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    first_choice = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:run", args=[self.pk])


class UnplacedReason(models.TextChoices):
    NO_CHOICE = "no_choice", _("No eligible programme on the list")
    NOT_VISIBLE = "not_visible", _("Waiting for a guardian's consent")
    OUTRANKED = "outranked", _("Every programme on the list was filled by higher-ranked applicants")


class Outcome(models.Model):
    """Where a run put one application: a programme and its rank, or why not."""

    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="outcomes")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    choice_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=16, choices=UnplacedReason.choices, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="outcome_once")]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.programme_id}"

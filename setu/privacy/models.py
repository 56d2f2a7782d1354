"""Personal data under APPI and the DPDP Act: notices, the consent ledger, provisions abroad,
rights requests, grievances, breaches and what retention did (docs/privacy.md)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    DIRECTORY = "directory", _("Directory listing")
    EVENTS = "events", _("Event registration")
    MATCHMAKING = "matchmaking", _("Matchmaking profile")
    NEWSLETTERS = "newsletters", _("Newsletters and digests")
    EXCHANGES = "exchanges", _("Exchange applications")
    ABROAD = "abroad", _("Sharing with partners abroad")


class Language(models.TextChoices):
    EN = "en", "English"
    JA = "ja", "日本語"
    HI = "hi", "हिन्दी"


class Notice(models.Model):
    """One version of the plain-language notice for a purpose, in one language."""

    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("notice"))
    sample = models.BooleanField(_("sample text"), default=False)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["purpose", "-version", "language"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version", "language"], name="notice_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version} ({self.language})"


class AppendOnly(models.Model):
    """A record that is written once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The consent ledger cannot be changed, only added to."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("The consent ledger cannot be changed, only added to."))


class ConsentAction(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    FORM = "form", _("Ticked on a form")
    PORTAL = "portal", _("Privacy page")
    DEMO = "demo", _("Demo data")


class GivenBy(models.TextChoices):
    SELF = "self", _("The person")
    GUARDIAN = "guardian", _("A parent or guardian")


class Consent(AppendOnly):
    """One line of the ledger: a person gave or withdrew consent for a purpose. The newest line
    for (person, purpose[, recipient]) is the one that counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    action = models.CharField(_("action"), max_length=10, choices=ConsentAction.choices)
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("notice")
    )
    language = models.CharField(_("language"), max_length=2, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    given_by = models.CharField(
        _("by whom"), max_length=10, choices=GivenBy.choices, default=GivenBy.SELF
    )
    guardian_name = models.CharField(_("guardian"), max_length=150, blank=True)
    # cross-border provision (APPI Art. 28): the country, its regime and the recipient named
    recipient = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    regime = models.TextField(_("that country's data protection"), blank=True)
    recorded_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consent ledger")
        indexes = [
            models.Index(fields=["user", "purpose", "-recorded_at"]),
            models.Index(fields=["email", "purpose", "-recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_action_display()}"


class Provision(AppendOnly):
    """A person's data shown or sent to an organisation (in the other country)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    recipient = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    country = models.CharField(_("country"), max_length=2)
    what = models.CharField(_("what was provided"), max_length=200)
    # the consent naming the recipient, else the purpose's consent the provision rests on
    # (an exchange application); empty when the person never answered (docs/privacy.md)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )
    provided_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-provided_at", "-id"]
        verbose_name = _("provision abroad")
        verbose_name_plural = _("provisions abroad")

    def __str__(self) -> str:
        return f"{self.what} → {self.recipient}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class GrievanceKind(models.TextChoices):
    GRIEVANCE = "grievance", _("Grievance")
    CORRECTION = "correction", _("Correction request")


class Grievance(models.Model):
    """A complaint about how Setu handles someone's data (DPDP s. 13), or a request to correct
    it, with its response clock; the secretariat's data protection officer answers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=GrievanceKind.choices, default=GrievanceKind.GRIEVANCE
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("what happened"))
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    response = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["status", "due_at", "id"]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")

    def __str__(self) -> str:
        return self.subject

    @property
    def overdue(self) -> bool:
        return self.status == CaseStatus.OPEN and timezone.now() > self.due_at


class ErasureRequest(models.Model):
    """A request to erase what Setu holds about the person; ``report`` says what was erased
    and what was kept, and why."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("person"),
    )
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    report = models.JSONField(_("what was done"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"{self.pk} {self.requested_at:%Y-%m-%d}"


def _token() -> str:
    return secrets.token_urlsafe(32)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DataExport(models.Model):
    """A person's copy of their data, made by the worker and fetched by an emailed link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    json_data = models.BinaryField(editable=False, default=b"")
    csv_data = models.BinaryField(editable=False, default=b"")

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"{self.pk} {self.requested_at:%Y-%m-%d}"

    @property
    def expires_at(self) -> Any:
        return self.requested_at + timedelta(days=settings.SETU_PRIVACY_EXPORT_DAYS)


class Breach(models.Model):
    """A personal data breach and its clocks: DPDP (Board within 72 h), APPI (PPC:
    preliminary report promptly, final within 30 days, 60 for a malicious act)."""

    title = models.CharField(_("what happened"), max_length=200)
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    detected_at = models.DateTimeField(_("detected"))
    categories = models.CharField(_("categories of data"), max_length=300)
    people_count = models.PositiveIntegerField(_("people affected"))
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    malicious = models.BooleanField(
        _("caused by a malicious act"),
        default=False,
        help_text=_("APPI allows 60 days instead of 30 for the final report."),
    )
    dpdp_reported_at = models.DateTimeField(
        _("reported to the Data Protection Board"), null=True, blank=True
    )
    appi_preliminary_at = models.DateTimeField(
        _("preliminary report to the PPC"), null=True, blank=True
    )
    appi_final_at = models.DateTimeField(_("final report to the PPC"), null=True, blank=True)
    people_notified_at = models.DateTimeField(_("people notified"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("breach")
        verbose_name_plural = _("breach register")

    def __str__(self) -> str:
        return self.title

    @property
    def dpdp_due(self) -> Any:
        return self.detected_at + timedelta(hours=72)

    @property
    def appi_preliminary_due(self) -> Any:
        return self.detected_at + timedelta(days=settings.SETU_PRIVACY_APPI_PRELIMINARY_DAYS)

    @property
    def appi_final_due(self) -> Any:
        return self.detected_at + timedelta(days=60 if self.malicious else 30)


class RetentionRun(models.Model):
    """What one run of the retention job did (or would do), one line per category."""

    ran_at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField(default=False)
    lines = models.JSONField(default=list)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}"

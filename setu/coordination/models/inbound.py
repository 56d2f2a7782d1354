"""Inbound visits (docs/inbound.md): what a visit to Japan adds to a mission, its visitors with
their sealed passport details, and the visa documents made for each visitor (every version)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setu.coordination.models.missions import Mission


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class InboundVisit(models.Model):
    """The inviting side of a visit to Japan: why the visitors are invited, who signs the
    letters, where they sleep and how they travel; for a familiarisation trip, its report."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="inbound")
    reason_en = models.TextField(_("reason for the invitation (English)"), blank=True)
    reason_ja = models.TextField(_("reason for the invitation (Japanese)"), blank=True)
    signing_official = models.CharField(_("signing official"), max_length=150, blank=True)
    signing_title = models.CharField(_("signing official's title"), max_length=150, blank=True)
    signing_title_ja = models.CharField(
        _("signing official's title (Japanese)"), max_length=150, blank=True
    )
    inviting_address = models.CharField(
        _("inviting organisation's address"), max_length=300, blank=True
    )
    inviting_phone = models.CharField(
        _("inviting organisation's telephone"), max_length=40, blank=True
    )
    transport_notes = models.TextField(_("transport notes"), blank=True)
    hotel_notes = models.TextField(_("hotel notes"), blank=True)
    details_due_on = models.DateField(_("visitors' details due"), null=True, blank=True)
    content_produced = models.TextField(_("content produced"), blank=True)
    packages_planned = models.TextField(_("packages planned"), blank=True)

    class Meta:
        verbose_name = _("inbound visit")
        verbose_name_plural = _("inbound visits")

    def __str__(self) -> str:
        return str(self.mission)


class VisitorLanguage(models.TextChoices):
    EN = "en", "English"
    HI = "hi", "हिन्दी"


class Visitor(models.Model):
    """A person visiting Japan on the mission. Their passport details live in ``sealed``
    (Fernet, decision 0022): only ``setu.coordination.services.visitors`` opens it."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="visitors")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=VisitorLanguage.choices, default=VisitorLanguage.EN
    )
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    sealed = models.BinaryField(editable=False, default=b"")
    submitted_at = models.DateTimeField(_("details sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(_("details erased"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mission_id", "name", "id"]
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")

    def __str__(self) -> str:
        return self.name

    @property
    def owner_id(self) -> int:
        return self.mission.owner_id


class DocumentKind(models.TextChoices):
    INVITATION_JA = "invitation_ja", _("Invitation letter (Japanese)")
    INVITATION_EN = "invitation_en", _("Invitation letter (English)")
    SCHEDULE_JA = "schedule_ja", _("Schedule of stay (Japanese)")
    SCHEDULE_EN = "schedule_en", _("Schedule of stay (English)")


class VisaDocument(models.Model):
    """One generated visa document. A new programme makes a new version; the old ones stay.
    The PDF carries passport details, so it is sealed like them."""

    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    fingerprint = models.CharField(max_length=64)
    sealed_pdf = models.BinaryField(editable=False, default=b"")
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["visitor_id", "kind", "-version"]
        verbose_name = _("visa document")
        verbose_name_plural = _("visa documents")
        constraints = [
            models.UniqueConstraint(fields=["visitor", "kind", "version"], name="visa_doc_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="visa_doc_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-v{self.version}.pdf"

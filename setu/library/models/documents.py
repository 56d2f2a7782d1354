"""Documents with versions, collections of working groups, and market briefs."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.core.models import OwnedModel, OwnedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report or study")
    PRESENTATION = "presentation", _("Seminar deck or presentation")
    AGREEMENT = "agreement", _("Agreement or MoU text")
    MINUTES = "minutes", _("Minutes")
    BROCHURE = "brochure", _("Brochure")
    MARKET_BRIEF = "market_brief", _("Market brief")
    DATA = "data", _("Data or spreadsheet")
    OTHER = "other", _("Other")


class ContentLanguage(models.TextChoices):
    EN = "en", _("English")
    JA = "ja", _("Japanese")
    HI = "hi", _("Hindi")
    MIXED = "mixed", _("Several languages")
    OTHER = "other", _("Another language")


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word document")
    XLSX = "xlsx", _("Excel workbook")
    PPTX = "pptx", _("PowerPoint presentation")
    IMAGE = "image", _("Image")
    TEXT = "text", _("Text file")


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text read")
    FAILED = "failed", _("Text could not be read")
    NONE = "none", _("No text to read (image)")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(Lower("name"), name="library_tag_name_unique")]

    def __str__(self) -> str:
        return self.name


def collection_readers_q(user: User | AnonymousUser, document_field: str = "pk") -> Q:
    """Documents placed in a collection whose owner or members include one of ``user``'s
    organisations: a working group reads what is shared with it whatever the visibility."""
    from setu.core.principal import principal_for

    org_ids = principal_for(user).org_ids
    if not org_ids:
        return Q(pk__in=[])
    shared = CollectionItem.objects.filter(document_id=OuterRef(document_field)).filter(
        Q(collection__owner_id__in=org_ids) | Q(collection__members__in=org_ids)
    )
    return Q(Exists(shared))


class DocumentQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        from setu.core.visibility import visibility_q

        return self.filter(visibility_q(user) | collection_readers_q(user))


class Document(OwnedModel):
    """A shared file (or a brief written in the form), in one or several versions."""

    kind = models.CharField(
        _("type"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.REPORT
    )
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_hi = models.CharField(_("title (Hindi)"), max_length=300, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    summary_hi = models.TextField(_("summary (Hindi)"), blank=True)
    language = models.CharField(
        _("language of the document"),
        max_length=8,
        choices=ContentLanguage.choices,
        default=ContentLanguage.EN,
        db_index=True,
    )
    sectors = models.ManyToManyField(
        "directory.Sector", blank=True, related_name="library_documents", verbose_name=_("sectors")
    )
    focal_sectors = models.ManyToManyField(
        "directory.FocalSector",
        blank=True,
        related_name="library_documents",
        verbose_name=_("focal sectors"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents", verbose_name=_("tags"))
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="library_documents",
        verbose_name=_("related organisations"),
    )
    events = models.ManyToManyField(
        "events.Event",
        blank=True,
        related_name="library_documents",
        verbose_name=_("related events"),
    )
    missions = models.ManyToManyField(
        "coordination.Mission",
        blank=True,
        related_name="library_documents",
        verbose_name=_("related missions"),
    )
    meetings = models.ManyToManyField(
        "coordination.Meeting",
        blank=True,
        related_name="library_documents",
        verbose_name=_("related meetings"),
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    objects = DocumentQuerySet.as_manager()  # type: ignore[misc]  # OwnedModel's, narrowed

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""), name="document_has_a_title"
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("library:document", args=[self.pk])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")


def version_file_name(instance: Any, filename: str) -> str:
    """A server-made name: documents/<uuid>.<extension checked against the content>."""
    extension = instance.extension or ""
    return f"documents/{uuid.uuid4().hex}{extension}"


class DocumentVersion(models.Model):
    """One uploaded file of a document. The highest number is the current one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_file_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=8)
    file_kind = models.CharField(_("file type"), max_length=8, choices=FileKind.choices)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    extraction_status = models.CharField(
        _("text"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    extraction_message = models.TextField(blank=True)
    extracted_text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class CollectionQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        from setu.core.principal import principal_for
        from setu.core.visibility import visibility_q

        org_ids = principal_for(user).org_ids
        member = Exists(
            Collection.members.through.objects.filter(
                collection_id=OuterRef("pk"), organisation_id__in=org_ids
            )
        )
        return (
            self.filter(visibility_q(user) | Q(member))
            if org_ids
            else self.filter(visibility_q(user))
        )


class Collection(OwnedModel):
    """A working group's shelf: its member organisations read every document placed in it."""

    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_hi = models.TextField(_("description (Hindi)"), blank=True)
    members = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="library_collections",
        verbose_name=_("member organisations"),
    )
    documents = models.ManyToManyField(
        Document, through="CollectionItem", related_name="collections", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CollectionQuerySet.as_manager()  # type: ignore[misc]  # OwnedModel's, narrowed

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_en="", name_ja="", name_hi=""), name="collection_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("library:collection", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "document"], name="library_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.collection} · {self.document}"


class MarketBrief(models.Model):
    """The structured part of a market brief: a document of type "market brief"."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="brief"
    )
    sector = models.ForeignKey(
        "directory.Sector",
        on_delete=models.PROTECT,
        related_name="market_briefs",
        verbose_name=_("sector"),
    )
    state = models.ForeignKey(
        "directory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_briefs",
        limit_choices_to={"country": "IN"},
        verbose_name=_("Indian state"),
    )
    as_of = models.DateField(_("date"), default=timezone.localdate)
    key_figures = models.JSONField(_("key figures"), default=list, blank=True)
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("market brief")
        verbose_name_plural = _("market briefs")

    def __str__(self) -> str:
        return str(self.document)


def linked_model(field: str) -> type[Any]:
    """The model a document links to through ``field`` ("events", "missions", "meetings").

    The library sits below events and coordination, so it names their models by label only
    (``"events.Event"``) and reads them back through its own fields, never by import."""
    return Document._meta.get_field(field).related_model  # type: ignore[return-value]

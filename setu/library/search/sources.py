"""The library's own search sources, and the directory's organisations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from setu.library.search.indexing import schedule
from setu.library.search.registry import IndexDocument, register_source

DOCUMENT = "library.document"
ANNOUNCEMENT = "library.announcement"
ORGANISATION = "directory.organisation"


def _titles(obj: object, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in ("en", "ja", "hi")}


def _names(objects: Iterable[Any]) -> str:
    return " ".join(" ".join(filter(None, (o.name_en, o.name_ja, o.name_hi))) for o in objects)


def documents() -> QuerySet[Any]:
    from setu.library.models import Document

    return Document.objects.select_related(
        "owner", "current_version", "brief__sector", "brief__state"
    ).prefetch_related(
        "sectors", "focal_sectors__sectors", "tags", "organisations", "collections__members"
    )


def document_entry(document: object) -> IndexDocument:
    from setu.library.models import Document, ExtractionStatus

    assert isinstance(document, Document)
    sector_ids = {sector.pk for sector in document.sectors.all()}
    for focal in document.focal_sectors.all():
        sector_ids.update(sector.pk for sector in focal.sectors.all())
    parts = [
        *_titles(document, "summary").values(),
        " ".join(tag.name for tag in document.tags.all()),
        _names(document.organisations.all()),
    ]
    brief = getattr(document, "brief", None)
    if brief is not None:
        sector_ids.add(brief.sector_id)
        parts += [
            _names([brief.sector]),
            _names([brief.state]) if brief.state else "",
            "\n".join(f"{label}: {value}" for label, value in brief.key_figures),
            brief.source_title,
        ]
    version = document.current_version
    if version is not None and version.extraction_status == ExtractionStatus.DONE:
        parts.append(version.extracted_text)
    readers: set[int] = set()
    for collection in document.collections.all():
        readers.add(collection.owner_id)
        readers.update(member.pk for member in collection.members.all())
    return IndexDocument(
        title=_titles(document, "title"),
        body="\n".join(part for part in parts if part),
        language=document.language,
        owner_id=document.owner_id,
        managed_by_id=document.owner.managed_by_id,
        visibility=document.visibility,
        url=document.get_absolute_url(),
        date=document.updated_at,
        kind=document.kind,
        sector_ids=sector_ids,
        organisation_ids={org.pk for org in document.organisations.all()},
        reader_ids=readers,
    )


def announcements() -> QuerySet[Any]:
    from setu.library.models import Announcement

    return Announcement.objects.select_related("owner").prefetch_related("sectors")


def announcement_entry(announcement: object) -> IndexDocument:
    from setu.library.models import Announcement

    assert isinstance(announcement, Announcement)
    return IndexDocument(
        title=_titles(announcement, "title"),
        body="\n".join(filter(None, _titles(announcement, "body").values())),
        language=announcement.original_language,
        owner_id=announcement.owner_id,
        managed_by_id=announcement.owner.managed_by_id,
        visibility=announcement.visibility,
        url=announcement.get_absolute_url(),
        date=announcement.published_at,
        kind="announcement",
        sector_ids={sector.pk for sector in announcement.sectors.all()},
    )


def organisations() -> QuerySet[Any]:
    from setu.directory.models import Organisation

    return Organisation.objects.select_related("region", "city").prefetch_related(
        "sectors", "merged_records"
    )


def organisation_entry(organisation: object) -> IndexDocument | None:
    from setu.directory.models import Organisation

    assert isinstance(organisation, Organisation)
    if organisation.merged_into_id is not None:
        return None  # the surviving record speaks for it
    parts = [
        organisation.name_ja_kana,
        *_titles(organisation, "description").values(),
        organisation.offers,
        organisation.needs,
        _names(organisation.sectors.all()),
        _names([organisation.region]) if organisation.region else "",
        _names([organisation.city]) if organisation.city else "",
        # Records merged into this one: people still search by the names they knew.
        _names(organisation.merged_records.all()),
    ]
    return IndexDocument(
        title=_titles(organisation, "name"),
        body="\n".join(part for part in parts if part),
        language=organisation.original_language,
        owner_id=organisation.pk,
        managed_by_id=organisation.managed_by_id,
        visibility=organisation.visibility,
        url=organisation.get_absolute_url(),
        date=organisation.created_at,
        kind=organisation.kind,
        sector_ids={sector.pk for sector in organisation.sectors.all()},
    )


def _owner_changed(sender: type, instance: object, **kwargs: object) -> None:
    """A company's managing prefecture or visibility changed: its records' rows carry it."""
    if kwargs.get("raw"):
        return
    from setu.library.models import Announcement, Document

    pk = instance.pk  # type: ignore[attr-defined]
    keys = [
        f"{DOCUMENT}:{i}" for i in Document.objects.filter(owner_id=pk).values_list("pk", flat=True)
    ]
    keys += [
        f"{ANNOUNCEMENT}:{i}"
        for i in Announcement.objects.filter(owner_id=pk).values_list("pk", flat=True)
    ]
    if keys:
        schedule(keys)


def register_library_sources() -> None:
    from setu.directory.models import Organisation, OrganisationKind
    from setu.library.models import Announcement, Document, DocumentKind

    register_source(
        DOCUMENT,
        model=Document,
        label=_("Documents"),
        document=document_entry,
        queryset=documents,
        digest=True,
        kinds={"market_brief": _("Market briefs")},
        kind_labels=dict(DocumentKind.choices),
    )
    register_source(
        ANNOUNCEMENT,
        model=Announcement,
        label=_("Announcements"),
        document=announcement_entry,
        queryset=announcements,
        digest=True,
        kind_labels={"announcement": _("Announcement")},
    )
    register_source(
        ORGANISATION,
        model=Organisation,
        label=_("Organisations"),
        document=organisation_entry,
        queryset=organisations,
        kind_labels=dict(OrganisationKind.choices),
    )
    post_save.connect(
        _owner_changed, sender=Organisation, dispatch_uid="library-search-owner-changed"
    )

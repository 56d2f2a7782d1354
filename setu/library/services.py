"""Writes to the library, each in a transaction and audited. Index updates follow on commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from setu.core import audit, writes
from setu.library.extraction import ExtractionError, extract_text, local_path
from setu.library.files import CheckedFile
from setu.library.models import (
    Announcement,
    Collection,
    CollectionItem,
    Document,
    DocumentKind,
    DocumentVersion,
    ExtractionStatus,
    FileKind,
    Frequency,
    MarketBrief,
    NotificationPreference,
    Tag,
)
from setu.library.search.indexing import schedule
from setu.library.search.registry import sources
from setu.library.search.sources import DOCUMENT

if TYPE_CHECKING:
    from setu.accounts.models import User
    from setu.coordination.models import Meeting, Mission
    from setu.directory.models import Organisation
    from setu.events.models import Event

logger = logging.getLogger(__name__)

AUDITED_DOCUMENT_FIELDS = [
    "kind", "title_en", "title_ja", "title_hi", "language", "visibility", "owner_id",
]  # fmt: skip
AUDITED_ANNOUNCEMENT_FIELDS = ["title_en", "title_ja", "title_hi", "visibility", "push_email"]

DOCUMENT_RELATIONS = ["sectors", "focal_sectors", "organisations", "tags"]
AUDITED_COLLECTION_FIELDS = ["name_en", "name_ja", "name_hi", "visibility"]
COLLECTION_RELATIONS = ["members"]
# Cleaned-data names a document service never sets from ``data``: the owner is its own
# argument, and the events, missions and meetings go through ``RecordLinks``.
NOT_ASSIGNED = ("owner", "events", "missions", "meetings")


def _index_document(document: Document) -> None:
    schedule([f"{DOCUMENT}:{document.pk}"])


# --- documents and versions ------------------------------------------------------------------


def tags_set(*, document: Document, names: Iterable[str]) -> None:
    """Attach tags by name, reusing existing ones whatever their case."""
    tags = []
    for name in dict.fromkeys(" ".join(n.split())[:60] for n in names):
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    document.tags.set(tags)


@dataclass(frozen=True)
class RecordLinks:
    """The whole set of events, missions and meetings a document is to be linked to."""

    events: Sequence[Event] = ()
    missions: Sequence[Mission] = ()
    meetings: Sequence[Meeting] = ()


def _links_set(*, document: Document, links: RecordLinks) -> dict[str, list[str | None]]:
    """Replace the document's links; ``{field: [old titles, new titles]}`` for the audit."""
    changes: dict[str, list[str | None]] = {}
    for name in ("events", "missions", "meetings"):
        manager = getattr(document, name)
        old = {record.pk: str(record) for record in manager.all()}
        new = {record.pk: str(record) for record in getattr(links, name)}
        if old.keys() != new.keys():
            manager.set(list(new))
            changes[name] = [", ".join(old.values()) or None, ", ".join(new.values()) or None]
    return changes


def _add_version(
    *, document: Document, checked: CheckedFile, actor: User, note: str
) -> DocumentVersion:
    """Store the file under a server-made name and make it the current version.

    Call inside a transaction holding the document's row lock. Extraction starts on commit.
    """
    last = document.versions.aggregate(highest=Max("number"))["highest"] or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        original_name=checked.original_name,
        extension=checked.extension,
        file_kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=note[:300],
        uploaded_by=actor,
        extraction_status=(
            ExtractionStatus.NONE if checked.kind == FileKind.IMAGE else ExtractionStatus.PENDING
        ),
    )
    checked.upload.seek(0)
    version.file.save(checked.original_name, checked.upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)  # nothing half-stored
        raise
    document.current_version = version
    document.updated_at = timezone.now()
    # an update, not a save: the caller schedules the one re-index this change needs
    Document.objects.filter(pk=document.pk).update(
        current_version=version, updated_at=document.updated_at
    )
    if version.extraction_status == ExtractionStatus.PENDING:
        from setu.library.tasks import extract_version_text

        transaction.on_commit(lambda: extract_version_text.enqueue(version_id=version.pk))
    return version


@transaction.atomic
def document_create(
    *,
    actor: User,
    owner: Organisation,
    data: Mapping[str, Any] | None = None,
    document: Document | None = None,
    upload: CheckedFile | None = None,
    note: str = "",
    links: RecordLinks | None = None,
    tags: Iterable[str] | None = None,
) -> Document:
    """A new document from validated ``data`` (sectors and related organisations included)
    or a ready ``document``, with its first file, links and tags, audited as one change.

    ``links``: the events, missions and meetings to link it to, which ``actor`` may read.
    """
    document = document if document is not None else Document()
    relations = writes.assign(document, data or {}, exclude=NOT_ASSIGNED)
    now = timezone.now()
    document.owner = owner
    document.created_by = actor
    document.created_at = document.updated_at = now
    document.save()
    writes.relate(document, relations)
    if tags is not None:
        tags_set(document=document, names=tags)
    version = None
    if upload is not None:
        version = _add_version(document=document, checked=upload, actor=actor, note=note)
    after = audit.snapshot(document, fields=AUDITED_DOCUMENT_FIELDS, relations=DOCUMENT_RELATIONS)
    audit.record(
        document,
        "library.document.created",
        actor=actor,
        changes={
            **audit.field_changes({}, after),
            "file": [None, version.original_name if version else None],
            **(_links_set(document=document, links=links) if links is not None else {}),
        },
    )
    return document  # saving it scheduled its indexing (setu.library.search.registry)


@transaction.atomic
def document_update(
    *,
    document: Document,
    actor: User,
    data: Mapping[str, Any] | None = None,
    links: RecordLinks | None = None,
    tags: Iterable[str] | None = None,
) -> Document:
    """Save edited metadata (``data`` validated, relations included) and audit what changed.

    ``links`` replaces the linked events, missions and meetings when given: include the ones
    ``actor`` may not read, or they are unlinked (``DocumentForm.record_links`` does).
    ``tags`` replaces the tags when given.
    """
    if not actor.has_perm("library.change_document", document):
        raise PermissionDenied
    before = audit.snapshot(
        Document.objects.get(pk=document.pk),
        fields=AUDITED_DOCUMENT_FIELDS,
        relations=DOCUMENT_RELATIONS,
    )
    relations = writes.assign(document, data or {}, exclude=NOT_ASSIGNED)
    document.updated_at = timezone.now()
    document.save()
    writes.relate(document, relations)
    if tags is not None:
        tags_set(document=document, names=tags)
    after = audit.snapshot(document, fields=AUDITED_DOCUMENT_FIELDS, relations=DOCUMENT_RELATIONS)
    changes = audit.field_changes(before, after)
    if links is not None:
        changes.update(_links_set(document=document, links=links))
    if changes:
        audit.record(document, "library.document.updated", actor=actor, changes=changes)
    return document


@transaction.atomic
def version_upload(
    *, document: Document, actor: User, upload: CheckedFile, note: str = ""
) -> DocumentVersion:
    """A new version; the previous ones stay in the history. Only the document's editors."""
    if not actor.has_perm("library.change_document", document):
        raise PermissionDenied
    document = Document.objects.select_for_update().get(pk=document.pk)
    previous = document.current_version_id
    version = _add_version(document=document, checked=upload, actor=actor, note=note)
    audit.record(
        document,
        "library.version.uploaded",
        actor=actor,
        changes={
            "version": [version.number - 1 if previous else None, version.number],
            "file": [None, version.original_name],
        },
    )
    _index_document(document)
    return version


def version_extract(*, version_id: int) -> str:
    """Read one version's text (the worker's job). Returns the status; never raises."""
    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None:
        return "missing"
    if version.file_kind == FileKind.IMAGE:
        status, text, message = ExtractionStatus.NONE, "", ""
    else:
        try:
            with local_path(version.file) as path:
                text = extract_text(path, version.file_kind)
            status, message = ExtractionStatus.DONE, ""
        except (ExtractionError, OSError) as error:
            logger.warning("extraction of version %s failed: %s", version.pk, error)
            status, text, message = ExtractionStatus.FAILED, "", str(error)[:500]
    DocumentVersion.objects.filter(pk=version.pk).update(
        extraction_status=status,
        extracted_text=text,
        extraction_message=message,
        extracted_at=timezone.now(),
    )
    if version.document.current_version_id == version.pk:
        _index_document(version.document)
    return str(status)


@transaction.atomic
def extraction_retry(*, version: DocumentVersion, actor: User) -> None:
    if not actor.has_perm("library.change_document", version.document):
        raise PermissionDenied
    version.extraction_status = ExtractionStatus.PENDING
    version.extraction_message = ""
    version.save(update_fields=["extraction_status", "extraction_message"])
    from setu.library.tasks import extract_version_text

    transaction.on_commit(lambda: extract_version_text.enqueue(version_id=version.pk))


# --- market briefs -------------------------------------------------------------------------


@transaction.atomic
def brief_create(
    *,
    actor: User,
    owner: Organisation,
    data: Mapping[str, Any],
    brief_data: Mapping[str, Any],
    upload: CheckedFile | None = None,
    links: RecordLinks | None = None,
    tags: Iterable[str] | None = None,
) -> Document:
    """A new market brief: a document of that type (``data``) plus its structured fields
    (``brief_data``)."""
    document = document_create(
        actor=actor,
        owner=owner,
        data=data,
        document=Document(kind=DocumentKind.MARKET_BRIEF),
        upload=upload,
        links=links,
        tags=tags,
    )
    _brief_save(MarketBrief(document=document), brief_data)
    return document


@transaction.atomic
def brief_update(
    *,
    actor: User,
    document: Document,
    data: Mapping[str, Any],
    brief_data: Mapping[str, Any],
    links: RecordLinks | None = None,
    tags: Iterable[str] | None = None,
) -> Document:
    """Save an edited market brief: its document's metadata and its structured fields."""
    document.kind = DocumentKind.MARKET_BRIEF
    document = document_update(document=document, actor=actor, data=data, links=links, tags=tags)
    _brief_save(MarketBrief.objects.get(document=document), brief_data)
    return document


def _brief_save(brief: MarketBrief, data: Mapping[str, Any]) -> None:
    writes.assign(brief, data, exclude=("document",))
    brief.save()  # before the commit, so the indexing scheduled by the document's save sees it


# --- collections -----------------------------------------------------------------------------


def _collection_write(
    collection: Collection, *, actor: User, data: Mapping[str, Any], action: str
) -> Collection:
    created = collection.pk is None
    before = (
        {}
        if created
        else audit.snapshot(
            Collection.objects.get(pk=collection.pk),
            fields=AUDITED_COLLECTION_FIELDS,
            relations=COLLECTION_RELATIONS,
        )
    )
    relations = writes.assign(collection, data, exclude=("owner",))
    collection.save()
    writes.relate(collection, relations)
    after = audit.snapshot(
        collection, fields=AUDITED_COLLECTION_FIELDS, relations=COLLECTION_RELATIONS
    )
    audit.record(collection, action, actor=actor, changes=audit.field_changes(before, after))
    if not created:
        collection_members_changed(collection=collection)
    return collection


@transaction.atomic
def collection_create(
    *, actor: User, owner: Organisation | None, data: Mapping[str, Any]
) -> Collection:
    """A new collection owned by ``owner``, its member organisations included."""
    assert owner is not None, "a new collection needs an owner"
    return _collection_write(
        Collection(owner=owner), actor=actor, data=data, action="library.collection.created"
    )


@transaction.atomic
def collection_update(
    *, actor: User, collection: Collection, data: Mapping[str, Any]
) -> Collection:
    """Save an edited collection; a change of members re-indexes its documents."""
    if not actor.has_perm("library.change_collection", collection):
        raise PermissionDenied
    return _collection_write(
        collection, actor=actor, data=data, action="library.collection.updated"
    )


def collection_members_changed(*, collection: Collection) -> None:
    """Members read the collection's documents: their index rows carry the readers."""
    keys = [f"{DOCUMENT}:{pk}" for pk in collection.documents.values_list("pk", flat=True)]
    schedule(keys)


@transaction.atomic
def collection_add(*, collection: Collection, document: Document, actor: User) -> CollectionItem:
    """File a document into a collection: its editors decide to share it with the group."""
    if not (
        actor.has_perm("library.change_document", document)
        and actor.has_perm("library.file_into_collection", collection)
    ):
        raise PermissionDenied
    item, created = CollectionItem.objects.get_or_create(
        collection=collection, document=document, defaults={"added_by": actor}
    )
    if created:
        audit.record(
            document,
            "library.collection.filed",
            actor=actor,
            changes={"collection": [None, collection.display_name]},
        )
        _index_document(document)
    return item


@transaction.atomic
def collection_remove(*, collection: Collection, document: Document, actor: User) -> None:
    if not (
        actor.has_perm("library.change_document", document)
        or actor.has_perm("library.change_collection", collection)
    ):
        raise PermissionDenied
    deleted, _rows = CollectionItem.objects.filter(
        collection=collection, document=document
    ).delete()
    if deleted:
        audit.record(
            document,
            "library.collection.removed",
            actor=actor,
            changes={"collection": [collection.display_name, None]},
        )
        _index_document(document)


# --- announcements ---------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def announcement_create(
    *, actor: User, owner: Organisation, data: Mapping[str, Any]
) -> Announcement:
    """Publish an announcement from validated ``data`` (sectors included)."""
    return announcement_save(announcement=Announcement(), actor=actor, owner=owner, data=data)


@transaction.atomic
def announcement_update(
    *, actor: User, announcement: Announcement, data: Mapping[str, Any]
) -> Announcement:
    """Save an edited announcement (sectors included) and audit what changed."""
    return announcement_save(announcement=announcement, actor=actor, data=data)


@transaction.atomic
def announcement_save(
    *,
    announcement: Announcement,
    actor: User,
    owner: Organisation | None = None,
    data: Mapping[str, Any] | None = None,
) -> Announcement:
    """Publish or edit an announcement; the first save with "send by email" pushes it."""
    created = announcement.pk is None
    if created:
        assert owner is not None, "a new announcement needs an owner"
        announcement.owner = owner
        announcement.created_by = actor
        announcement.published_at = announcement.created_at = timezone.now()
        before: dict[str, Any] = {}
    else:
        if not actor.has_perm("library.change_announcement", announcement):
            raise PermissionDenied
        before = audit.snapshot(
            Announcement.objects.get(pk=announcement.pk),
            fields=AUDITED_ANNOUNCEMENT_FIELDS,
            relations=["sectors"],
        )
    relations = writes.assign(announcement, data or {}, exclude=("owner",))
    announcement.updated_at = timezone.now()
    announcement.save()
    writes.relate(announcement, relations)
    after = audit.snapshot(announcement, fields=AUDITED_ANNOUNCEMENT_FIELDS, relations=["sectors"])
    changes = audit.field_changes(before, after)
    audit.record(
        announcement,
        "library.announcement.created" if created else "library.announcement.updated",
        actor=actor,
        changes=changes,
    )
    if announcement.push_email and announcement.pushed_at is None:
        from setu.library.tasks import push_announcement

        pk = announcement.pk
        transaction.on_commit(lambda: push_announcement.enqueue(announcement_id=pk))
    return announcement


# --- notification preferences ----------------------------------------------------------------


@transaction.atomic
def preference_save(
    *, preference: NotificationPreference, data: Mapping[str, Any] | None = None
) -> NotificationPreference:
    """Save the email choices; ``data["sources"]`` names the digest sources wanted (the
    others are muted)."""
    if data is not None:
        writes.assign(preference, data)
        chosen = set(data.get("sources") or [])
        preference.muted_sources = sorted(
            s.name for s in sources() if s.digest and s.name not in chosen
        )
    preference.updated_at = timezone.now()
    preference.save()
    return preference


@transaction.atomic
def unsubscribe(*, user: User, what: str) -> NotificationPreference:
    """The one-click unsubscribe: "digest" stops digests, "announcements" stops pushes."""
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    if what == "announcements":
        preference.announcement_emails = False
    else:
        preference.frequency = Frequency.OFF
    preference.updated_at = timezone.now()
    preference.save()
    audit.record(
        preference, "library.notifications.unsubscribed", actor=user, changes={"what": [None, what]}
    )
    return preference

"""Reads: lists filtered by the ownership rule, and ``access_*`` helpers that 404."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from setu.core.access import get_visible_or_404
from setu.core.principal import principal_for
from setu.library.models import (
    Announcement,
    Collection,
    Document,
    DocumentVersion,
    MarketBrief,
)
from setu.library.models.documents import linked_model

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.coordination.models import Meeting, Mission
    from setu.directory.models import Organisation
    from setu.events.models import Event


def document_list(*, user: User | AnonymousUser) -> QuerySet[Document]:
    """Documents ``user`` may read, newest first, with what a list row shows."""
    return (
        Document.objects.visible_to(user)
        .select_related("owner", "current_version", "brief__sector", "brief__state")
        .defer("current_version__extracted_text")
        .order_by("-updated_at", "-id")
    )


def access_document(*, user: User | AnonymousUser, pk: Any) -> Document:
    return get_visible_or_404(
        Document.objects.visible_to(user)
        .select_related("owner", "created_by", "current_version", "brief__sector", "brief__state")
        .defer("current_version__extracted_text"),
        pk,
    )


def versions_of(*, document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by").defer("extracted_text")


def access_version(*, document: Document, number: Any) -> DocumentVersion:
    """A version of a document the caller already may read, else 404."""
    try:
        return versions_of(document=document).get(number=int(number))
    except (DocumentVersion.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


# The events, missions and meetings a document form offers to link: the recent and coming ones.
LINK_WINDOW_PAST = timedelta(days=730)
LINK_WINDOW_AHEAD = timedelta(days=365)


def _in_link_window(queryset: QuerySet[Any], field: str, now: Any) -> QuerySet[Any]:
    """``queryset`` starting from two years before ``now`` to a year after, the latest first."""
    return queryset.filter(
        **{f"{field}__gte": now - LINK_WINDOW_PAST, f"{field}__lte": now + LINK_WINDOW_AHEAD}
    ).order_by(f"-{field}", "-id")


def linkable_events(*, user: User | AnonymousUser) -> QuerySet[Event]:
    """Events ``user`` may read, from two years ago to a year ahead, the latest first."""
    return _in_link_window(
        linked_model("events").objects.visible_to(user), "starts_at", timezone.now()
    )


def linkable_missions(*, user: User | AnonymousUser) -> QuerySet[Mission]:
    return _in_link_window(
        linked_model("missions").objects.visible_to(user), "starts_on", timezone.localdate()
    )


def linkable_meetings(*, user: User | AnonymousUser) -> QuerySet[Meeting]:
    return _in_link_window(
        linked_model("meetings").objects.visible_to(user), "starts_at", timezone.now()
    )


def linked_records(*, user: User | AnonymousUser, document: Document) -> dict[str, list[Any]]:
    """The events, missions and meetings linked to ``document`` that ``user`` may read
    (three queries, whatever their number)."""
    return {
        "events": list(
            linked_model("events")
            .objects.visible_to(user)
            .filter(library_documents=document)
            .order_by("-starts_at", "-id")
        ),
        "missions": list(
            linked_model("missions")
            .objects.visible_to(user)
            .filter(library_documents=document)
            .order_by("-starts_on", "-id")
        ),
        "meetings": list(
            linked_model("meetings")
            .objects.visible_to(user)
            .filter(library_documents=document)
            .order_by("-starts_at", "-id")
        ),
    }


def documents_linked_to(
    *, user: User | AnonymousUser, record: Event | Mission | Meeting
) -> list[Document]:
    """The documents linked to an event, a mission or a meeting that ``user`` may read, the
    latest first, for the "Documents" card of its page (one query)."""
    field = f"{record._meta.model_name}s"  # "events", "missions", "meetings"
    return list(
        Document.objects.visible_to(user).filter(**{field: record}).order_by("-updated_at", "-id")
    )


def documents_card(
    *, user: User | AnonymousUser, record: Event | Mission | Meeting, can_edit: bool
) -> dict[str, Any]:
    """Context for ``library/partials/_linked_documents.html`` on the page of ``record``.

    ``can_edit``: the caller's answer to "may ``user`` edit ``record``?"; its editors who may
    share documents get a link to the upload form with ``record`` chosen.
    """
    share_url = ""
    if can_edit and user.has_perm("library.add_document"):
        key = record._meta.model_name  # "event", "mission", "meeting"
        share_url = f"{reverse('library:document_create')}?{key}={record.pk}"
    return {
        "linked_documents": documents_linked_to(user=user, record=record),
        "share_document_url": share_url,
    }


def brief_list(*, user: User | AnonymousUser) -> QuerySet[MarketBrief]:
    return (
        MarketBrief.objects.filter(document__in=Document.objects.visible_to(user))
        .select_related("document__owner", "sector", "state")
        .order_by("-as_of", "-document_id")
    )


def collection_list(*, user: User | AnonymousUser) -> QuerySet[Collection]:
    return (
        Collection.objects.visible_to(user)
        .select_related("owner")
        .annotate(document_count=Count("items", distinct=True))
        .order_by("name_en", "id")
    )


def access_collection(*, user: User | AnonymousUser, pk: Any) -> Collection:
    return get_visible_or_404(
        Collection.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(Prefetch("members")),
        pk,
    )


def collections_to_file_into(*, user: User | AnonymousUser) -> QuerySet[Collection]:
    """Collections whose owner or members include one of ``user``'s organisations."""
    org_ids = principal_for(user).org_ids
    return (
        Collection.objects.filter(Q(owner_id__in=org_ids) | Q(members__in=org_ids))
        .distinct()
        .order_by("name_en", "id")
    )


def announcement_list(*, user: User | AnonymousUser) -> QuerySet[Announcement]:
    return (
        Announcement.objects.visible_to(user)
        .filter(published_at__lte=timezone.now())
        .select_related("owner")
        .order_by("-published_at", "-id")
    )


def announcements_for(user: User | AnonymousUser, limit: int = 5) -> list[Announcement]:
    """The newest announcements ``user`` may read, for the dashboard feed (one query)."""
    return list(announcement_list(user=user)[:limit])


def access_announcement(*, user: User | AnonymousUser, pk: Any) -> Announcement:
    return get_visible_or_404(announcement_list(user=user).prefetch_related("sectors"), pk)


def public_announcements() -> QuerySet[Announcement]:
    from setu.core.models import Visibility

    return (
        Announcement.objects.filter(visibility=Visibility.PUBLIC, published_at__lte=timezone.now())
        .select_related("owner")
        .order_by("-published_at", "-id")
    )


def owner_choices(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may publish for: their own, other than as a student."""
    from setu.accounts.models import Membership, Role
    from setu.directory.models import Organisation

    if not user.is_authenticated:
        return Organisation.objects.none()
    ids = Membership.objects.filter(user_id=user.pk).exclude(role=Role.STUDENT)
    return Organisation.objects.filter(pk__in=ids.values("organisation_id")).order_by("name_en")

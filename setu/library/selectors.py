"""Reads: lists filtered by the ownership rule, and ``access_*`` helpers that 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
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

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User
    from setu.directory.models import Organisation


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


def related_records(*, user: User | AnonymousUser, document: Document) -> list[Any]:
    """The events, missions or meetings linked to ``document`` that ``user`` may see.

    A linked model is shown only if its manager offers ``visible_to(user)``; the others stay
    hidden rather than risk showing what the user may not read.
    """
    by_type: dict[int, list[int]] = {}
    for content_type_id, object_id in document.links.values_list("content_type_id", "object_id"):
        by_type.setdefault(content_type_id, []).append(object_id)
    from django.contrib.contenttypes.models import ContentType

    records: list[Any] = []
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        manager = getattr(model, "_default_manager", None)
        if manager is None or not hasattr(manager.all(), "visible_to"):
            continue
        records.extend(manager.all().visible_to(user).filter(pk__in=ids))
    return records


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

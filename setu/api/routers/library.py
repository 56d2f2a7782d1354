"""Documents (metadata and the current file) and announcements, under the library's rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponseNotModified
from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema

from setu.api.auth import caller, reading
from setu.api.pagination import page_schema, paginate
from setu.api.routers.common import READ_ERRORS, ListParams, RecordId, text
from setu.library import selectors
from setu.library.files import content_disposition
from setu.library.models import Announcement, Document

router = Router(tags=["library"], auth=reading())


class DocumentOut(Schema):
    id: int
    kind: str
    title: str = Field(description="In the reader's language (Accept-Language), else a fallback.")
    summary: str
    language: str
    owner: int
    visibility: str
    created_at: datetime
    updated_at: datetime
    file_name: str | None
    file_size: int | None
    content_type: str | None
    sha256: str | None
    version: int | None

    @staticmethod
    def resolve_title(obj: Document) -> str:
        return text(obj, "title")

    @staticmethod
    def resolve_summary(obj: Document) -> str:
        return text(obj, "summary")

    @staticmethod
    def resolve_owner(obj: Document) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_file_name(obj: Document) -> str | None:
        return obj.current_version.original_name if obj.current_version else None

    @staticmethod
    def resolve_file_size(obj: Document) -> int | None:
        return obj.current_version.size if obj.current_version else None

    @staticmethod
    def resolve_content_type(obj: Document) -> str | None:
        return obj.current_version.content_type if obj.current_version else None

    @staticmethod
    def resolve_sha256(obj: Document) -> str | None:
        return obj.current_version.sha256 if obj.current_version else None

    @staticmethod
    def resolve_version(obj: Document) -> int | None:
        return obj.current_version.number if obj.current_version else None


class DocumentFilters(ListParams):
    kind: str = ""
    language: str = Field("", max_length=8)
    owner: RecordId | None = None
    ordering: str = Field("-updated_at", description="updated_at, -updated_at, created_at, …")


DocumentPage = page_schema(DocumentOut, "DocumentPage")


@router.get(
    "/documents/",
    response={200: DocumentPage, **READ_ERRORS},
    url_name="documents",
    summary="Documents you may read",
)
def document_list(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    queryset = selectors.document_list(user=caller(request).user)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.owner is not None:
        queryset = queryset.filter(owner_id=filters.owner)
    return paginate(
        queryset,
        ordering=filters.ordering,
        orderings={"updated_at": "updated_at", "created_at": "created_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/documents/{id}/",
    response={200: DocumentOut, **READ_ERRORS},
    url_name="document",
    summary="One document's metadata",
)
def document_detail(request: HttpRequest, id: int) -> Document:
    return selectors.access_document(user=caller(request).user, pk=id)


@router.get(
    "/document-files/{id}/",
    response={200: None, **READ_ERRORS},
    url_name="document_file",
    summary="The current file of a document (an attachment)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def document_file(request: HttpRequest, id: int) -> HttpResponseBase:
    document = selectors.access_document(user=caller(request).user, pk=id)
    version = document.current_version
    if version is None:
        raise Http404
    etag = f'"{version.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    # as the library's own download: an attachment of the checked type, never rendered
    response = FileResponse(handle, content_type=version.content_type)
    response["Content-Disposition"] = content_disposition(version.original_name, version.extension)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    response["ETag"] = etag
    return response


# --- announcements -------------------------------------------------------------------------


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    original_language: str
    owner: int
    visibility: str
    published_at: datetime

    @staticmethod
    def resolve_title(obj: Announcement) -> str:
        return obj.display_title

    @staticmethod
    def resolve_body(obj: Announcement) -> str:
        return text(obj, "body")

    @staticmethod
    def resolve_owner(obj: Announcement) -> int:
        return obj.owner_id


class AnnouncementFilters(ListParams):
    ordering: str = Field("-published_at", description="published_at, -published_at")


AnnouncementPage = page_schema(AnnouncementOut, "AnnouncementPage")


@router.get(
    "/announcements/",
    response={200: AnnouncementPage, **READ_ERRORS},
    url_name="announcements",
    summary="Announcements you may read",
)
def announcement_list(request: HttpRequest, filters: Query[AnnouncementFilters]) -> Any:
    return paginate(
        selectors.announcement_list(user=caller(request).user),
        ordering=filters.ordering,
        orderings={"published_at": "published_at"},
        cursor=filters.cursor,
        limit=filters.limit,
    )


@router.get(
    "/announcements/{id}/",
    response={200: AnnouncementOut, **READ_ERRORS},
    url_name="announcement",
    summary="One announcement",
)
def announcement_detail(request: HttpRequest, id: int) -> Announcement:
    return selectors.access_announcement(user=caller(request).user, pk=id)

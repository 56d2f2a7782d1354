"""What every router shares: the list parameters, error responses, the reader's language."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema

from setu.api.errors import ERROR_STATUSES, ErrorOut
from setu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from setu.core.i18n import localized

# 304 comes with no body: the client's copy (ETag) is still current.
READ_ERRORS: dict[Any, Any] = {304: None, frozenset(ERROR_STATUSES): ErrorOut}
WRITE_ERRORS: dict[Any, Any] = {frozenset(ERROR_STATUSES): ErrorOut}


# A record's id in a filter or a body: a primary key's range (a 64-bit integer), so a number
# no database can hold is a 422 naming the field, not a server error.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ListParams(Schema):
    cursor: str | None = Field(None, description="The `next` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


def text(obj: Any, field: str) -> str:
    """A content field in the reader's language (Accept-Language), with the usual fallback."""
    return localized(obj, field)


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)

"""The API object: ``/api/v1/`` with its OpenAPI schema and docs page, our error bodies, and
an ETag on every successful read (a matching ``If-None-Match`` answers 304, no body)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from setu.api import errors
from setu.api.routers import directory, events, exchanges, library, matchmaking, results

READS = frozenset({"GET", "HEAD"})


def _etag_matches(header: str, etag: str) -> bool:
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in candidates or "*" in candidates


class SetuAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # the answer depends on who asks and in which language
        patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        response["Cache-Control"] = "private, no-cache"
        if request.method in READS and response.status_code == 200:
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["ETag"] = etag
            if _etag_matches(request.headers.get("If-None-Match", ""), etag):
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Vary", "Cache-Control", "Content-Language"):
                    if header in response:
                        not_modified[header] = response[header]
                return not_modified
        return response


api = SetuAPI(
    title="Setu API",
    version="1",
    description=(
        "The Japan–India prefectures network's data, under the same ownership rule as the "
        "pages. Authenticate with `Authorization: Bearer <token>` (make one under Account → "
        "API tokens). Lists are paginated by cursor; send `Accept-Language: ja` or `hi` for "
        "translated fields. Guide: docs/api.md."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", directory.router)
api.add_router("", events.router)
api.add_router("", matchmaking.router)
api.add_router("", library.router)
api.add_router("", results.router)
api.add_router("", exchanges.router)

"""Library test fixtures: uploads land in a temporary MEDIA_ROOT; helpers that commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import UploadedFile

from setu.accounts.models import User
from setu.library import services
from setu.library.files import check_upload
from setu.library.models import Document
from setu.library.search.indexing import index_keys
from setu.library.search.registry import get_source


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SETU_UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    settings.SETU_BASE_URL = "https://setu.example"


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """``with committed():`` runs on-commit work (tasks, indexing) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def share(
    committed: Callable[[], AbstractContextManager[Any]],
) -> Callable[..., Document]:
    """Create a document with a file through the service, extract and index it."""

    def make(
        *, user: User, owner: Any, file: UploadedFile | None = None, **fields: Any
    ) -> Document:
        fields.setdefault("title_en", "A document")
        with committed():
            document = services.document_create(
                document=Document(**fields),
                actor=user,
                owner=owner,
                upload=check_upload(file) if file is not None else None,
            )
        return Document.objects.get(pk=document.pk)

    return make


@pytest.fixture
def reindex() -> Callable[..., None]:
    """Index records now, without the worker: ``reindex(document, organisation, …)``."""

    def run(*objects: Any) -> None:
        keys = []
        for obj in objects:
            for name in ("library.document", "library.announcement", "directory.organisation"):
                source = get_source(name)
                if source is not None and isinstance(obj, source.model):
                    keys.append(source.key(obj.pk))
        index_keys(keys)

    return run


@pytest.fixture
def no_pdftotext(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from setu.library import extraction

    monkeypatch.setattr(extraction, "pdftotext_path", lambda: None)
    yield

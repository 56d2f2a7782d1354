"""The full-text index is defined once: the migration builds what the backend would rebuild."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from setu.library.search.backends import get_backend

pytestmark = pytest.mark.django_db

initial = importlib.import_module("setu.library.migrations.0001_initial")


class _RecordingEditor:
    def __init__(self) -> None:
        self.connection = connection
        self.statements: list[str] = []

    def execute(self, statement: str, params: Any = None) -> None:
        self.statements.append(statement)


def test_the_migration_and_the_backend_share_one_index_definition() -> None:
    editor = _RecordingEditor()
    initial.create_fulltext(None, editor)
    with CaptureQueriesContext(connection) as queries:
        get_backend().ensure_schema()
    assert editor.statements
    assert editor.statements == [query["sql"] for query in queries.captured_queries]

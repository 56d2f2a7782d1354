"""The same queries return the same records in the same order on SQLite and PostgreSQL.

Both runs of the suite (scripts/run_tests.py runs it on SQLite, then on PostgreSQL) assert the
checked-in lists in ``corpus.py``; a pure-Python oracle built on the tokeniser recomputes them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from setu.algorithms.text import prefix_ends_cluster, query_terms, tokenize
from setu.conftest import World
from setu.library.models import Document
from setu.library.search.backends import get_backend
from setu.library.tests.corpus import (
    CORPUS,
    EXPECTED_FOR_OFFICER_OWN,
    EXPECTED_FOR_PARTNER,
    QUERIES,
)

VISIBLE = {
    "partner": {"partners", "public"},
    "officer_own": {"partners", "public", "consortium"},
}


def _oracle(query: str, reader: str) -> list[str]:
    """What any correct backend must return: every token of every term; Latin and Hindi words
    as prefixes that end where a letter (grapheme cluster) of the indexed word ends."""
    terms = query_terms(query)
    found = []
    for ref, owner, visibility, _language, days, title, text in CORPUS:
        visible = visibility in VISIBLE[reader] or (
            reader == "officer_own" and owner in ("own", "company")
        )
        tokens = set(tokenize(f"{title}\n{text}"))
        title_tokens = set(tokenize(title))

        def holds(bag: set[str]) -> bool:
            return all(
                any(prefix_ends_cluster(q, t) for t in bag) if term.prefix else q in bag
                for term in terms
                for q in term.tokens
            )

        if visible and holds(tokens):
            found.append((not holds(title_tokens), days, ref))
    return [ref for _title, _days, ref in sorted(found)]


def test_the_checked_in_lists_are_what_the_oracle_says() -> None:
    for query in QUERIES:
        assert EXPECTED_FOR_PARTNER[query] == _oracle(query, "partner"), query
        assert EXPECTED_FOR_OFFICER_OWN[query] == _oracle(query, "officer_own"), query


@pytest.fixture
def corpus(world: World, reindex: Any) -> dict[int, str]:
    owners = {"own": world.prefecture, "other": world.other_prefecture, "company": world.company}
    now = timezone.now()
    refs = {}
    documents = []
    for ref, owner, visibility, language, days, title, text in CORPUS:
        document = Document.objects.create(
            owner=owners[owner],
            visibility=visibility,
            language=language,
            title_en=title,
            summary_en=text,
            updated_at=now - timedelta(days=days),
        )
        refs[document.pk] = ref
        documents.append(document)
    reindex(*documents)
    return refs


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("plan", ["chosen", "walk"])
def test_results_are_the_checked_in_lists(
    world: World, corpus: dict[int, str], query: str, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``walk`` forces the plan for common words (on SQLite: newest first, FTS5 probes)."""
    backend = get_backend()
    if plan == "walk":
        monkeypatch.setattr(type(backend), "is_dense", lambda self, terms, **kw: True)
    for reader, expected in [
        ("partner", EXPECTED_FOR_PARTNER),
        ("officer_own", EXPECTED_FOR_OFFICER_OWN),
    ]:
        hits = backend.search(query, world.user(reader), limit=50).hits
        got = [corpus[int(hit.object_id)] for hit in hits]
        assert got == expected[query], f"{connection.vendor} {reader} {query!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["chosen", "walk"])
def test_pages_join_into_the_full_list(
    world: World, corpus: dict[int, str], plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = get_backend()
    if plan == "walk":
        monkeypatch.setattr(type(backend), "is_dense", lambda self, terms, **kw: True)
    officer = world.user("officer_own")
    for query in ["energ", "部品", "ऊर्जा", "compon", "नवीक"]:
        pages = []
        for offset in range(0, 10, 2):
            results = backend.search(query, officer, limit=2, offset=offset)
            pages += [corpus[int(hit.object_id)] for hit in results.hits]
            assert results.total == len(EXPECTED_FOR_OFFICER_OWN[query])
        assert pages == EXPECTED_FOR_OFFICER_OWN[query], query

"""Prefix queries that end where a letter ends, on both engines.

FTS5's ``"word"*`` and PostgreSQL's ``'word':*`` match any word that starts with the same
characters, so ऊर्ज would find ऊर्जा, whose last letter र्जा it cuts in two. The prefix
vocabulary (``SearchTerm``: the indexed words a prefix might cut inside a letter) says which
characters follow a typed prefix; when one of them would go on with the same letter, the
term is rewritten into the word itself or the prefixes that go on with a new letter
(``setu.algorithms.text.prefix_continuations``). Both engines get the same rewritten query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Substr

from setu.algorithms.text import QueryTerm, in_prefix_vocabulary, prefix_continuations
from setu.library.models import SearchTerm


def record_vocabulary(token_texts: Iterable[str]) -> None:
    """Add the words of these index columns (space-separated tokens) that belong in it."""
    words = {token for text in token_texts for token in text.split() if in_prefix_vocabulary(token)}
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=word) for word in sorted(words)], batch_size=500, ignore_conflicts=True
        )


def _starting(prefix: str) -> Q:
    if connection.vendor == "sqlite":
        # LIKE is case-blind on SQLite and skips the index; a range over it says the same
        return Q(term__gt=prefix, term__lt=prefix + "\U0010ffff")
    return Q(term__startswith=prefix) & ~Q(term=prefix)


def next_characters(prefix: str) -> list[str]:
    """The characters that follow ``prefix`` in the words of the prefix vocabulary."""
    return list(
        SearchTerm.objects.filter(_starting(prefix))
        .annotate(next=Substr("term", len(prefix) + 1, 1))
        .values_list("next", flat=True)
        .order_by()
        .distinct()
    )


def resolve_prefixes(terms: Sequence[QueryTerm]) -> list[QueryTerm]:
    """``terms`` with the continuations set where a plain prefix would cut a letter."""
    resolved = []
    for term in terms:
        if term.prefix and len(term.tokens) == 1:
            token = term.tokens[0]
            continuations = prefix_continuations(token, next_characters(token))
            if continuations is not None:
                term = replace(term, continuations=continuations)
        resolved.append(term)
    return resolved

"""PostgreSQL: ``to_tsvector('simple', …)`` of the pre-tokenised columns, GIN-indexed."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from setu.algorithms.text import QueryTerm
from setu.library.search.backends import DatabaseBackend
from setu.library.search.schema import POSTGRES_SCHEMA


def tsquery(terms: Sequence[QueryTerm]) -> str:
    """``'部品' & 'solar':*`` for ``to_tsquery('simple', …)``; a prefix that would end inside
    a letter is spelled out as in ``fts5_query``: ``('ऊर्ज' | 'ऊर्जव':*)``.

    Tokens hold only letters, digits and marks, so quoting them needs no escaping.
    """
    parts = []
    for term in terms:
        for token in term.tokens:
            quoted = _quoted(token)
            if term.prefix and term.continuations is not None:
                options = [quoted, *(f"{_quoted(c)}:*" for c in term.continuations)]
                parts.append(f"({' | '.join(options)})")
            else:
                parts.append(f"{quoted}:*" if term.prefix else quoted)
    return " & ".join(parts)


def _quoted(token: str) -> str:
    return "'" + token.replace("'", "''") + "'"


class PostgresBackend(DatabaseBackend):
    vendor = "postgresql"

    # PostgreSQL's planner knows how common a lexeme is (ANALYZE keeps most-common-element
    # statistics for tsvector columns) and walks the (date, id) index for common words by
    # itself, so ``dense`` needs no hint here.

    def match(self, terms: Sequence[QueryTerm], *, dense: bool = False) -> RawSQL:
        return RawSQL(  # constant SQL, the query is a parameter
            '"library_searchentry"."search_vector" @@ to_tsquery(\'simple\', %s)',
            [tsquery(terms)],
            output_field=BooleanField(),
        )

    def title_match(
        self, terms: Sequence[QueryTerm], *, dense: bool = False, negate: bool = False
    ) -> RawSQL:
        sql = '"library_searchentry"."title_vector" @@ to_tsquery(\'simple\', %s)'
        return RawSQL(  # noqa: S611  # constant SQL, the query is a parameter
            f"NOT ({sql})" if negate else sql, [tsquery(terms)], output_field=BooleanField()
        )

    def ensure_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in POSTGRES_SCHEMA:
                cursor.execute(statement)

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_searchentry")

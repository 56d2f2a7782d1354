"""SQLite: FTS5 over the pre-tokenised columns of ``library_searchentry``."""

from __future__ import annotations

from collections.abc import Sequence
from time import monotonic

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from setu.algorithms.text import QueryTerm
from setu.library.models import SearchEntry
from setu.library.search.backends import DatabaseBackend
from setu.library.search.schema import SQLITE_SCHEMA

FTS_TABLE = "library_search_fts"


# The SQL is constant; the user's words only ever travel as the MATCH parameter.
MATCHING_IDS = (
    '"library_searchentry"."id" IN '
    "(SELECT rowid FROM library_search_fts WHERE library_search_fts MATCH %s)"
)


# For common words: does FTS5 hold this one row? (a rowid lookup in each term's doclist)
PROBE = (
    "EXISTS (SELECT 1 FROM library_search_fts WHERE library_search_fts MATCH %s "
    'AND library_search_fts.rowid = "library_searchentry"."id")'
)


def title_fts5_query(terms: Sequence[QueryTerm]) -> str:
    return f"{{title_tokens}} : ({fts5_query(terms)})"


def _fts5_quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts5_query(terms: Sequence[QueryTerm]) -> str:
    """``"部品" AND "solar"*``: every token quoted; Latin and Hindi words as prefixes.

    A prefix that would end inside a letter is spelled out (``setu.library.search.prefixes``):
    ``("ऊर्ज" OR "ऊर्जव"*)``.
    """
    parts = []
    for term in terms:
        for token in term.tokens:
            quoted = _fts5_quoted(token)
            if term.prefix and term.continuations is not None:
                options = [quoted, *(f"{_fts5_quoted(c)}*" for c in term.continuations)]
                parts.append(f"({' OR '.join(options)})")
            else:
                parts.append(f"{quoted}*" if term.prefix else quoted)
    return " AND ".join(parts)


class SQLiteBackend(DatabaseBackend):
    """FTS5 over the pre-tokenised columns.

    SQLite's planner cannot know how many rows a MATCH returns. For a rare word the best plan
    collects the matching ids and sorts them; for a common one (部品 in a third of 100,000
    records) that sorts tens of thousands of rows, while walking the (date, id) index newest
    first and probing FTS5 for each row's id finds a page after a few dozen rows. ``is_dense``
    counts the matches in FTS5 alone (about a millisecond) to choose.
    """

    vendor = "sqlite"
    _size: tuple[float, int] = (0.0, 0)

    def _expression(
        self, query: str, terms: Sequence[QueryTerm], *, dense: bool, negate: bool = False
    ) -> RawSQL:
        if not dense:
            sql = MATCHING_IDS
        elif any(term.prefix for term in terms):
            # a prefix has to gather every word it starts: once for the query, not per row;
            # the "+" keeps SQLite walking the (date, id) index rather than the id list
            sql = "+" + MATCHING_IDS
        else:
            sql = PROBE
        return RawSQL(  # noqa: S611  # constant SQL, the query is a parameter
            f"NOT ({sql})" if negate else sql, [query], output_field=BooleanField()
        )

    def match(self, terms: Sequence[QueryTerm], *, dense: bool = False) -> RawSQL:
        return self._expression(fts5_query(terms), terms, dense=dense)

    def title_match(
        self, terms: Sequence[QueryTerm], *, dense: bool = False, negate: bool = False
    ) -> RawSQL:
        return self._expression(title_fts5_query(terms), terms, dense=dense, negate=negate)

    def _table_size(self) -> int:
        checked, size = SQLiteBackend._size
        if monotonic() - checked > 300:
            size = SearchEntry.objects.count()
            SQLiteBackend._size = (monotonic(), size)
        return size

    def is_dense(self, terms: Sequence[QueryTerm], *, title: bool, wanted: int) -> bool:
        query = title_fts5_query(terms) if title else fts5_query(terms)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM library_search_fts WHERE library_search_fts MATCH %s",
                [query],
            )
            matches = cursor.fetchone()[0]
        # walking costs ~ wanted × size / matches probed rows, sorting ~ matches rows; measured,
        # a probed row costs about seven sorted ones: walk when matches² > 7 × wanted × size
        return matches * matches > 7 * (wanted + 1) * self._table_size()

    def ensure_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in SQLITE_SCHEMA:
                cursor.execute(statement)

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO library_search_fts(library_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")

    def rebuild_engine_index(self) -> None:
        """Re-read every row into FTS5 (after a table rebuild dropped the triggers)."""
        self.ensure_schema()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO library_search_fts(library_search_fts) VALUES ('rebuild')")

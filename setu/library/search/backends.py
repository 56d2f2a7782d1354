"""One search interface, two engines: SQLite FTS5 and PostgreSQL full-text search.

Both read the same pre-tokenised columns (``setu.algorithms.text``), apply the same
permission filter in SQL and order the same way — title hits first, then the newest — so a
query returns the same records in the same order on either database. An OpenSearch backend
would implement ``SearchBackend`` too (docs/library.md, "Scaling out").
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from setu.algorithms.text import QueryTerm, find_hits, index_text, query_terms, snippet
from setu.core.audience import audience_rank
from setu.core.i18n import localized
from setu.library.models import SearchEntry, SearchTerm
from setu.library.search.prefixes import record_vocabulary, resolve_prefixes
from setu.library.search.registry import IndexDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

logger = logging.getLogger(__name__)

# The indexed text of one record is capped: a 300-page report indexes its first ~150 pages.
MAX_INDEXED_CHARS = 400_000
# Snippets are cut from the start of the original text, kept on the index row.
SNIPPET_SOURCE_CHARS = 20_000
# Results are counted (and paged) up to this many; beyond, "1,000+".
MAX_RESULTS = 1000


@dataclass(frozen=True)
class IndexEntry:
    """One record for the index. A bulk load may tokenise in parallel beforehand and pass
    ``title_tokens`` and ``tokens`` (``setu.algorithms.text.index_text``) ready-made."""

    key: str
    source: str
    object_id: str
    document: IndexDocument
    title_tokens: str | None = None
    tokens: str | None = None


@dataclass(frozen=True)
class SearchFilters:
    sources: tuple[str, ...] = ()  # "library.document" or "library.document/market_brief"
    sector_ids: tuple[int, ...] = ()  # any of these (a focal sector expands to its codes)
    language: str = ""
    owner_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class SearchHit:
    key: str
    source: str
    object_id: str
    kind: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    url: str
    date: datetime
    language: str
    owner_id: int | None
    owner_name: str
    title_hit: bool


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int  # exact up to MAX_RESULTS
    terms: list[QueryTerm] = field(default_factory=list)
    more: bool = False  # more than MAX_RESULTS match: refine the query rather than page on


class SearchBackend(ABC):
    """The search interface every engine implements."""

    @abstractmethod
    def index(self, entries: Sequence[IndexEntry]) -> list[str]:
        """Add or replace ``entries``; return the keys that became shared just now."""

    @abstractmethod
    def remove(self, keys: Iterable[str]) -> None:
        """Drop these keys from the index (unknown keys are ignored)."""

    @abstractmethod
    def search(
        self,
        query: str,
        user: User | AnonymousUser,
        filters: SearchFilters | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """What ``user`` may read that matches ``query``, best first, with snippets."""

    def ensure_schema(self) -> None:  # noqa: B027  # optional for engines without DDL
        """Create or repair engine-side structures (idempotent)."""

    def clear(self) -> None:  # noqa: B027  # optional for engines that rebuild in place
        """Empty the index before a rebuild."""

    def optimize(self) -> None:  # noqa: B027  # optional: engines that merge segments
        """Tidy the engine's structures after a bulk load (merge, gather statistics)."""


def marked(pieces: Iterable[tuple[str, bool]]) -> SafeString:
    """Escape every piece, then wrap the hits in <mark>."""
    html = "".join(
        f"<mark>{escape(text)}</mark>" if hit else str(escape(text)) for text, hit in pieces
    )
    return mark_safe(html)  # noqa: S308  # every piece is escaped above


def marked_title(title: str, terms: Sequence[QueryTerm]) -> SafeString:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in find_hits(title, terms):
        pieces += [(title[position:start], False), (title[start:end], True)]
        position = end
    pieces.append((title[position:], False))
    return marked(pieces)


def _widened(row: SearchEntry, document: IndexDocument, old_readers: set[int]) -> bool:
    """Whether the record just reached people who could not read it before.

    Its ``shared_at`` then moves to now: digests and immediate emails tell the new readers
    (and, through SentNotification, nobody twice).
    """
    before = audience_rank(row.visibility) if row.pk else 0
    after = audience_rank(document.visibility)
    return after > before or bool(set(document.reader_ids) - old_readers)


ROW_FIELDS = [
    "key",
    "source",
    "object_id",
    "kind",
    "title_en",
    "title_ja",
    "title_hi",
    "text",
    "url",
    "date",
    "language",
    "owner",
    "owner__name_en",
    "owner__name_ja",
    "owner__name_hi",
]


class DatabaseBackend(SearchBackend):
    """Index rows in ``SearchEntry``; subclasses say how the database matches tokens."""

    # --- writing ------------------------------------------------------------------------

    def index(self, entries: Sequence[IndexEntry]) -> list[str]:
        if not entries:
            return []
        try:
            with transaction.atomic():
                return self._write(entries)
        except IntegrityError:  # another worker created one of these rows meanwhile
            with transaction.atomic():
                return self._write(entries)

    def _write(self, entries: Sequence[IndexEntry]) -> list[str]:
        now = timezone.now()
        by_key = {entry.key: entry for entry in entries}
        existing = {
            row.key: row
            for row in SearchEntry.objects.filter(key__in=by_key).only(
                "id", "key", "shared_at", "visibility"
            )
        }
        old_readers: dict[int, set[int]] = {}
        through = SearchEntry.readers.through
        for entry_id, org_id in through._default_manager.filter(
            searchentry_id__in=[row.pk for row in existing.values()]
        ).values_list("searchentry_id", "organisation_id"):
            old_readers.setdefault(entry_id, set()).add(org_id)
        created: list[SearchEntry] = []
        updated: list[SearchEntry] = []
        newly_shared: list[str] = []
        for key, entry in by_key.items():
            row = existing.get(key) or SearchEntry(key=key)
            shared_at = row.shared_at
            if _widened(row, entry.document, old_readers.get(row.pk, set())):
                shared_at = now
                newly_shared.append(key)
            self._fill(row, entry, shared_at)
            (updated if row.pk else created).append(row)
        fields = [
            "source", "object_id", "kind", "title_en", "title_ja", "title_hi", "text",
            "language", "url", "date", "owner_id", "managed_by_id", "visibility", "shared_at",
            "indexed_at", "title_tokens", "tokens",
        ]  # fmt: skip
        if updated:
            SearchEntry.objects.bulk_update(updated, fields, batch_size=200)
        if created:
            SearchEntry.objects.bulk_create(created, batch_size=200)
            if not all(row.pk for row in created):  # databases without RETURNING
                ids = dict(
                    SearchEntry.objects.filter(key__in=[r.key for r in created]).values_list(
                        "key", "id"
                    )
                )
                for row in created:
                    row.pk = ids[row.key]
        rows = [*updated, *created]
        self._write_relations(rows, by_key)
        record_vocabulary(text for row in rows for text in (row.title_tokens, row.tokens))
        return newly_shared

    @staticmethod
    def _fill(row: SearchEntry, entry: IndexEntry, shared_at: datetime | None) -> None:
        document = entry.document
        titles = {code: (document.title.get(code) or "")[:300] for code in ("en", "ja", "hi")}
        title_text = "\n".join(text for text in titles.values() if text)
        body = document.body[:MAX_INDEXED_CHARS]
        row.source = entry.source
        row.object_id = entry.object_id
        row.kind = document.kind[:40]
        row.title_en, row.title_ja, row.title_hi = titles["en"], titles["ja"], titles["hi"]
        row.text = body[:SNIPPET_SOURCE_CHARS]
        row.language = document.language[:8]
        row.url = document.url[:300]
        row.date = document.date
        row.owner_id = document.owner_id
        row.managed_by_id = document.managed_by_id
        row.visibility = document.visibility
        row.shared_at = shared_at
        row.indexed_at = timezone.now()
        row.title_tokens = (
            entry.title_tokens if entry.title_tokens is not None else index_text(title_text)
        )
        row.tokens = (
            entry.tokens if entry.tokens is not None else index_text(f"{title_text}\n{body}")
        )

    @staticmethod
    def _write_relations(rows: Sequence[SearchEntry], by_key: dict[str, IndexEntry]) -> None:
        ids = [row.pk for row in rows]
        relations = [
            (SearchEntry.readers.through, "organisation_id", "reader_ids"),
            (SearchEntry.organisations.through, "organisation_id", "organisation_ids"),
            (SearchEntry.sectors.through, "sector_id", "sector_ids"),
        ]
        for through, column, attribute in relations:
            through._default_manager.filter(searchentry_id__in=ids).delete()
            links = [
                through(searchentry_id=row.pk, **{column: value})
                for row in rows
                for value in sorted(set(getattr(by_key[row.key].document, attribute)))
            ]
            through._default_manager.bulk_create(links, batch_size=500)

    def remove(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if keys:
            SearchEntry.objects.filter(key__in=keys).delete()

    def clear(self) -> None:
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()

    # --- reading ------------------------------------------------------------------------

    @abstractmethod
    def match(self, terms: Sequence[QueryTerm], *, dense: bool = False) -> RawSQL:
        """A boolean SQL expression: the row holds every term.

        ``dense``: the terms match many rows, so the database should walk the rows newest
        first and test each, rather than collect every match and sort.
        """

    @abstractmethod
    def title_match(
        self, terms: Sequence[QueryTerm], *, dense: bool = False, negate: bool = False
    ) -> RawSQL:
        """A boolean SQL expression: the row's title holds every term (or not, ``negate``)."""

    def is_dense(self, terms: Sequence[QueryTerm], *, title: bool, wanted: int) -> bool:
        """Whether walking newest first beats sorting every match (see SQLiteBackend)."""
        return False

    def search(
        self,
        query: str,
        user: User | AnonymousUser,
        filters: SearchFilters | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """Title hits first, then the rest, each newest first; at most MAX_RESULTS counted.

        Three small queries instead of one that sorts every match: the page of title hits,
        if needed the page of the other hits, and a count that stops at MAX_RESULTS + 1.
        Only the ids of a page are read before its rows are fetched for snippets.
        """
        terms = query_terms(query)
        if not terms:
            return SearchResults([], 0, terms)
        terms = resolve_prefixes(terms)
        base = apply_filters(SearchEntry.objects.visible_to(user), filters or SearchFilters())
        wanted = offset + limit
        dense_title = self.is_dense(terms, title=True, wanted=wanted)
        title_ids = list(
            base.filter(self.title_match(terms, dense=dense_title))
            .order_by("-date", "-id")
            .values_list("id", flat=True)[:wanted]
        )
        page_ids = title_ids[offset:wanted]
        if len(title_ids) < wanted:
            dense = self.is_dense(terms, title=False, wanted=wanted)
            skip = max(0, offset - len(title_ids))
            body_ids = list(
                base.filter(self.match(terms, dense=dense))
                .filter(self.title_match(terms, dense=dense, negate=True))
                .order_by("-date", "-id")
                .values_list("id", flat=True)[skip : skip + limit - len(page_ids)]
            )
            page_ids += body_ids
        total = base.filter(self.match(terms))[: MAX_RESULTS + 1].count()
        rows = SearchEntry.objects.select_related("owner").only(*ROW_FIELDS).in_bulk(page_ids)
        title_set = set(title_ids)
        hits = [self._hit(rows[pk], terms, pk in title_set) for pk in page_ids if pk in rows]
        return SearchResults(hits, min(total, MAX_RESULTS), terms, total > MAX_RESULTS)

    @staticmethod
    def _hit(row: Any, terms: Sequence[QueryTerm], title_hit: bool) -> SearchHit:
        title = localized(row, "title") or row.key
        return SearchHit(
            key=row.key,
            source=row.source,
            object_id=row.object_id,
            kind=row.kind,
            title=title,
            title_html=marked_title(title, terms),
            snippet_html=marked(snippet(row.text, terms)),
            url=row.url,
            date=row.date,
            language=row.language,
            owner_id=row.owner_id,
            owner_name=str(row.owner) if row.owner_id and row.owner else "",
            title_hit=title_hit,
        )


def apply_filters(queryset: QuerySet[SearchEntry], filters: SearchFilters) -> QuerySet[SearchEntry]:
    if filters.sources:
        wanted = Q(pk__in=[])
        for name in filters.sources:
            source, _, kind = name.partition("/")
            wanted |= Q(source=source, kind=kind) if kind else Q(source=source)
        queryset = queryset.filter(wanted)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.owner_id is not None:
        queryset = queryset.filter(owner_id=filters.owner_id)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        queryset = queryset.filter(
            date__gte=timezone.make_aware(datetime.combine(filters.date_from, time.min), zone)
        )
    if filters.date_to:
        queryset = queryset.filter(
            date__lte=timezone.make_aware(datetime.combine(filters.date_to, time.max), zone)
        )
    if filters.sector_ids:
        through = SearchEntry.sectors.through
        queryset = queryset.filter(
            Exists(
                through._default_manager.filter(
                    searchentry_id=OuterRef("pk"), sector_id__in=filters.sector_ids
                )
            )
        )
    return queryset


BACKENDS = {
    "sqlite": "setu.library.search.sqlite.SQLiteBackend",
    "postgresql": "setu.library.search.postgres.PostgresBackend",
}


def get_backend() -> SearchBackend:
    """``SETU_SEARCH_BACKEND`` (a dotted path) if set, else the one for the database."""
    path = getattr(settings, "SETU_SEARCH_BACKEND", "") or BACKENDS.get(connection.vendor, "")
    if not path:
        raise ImproperlyConfigured(
            f"No search backend for the {connection.vendor} database; set SETU_SEARCH_BACKEND."
        )
    backend_class: type[SearchBackend] = import_string(path)
    return backend_class()

"""A paginator that stops counting at a cap ("10,000+ organisations", docs/decisions/0006),
and reaches deep pages by key rather than by OFFSET.

"Next" and "Previous" carry the id of the last (first) row shown: the next page
is read from the sort index where that row stands (``sort_name > key OR (sort_name = key AND
id > id)``), so page 500 costs what page 2 costs. The page number still travels in the link,
for the "Page 500" label; a page asked for by number alone is read with an OFFSET.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Q, QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# How long "this list has more rows than the cap" is remembered: the label then reads "10,000+"
# whatever the exact count, so only deletions bringing a list back under the cap show late.
CAPPED_SECONDS = 60


class CappedPage(Page):
    """A page of a list counted only up to the cap: whether a next page exists is known from
    one row more than the page shows, not from the total."""

    def __init__(
        self,
        rows: list[Any],
        number: int,
        paginator: CappedPaginator,
        *,
        has_more: bool,
        has_before: bool | None = None,
    ) -> None:
        super().__init__(rows, number, paginator)
        self.has_more = has_more
        self.has_before = number > 1 if has_before is None else has_before

    def has_next(self) -> bool:
        return self.has_more

    def has_previous(self) -> bool:
        return self.has_before

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1

    @property
    def next_anchor(self) -> Any:
        """The id the next page starts after, when it can be read by key (else None)."""
        paginator = self.paginator
        assert isinstance(paginator, CappedPaginator)
        return self.object_list[-1].pk if paginator.keyset_fields and self.object_list else None

    @property
    def previous_anchor(self) -> Any:
        """The id the previous page ends before; None when it is the first page (or the list
        cannot be read by key): its link is then a page number."""
        paginator = self.paginator
        assert isinstance(paginator, CappedPaginator)
        if not paginator.keyset_fields or not self.object_list or self.number <= 2:
            return None
        return self.object_list[0].pk


class CappedPaginator(Paginator):
    """``Paginator`` over a queryset whose count stops at ``cap`` + 1 rows.

    Up to ``cap`` rows it is Django's paginator, exact count and page total included. Beyond,
    ``is_capped`` is true, ``count`` is ``cap`` + 1 and the number of pages is unknown: a page
    fetches one row more than it shows to know whether another follows, so next and previous
    reach every page; ``get_page(..., after=id)`` / ``before=id`` read them by key.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Counting a slice counts in a subquery, without its ORDER BY and columns: it stops at
        # the cap instead of reading every row the reader may see.
        # A list known to pass the cap is not counted again for a minute: the count of 10,001
        # rows was the page's dearest query, and its answer ("10,000+") would not change.
        rows = self.object_list
        assert isinstance(rows, QuerySet)
        counted = rows.order_by().values("pk")[: self.cap + 1]
        key = _capped_key(counted)
        if key is None:  # a filter nothing can match: Django answers 0 without a query
            return counted.count()
        if cache.get(key):
            return self.cap + 1
        total = counted.count()
        if total > self.cap:
            cache.set(key, True, CAPPED_SECONDS)
        return total

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def keyset_fields(self) -> tuple[tuple[str, bool], ...]:
        """The ordering as (field, descending), when it can be read by key: every field in
        the same direction, the last the primary key (so that the key is unique). Else ()."""
        rows = self.object_list
        assert isinstance(rows, QuerySet)
        ordering = [str(field) for field in rows.query.order_by]
        if not ordering or ordering[-1].lstrip("-") not in ("id", "pk"):
            return ()
        fields = tuple((field.lstrip("-"), field.startswith("-")) for field in ordering)
        if len({descending for _, descending in fields}) != 1:
            return ()
        return fields

    def validate_number(self, number: Any) -> int:
        if not self.is_capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number: Any, *, after: Any = None, before: Any = None) -> Page:
        """The page, or the first for a number that is not one, or past the end the last
        page within the cap (the one after it holds at least one row).

        ``after`` / ``before``, the id of a row of the list, read the page that follows
        (precedes) it by key, when the list is sorted by a unique key; an id that is not one,
        or not in the list, falls back on the page number.
        """
        if self.keyset_fields:
            anchor, backwards = (after, False) if after not in (None, "") else (before, True)
            if anchor not in (None, "") and str(anchor).isdigit():
                page = self._keyset_page(int(anchor), backwards, _label(number))
                if page is not None:
                    return page
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def _get_page(self, *args: Any, **kwargs: Any) -> Page:
        """Pages under the cap too are CappedPages, so that their links go by key."""
        rows, number, _paginator = args
        return CappedPage(list(rows), number, self, has_more=number < self.num_pages)

    def page(self, number: Any) -> Page:
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def _keyset_page(self, anchor: int, backwards: bool, number: int) -> CappedPage | None:
        rows = self.object_list
        assert isinstance(rows, QuerySet)
        names = [f"keyset_{index}" for index in range(len(self.keyset_fields))]
        key = (
            rows.filter(pk=anchor)
            .annotate(
                **{n: F(field) for n, (field, _) in zip(names, self.keyset_fields, strict=True)}
            )
            .values_list(*names)
            .first()
        )  # the anchor as this reader sees it: a row they may not see is no anchor
        if key is None or any(value is None for value in key):
            return None
        descending = self.keyset_fields[0][1]
        # "after" in the list's own direction; "before" against it, read in reverse
        greater = descending == backwards
        queryset = rows.filter(self._beyond(key, greater))
        if backwards:
            queryset = queryset.reverse()
        found = list(queryset[: self.per_page + 1])
        if not backwards:
            if not found:
                return None
            return CappedPage(
                found[: self.per_page],
                max(number, 2),
                self,
                has_more=len(found) > self.per_page,
                has_before=True,
            )
        if len(found) <= self.per_page:
            return None  # the start of the list: page 1, read as such
        return CappedPage(
            list(reversed(found[: self.per_page])),
            max(number, 2),
            self,
            has_more=True,
            has_before=True,
        )

    def _beyond(self, key: tuple[Any, ...], greater: bool) -> Q:
        """Rows whose sort key comes after (``greater``) or before ``key``: a lexicographic
        comparison, led by a range on the first field that both planners read from the index."""
        op = "gt" if greater else "lt"
        fields = [field for field, _ in self.keyset_fields]
        strictly = Q()
        for index, field in enumerate(fields):
            equal = {name: key[i] for i, name in enumerate(fields[:index])}
            strictly |= Q(**equal, **{f"{field}__{op}": key[index]})
        return Q(**{f"{fields[0]}__{op}e": key[0]}) & strictly


def _label(number: Any) -> int:
    """The page number a link carries, for the label only; 2 when it is not a number."""
    try:
        return max(int(number), 2)
    except (TypeError, ValueError):
        return 2


def _capped_key(counted: QuerySet[Any]) -> str | None:
    """One cache key per count query: its SQL with the reader's visibility and filters."""
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:
        return None
    digest = hashlib.sha256(repr((counted.db, sql, params)).encode()).hexdigest()[:32]
    return f"directory:capped:{digest}"

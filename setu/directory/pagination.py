"""A paginator that stops counting at a cap: "10,000+ organisations" (docs/decisions/0006)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPage(Page):
    """A page of a list counted only up to the cap: whether a next page exists is known from
    one row more than the page shows, not from the total."""

    def __init__(
        self, rows: list[Any], number: int, paginator: CappedPaginator, *, has_more: bool
    ) -> None:
        super().__init__(rows, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class CappedPaginator(Paginator):
    """``Paginator`` over a queryset whose count stops at ``cap`` + 1 rows.

    Up to ``cap`` rows it is Django's paginator, exact count and page total included. Beyond,
    ``is_capped`` is true, ``count`` is ``cap`` + 1 and the number of pages is unknown: a page
    fetches one row more than it shows to know whether another follows, so next and previous
    reach every page.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Counting a slice counts in a subquery, without its ORDER BY and columns: it stops at
        # the cap instead of reading every row the reader may see.
        rows = self.object_list
        assert isinstance(rows, QuerySet)
        return rows.order_by().values("pk")[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

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

    def get_page(self, number: Any) -> Page:
        """The page, or the first for a number that is not one, or past the end the last
        page within the cap (the one after it holds at least one row)."""
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number: Any) -> Page:
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

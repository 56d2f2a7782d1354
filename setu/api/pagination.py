"""Cursor pagination over whitelisted orderings.

A list is ordered by one whitelisted field (ascending, or descending with "-") and then by id,
and a page continues strictly after the last row of the one before: keyset pagination, so a
page costs the same at row 50 as at row 100,000 and rows added meanwhile neither repeat nor
vanish. The cursor is opaque to clients: the ordering, the last row's value and id, signed so
that an edited cursor is refused (400) rather than trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext as _
from pydantic import create_model

from setu.api.errors import ApiError

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_SALT = "setu.api.cursor"


@dataclass(frozen=True)
class Page(Generic[M]):
    results: list[M]
    next: str | None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _bad_cursor() -> ApiError:
    return ApiError(
        400,
        _("This cursor is not valid: start again from the first page."),
        errors=[("query.cursor", _("Use the cursor of the previous answer, unchanged."))],
    )


def _bad_ordering(allowed: Sequence[str]) -> ApiError:
    choices = ", ".join(sorted({*allowed, *(f"-{name}" for name in allowed)}))
    return ApiError(
        400,
        _("This list cannot be ordered that way."),
        errors=[("query.ordering", _("Choose one of: %(choices)s.") % {"choices": choices})],
    )


def paginate(
    queryset: QuerySet[M],
    *,
    ordering: str,
    orderings: Mapping[str, str | Callable[[], str]],
    cursor: str | None,
    limit: int,
) -> Page[M]:
    """One page of ``queryset``. ``orderings`` maps a public name to a non-null model field
    (or a function giving the field, e.g. the name column of the reader's language)."""
    descending = ordering.startswith("-")
    name = ordering.removeprefix("-")
    if name not in orderings:
        raise _bad_ordering(list(orderings))
    target = orderings[name]
    column = target() if callable(target) else target
    direction = "-" if descending else ""
    # the value is annotated: a list that loads only some columns (``only``) still has it
    ordered: QuerySet[Any] = queryset.annotate(cursor_value=F(column)).order_by(
        f"{direction}{column}", f"{direction}pk"
    )
    if cursor:
        try:
            state = signing.loads(cursor, salt=_SALT)
            assert state["o"] == ordering and state["f"] == column
            value, last_pk = state["v"], int(state["k"])
        except (signing.BadSignature, KeyError, TypeError, ValueError, AssertionError):
            raise _bad_cursor() from None
        after = "lt" if descending else "gt"
        # Led by ``column >= value`` (``<=`` descending), which the rest implies: the OR alone
        # is no index range to PostgreSQL, which then reads the index from its start and
        # filters every row before the cursor (docs/decisions/0027).
        ordered = ordered.filter(
            Q(**{f"{column}__{after}e": value}),
            Q(**{f"{column}__{after}": value}) | Q(**{column: value, f"pk__{after}": last_pk}),
        )
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(ordered[: limit + 1])
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        last: Any = rows[-1]
        following = cursor_after(ordering, column, last.cursor_value, last.pk)
    return Page(results=rows, next=following)


def cursor_after(ordering: str, column: str, value: Any, pk: Any) -> str:
    """The cursor of the page that follows the row (``value`` in ``column``, ``pk``)."""
    return signing.dumps(
        {"o": ordering, "f": column, "v": _plain(value), "k": pk}, salt=_SALT, compress=True
    )


def page_schema(item: type[Any], name: str) -> type[Any]:
    """The envelope of a list: ``{"results": [...], "next": cursor or null}``."""
    from ninja import Schema

    return create_model(name, __base__=Schema, results=(list[item], ...), next=(str | None, None))  # type: ignore[valid-type]

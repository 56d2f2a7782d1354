"""Monthly arrival figures: the CSV import and the figures a chart reads.

The file is the national statistics' table, one row per region, month and country of
residence::

    region,year,month,country,visitors
    JP-22,2026,4,IN,1830

Every row is checked before anything is written; one wrong row refuses the whole file and
each error names its row (the header is row 1) and its column. Importing a month again
replaces its figure: the rows are upserted on (region, year, month, country) in batches, one
statement per batch, inside one transaction (docs/decisions/0025).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router, transaction
from django.utils.translation import gettext as _

from setu.directory.models import Region
from setu.tourism.models import ArrivalFigure

HEADER = ["region", "year", "month", "country", "visitors"]
BATCH = 5000
PG_BATCH = 10_000
MAX_ERRORS = 20
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


def _error(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def _whole_number(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"-?\d+", text):
        return None
    return int(text)


def parse_rows(lines: Iterable[str], regions: set[str]) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The rows as ``(region, year, month, country, visitors)``, or the errors found."""
    reader = csv.reader(lines)
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header != HEADER:
        return [], [_("Row 1: the header must be “%(expected)s”.") % {"expected": ",".join(HEADER)}]
    rows: list[tuple[Any, ...]] = []
    errors: list[str] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(HEADER):
            errors.append(
                _("Row %(row)s: %(found)s columns, expected %(expected)s.")
                % {"row": number, "found": len(cells), "expected": len(HEADER)}
            )
            continue
        region, year_text, month_text, country, visitors_text = cells
        region, country = region.strip().upper(), country.strip().upper()
        year_text, month_text = year_text.strip(), month_text.strip()
        visitors_text = visitors_text.strip()
        # The common case costs no regular expression: digits only, in range, not seen.
        if (
            region in regions
            and year_text.isdigit()
            and month_text.isdigit()
            and visitors_text.isdigit()
            and len(country) == 2
            and country.isascii()
            and country.isalpha()
        ):
            year, month = int(year_text), int(month_text)
            if 1900 <= year <= 2200 and 1 <= month <= 12:
                key = (region, year, month, country)
                if key not in seen:
                    seen[key] = number
                    rows.append((*key, int(visitors_text)))
                    continue
                errors.append(
                    _error(
                        number,
                        "region",
                        _("the same region, month and country as row %s.") % seen[key],
                    )
                )
                continue
        found = (region, year_text, month_text, country, visitors_text)
        errors += _row_errors(number, found, regions)
        if len(errors) >= MAX_ERRORS:
            break
    return rows, errors


def _row_errors(number: int, cells: tuple[str, ...], regions: set[str]) -> list[str]:
    """What is wrong with one row, column by column (the header is row 1)."""
    region, year_text, month_text, country, visitors_text = cells
    errors = []
    if region not in regions:
        errors.append(_error(number, "region", _("unknown region “%s”.") % region))
    year = _whole_number(year_text)
    if year is None or not 1900 <= year <= 2200:
        errors.append(_error(number, "year", _("“%s” is not a year.") % year_text))
    month = _whole_number(month_text)
    if month is None or not 1 <= month <= 12:
        errors.append(_error(number, "month", _("“%s” is not a month (1 to 12).") % month_text))
    if not _COUNTRY.match(country):
        errors.append(
            _error(
                number,
                "country",
                _("“%s” is not a two-letter country code (ISO 3166-1).") % country,
            )
        )
    visitors = _whole_number(visitors_text)
    if visitors is None or visitors < 0:
        errors.append(
            _error(
                number,
                "visitors",
                _("“%s” is not a number of visitors (0 or more).") % visitors_text,
            )
        )
    return errors


def arrivals_import(*, data: str | io.TextIOBase, sample: bool = False) -> ImportResult:
    """Check every row, then upsert them all in one transaction; nothing when a row is wrong."""
    lines = io.StringIO(data) if isinstance(data, str) else data
    regions = set(Region.objects.values_list("code", flat=True))
    rows, errors = parse_rows(lines, regions)
    if errors:
        return ImportResult(errors=errors)
    _upsert([(*row, sample) for row in rows])
    return ImportResult(imported=len(rows))


def _upsert(rows: list[tuple[Any, ...]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE, in one transaction, without a model instance per row
    (building them cost more than the database's work; docs/decisions/0025). PostgreSQL gets
    the rows as one array per column (``unnest``), 10,000 rows a statement; SQLite, whose
    ``executemany`` loops in C within the process, gets one row per execution."""
    database = router.db_for_write(ArrivalFigure)
    connection = connections[database]
    quote = connection.ops.quote_name
    table = quote(ArrivalFigure._meta.db_table)
    columns = ["region_id", "year", "month", "country", "visitors", "is_sample"]
    names = ", ".join(quote(c) for c in columns)
    conflict = (
        f"ON CONFLICT ({', '.join(quote(c) for c in columns[:4])}) DO UPDATE SET "
        f"{quote('visitors')} = EXCLUDED.{quote('visitors')}, "
        f"{quote('is_sample')} = EXCLUDED.{quote('is_sample')}"
    )
    with transaction.atomic(using=database), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = ("varchar", "smallint", "smallint", "varchar", "integer", "boolean")
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}"  # noqa: S608  # names quoted, values bound
            for start in range(0, len(rows), PG_BATCH):
                batch = rows[start : start + PG_BATCH]
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
        else:
            values = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({values}) {conflict}"  # noqa: S608  # names quoted, values bound
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])


@dataclass(frozen=True)
class MonthRow:
    month: int
    indian: int | None
    indian_last_year: int | None
    total: int | None

    @property
    def share(self) -> float | None:
        """Indian visitors as a percentage of all visitors that month."""
        if self.indian is None or not self.total:
            return None
        return round(100 * self.indian / self.total, 1)


def arrivals_year(*, region_ids: list[str], year: int, country: str = "IN") -> list[MonthRow]:
    """Twelve months of ``year`` in these regions together: the country's visitors, last
    year's, and all visitors. One query."""
    from django.db.models import Sum

    rows = (
        ArrivalFigure.objects.filter(region_id__in=region_ids, year__in=(year, year - 1))
        .order_by()
        .values("year", "month", "country")
        .annotate(n=Sum("visitors"))
    )
    indian: dict[tuple[int, int], int] = {}
    total: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row["year"], row["month"])
        total[key] = total.get(key, 0) + row["n"]
        if row["country"] == country:
            indian[key] = row["n"]
    return [
        MonthRow(
            month=month,
            indian=indian.get((year, month)),
            indian_last_year=indian.get((year - 1, month)),
            total=total.get((year, month)),
        )
        for month in range(1, 13)
    ]


def latest_year(region_ids: list[str], *, until: int | None = None) -> int | None:
    """The latest year with figures for these regions (up to ``until``)."""
    figures = ArrivalFigure.objects.filter(region_id__in=region_ids)
    if until is not None:
        figures = figures.filter(year__lte=until)
    return figures.order_by("-year").values_list("year", flat=True).first()

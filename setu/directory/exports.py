"""Export a filtered organisation or people list as CSV (streamed) or XLSX, with chosen columns.

The rows come from the same selectors and filter forms as the list pages, so an export holds
exactly what the reader may see there. Columns shared with the import (kind, name_en, country,
region, city, sectors, visibility ...) hold values the import reads back.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from setu.core.spreadsheets import formula_safe
from setu.directory.models import Organisation, Person, Sector

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportColumn:
    key: str
    label: Promise
    value: Callable[[Any], Any]
    width: int = 16
    default: bool = False


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _name(obj: Any) -> str:
    return str(obj) if obj is not None else ""


ORGANISATION_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("id", _("Id"), lambda o: o.pk, 8, True),
    ExportColumn("name", _("Name"), lambda o: o.display_name, 36, True),
    ExportColumn("kind", _("Kind"), lambda o: o.kind, 14, True),
    ExportColumn("name_en", _("Name (English)"), lambda o: o.name_en, 36),
    ExportColumn("name_ja", _("Name (Japanese)"), lambda o: o.name_ja, 30),
    ExportColumn("name_ja_kana", _("Reading (kana)"), lambda o: o.name_ja_kana, 30),
    ExportColumn("name_hi", _("Name (Hindi)"), lambda o: o.name_hi, 30),
    ExportColumn("country", _("Country"), lambda o: o.country, 8, True),
    ExportColumn("region", _("Region code"), lambda o: o.region_id or "", 10, True),
    ExportColumn("region_name", _("Region"), lambda o: _name(o.region), 20),
    ExportColumn("city", _("City"), lambda o: _name(o.city), 18, True),
    ExportColumn("website", _("Website"), lambda o: o.website, 32, True),
    ExportColumn("employees", _("Employees"), lambda o: o.employees, 11, True),
    ExportColumn("capital", _("Capital"), lambda o: o.capital, 16),
    ExportColumn("capital_currency", _("Currency"), lambda o: o.capital_currency, 9),
    ExportColumn("sme_industry", _("Industry group (SME Basic Act)"), lambda o: o.sme_industry),
    ExportColumn("is_sme", _("SME"), lambda o: _yes_no(o.is_sme), 6, True),
    ExportColumn(
        "sectors",
        _("Sectors (ISIC)"),
        lambda o: "; ".join(s.code for s in o.sectors.all()),
        18,
        True,
    ),
    ExportColumn("offers", _("Offers"), lambda o: o.offers, 40),
    ExportColumn("needs", _("Needs"), lambda o: o.needs, 40),
    ExportColumn("managed_by", _("Managed by"), lambda o: _name(o.managed_by), 20, True),
    ExportColumn("visibility", _("Visibility"), lambda o: o.visibility, 12),
    ExportColumn("updated_at", _("Last changed"), lambda o: timezone.localdate(o.updated_at), 12),
)
PERSON_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("id", _("Id"), lambda p: p.pk, 8, True),
    ExportColumn("name_latin", _("Name (Latin script)"), lambda p: p.name_latin, 28, True),
    ExportColumn("name_native", _("Name (native script)"), lambda p: p.name_native, 20, True),
    ExportColumn("title", _("Title"), lambda p: p.title, 24, True),
    ExportColumn(
        "organisation",
        _("Organisation"),
        # blank when the reader may not see the organisation (selectors.person_list)
        lambda p: _name(p.organisation) if getattr(p, "organisation_visible", True) else "",
        32,
        True,
    ),
    ExportColumn("organisation_id", _("Organisation id"), lambda p: p.organisation_id, 10),
    ExportColumn("email", _("Email"), lambda p: p.email, 30, True),
    ExportColumn("phone", _("Phone"), lambda p: p.phone, 16, True),
    ExportColumn("preferred_language", _("Language"), lambda p: p.preferred_language, 9, True),
    ExportColumn("visibility", _("Visibility"), lambda p: p.visibility, 12),
    ExportColumn("owner", _("Kept by"), lambda p: _name(p.owner), 20),
)
CONTACT_COLUMNS = frozenset({"email", "phone"})
COLUMNS = {"organisations": ORGANISATION_COLUMNS, "people": PERSON_COLUMNS}


class ExportForm(forms.Form):
    """Which columns, in which format. ``columns`` may repeat or be comma-separated."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", _("Excel (XLSX)")), ("csv", _("CSV (UTF-8)"))],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, target: str, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            data.setlist(
                "columns",
                [key.strip() for value in data.getlist("columns") for key in value.split(",")],
            )
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        self.available = COLUMNS[target]
        field = self.fields["columns"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(column.key, column.label) for column in self.available]
        field.initial = [column.key for column in self.available if column.default]

    def chosen(self) -> list[ExportColumn]:
        """The chosen columns in their standard order; the defaults when none were ticked."""
        keys = set(self.cleaned_data["columns"] or self.fields["columns"].initial)
        return [column for column in self.available if column.key in keys]


def organisation_rows(queryset: Any, columns: Sequence[ExportColumn]) -> Iterator[Organisation]:
    """The filtered organisations with what the chosen columns read, in a fixed few queries."""
    keys = {column.key for column in columns}
    queryset = queryset.select_related("region", "managed_by", "city")
    if "sectors" in keys:
        queryset = queryset.prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.only("code").order_by("code"))
        )
    return iter(queryset.iterator(chunk_size=CHUNK_SIZE))


def person_rows(queryset: Any) -> Iterator[Person]:
    return iter(queryset.select_related("organisation", "owner").iterator(chunk_size=CHUNK_SIZE))


def cells(
    obj: Any, columns: Sequence[ExportColumn], hidden: frozenset[str] = frozenset()
) -> list[Any]:
    return ["" if column.key in hidden else column.value(obj) for column in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(columns: Sequence[ExportColumn], rows: Iterable[list[Any]]) -> Iterator[str]:
    """UTF-8 with a BOM, so that Excel opens Japanese and Hindi text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.key for column in columns])
    for row in rows:
        yield writer.writerow([formula_safe(value) for value in row])


def xlsx_file(
    columns: Sequence[ExportColumn], rows: Iterable[list[Any]], *, title: str
) -> IO[bytes]:
    """A write-only workbook (rows go straight to disk) with a bold, frozen header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.key)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115  # returned
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    return cell

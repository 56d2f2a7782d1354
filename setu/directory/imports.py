"""Import organisations and people from a CSV or XLSX file: read, check every row, commit.

``batch_prepare`` reads an upload (by its content, never its name), checks each row against the
reference data and what the importer may see, and stores the result as an ``ImportBatch``: the
preview. ``batch_commit`` checks the rows again and saves them all in one transaction, or
nothing. Problems are stored as codes with parameters and worded when shown, so the preview
speaks the reader's language even after a reload. Column formats: docs/directory-import.md.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import openpyxl
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import STAFF_ROLES
from setu.algorithms.names import name_tokens, normalise_name
from setu.core import audit, audit_chain
from setu.core.access import acting_organisation
from setu.core.bidi import normalise_titles
from setu.core.models import AuditEntry, Visibility
from setu.core.principal import principal_for
from setu.directory.focal import update_focal_groups
from setu.directory.forms import normalise_phone
from setu.directory.models import (
    City,
    ImportBatch,
    NameToken,
    Organisation,
    Person,
    Region,
    Sector,
    SectorCode,
)
from setu.directory.services import AUDITED_ORGANISATION_FIELDS, AUDITED_PERSON_FIELDS
from setu.directory.sme import is_sme

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from setu.accounts.models import User

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100
MAX_XLSX_UNPACKED = 100 * 1024 * 1024  # a small zip may unpack to gigabytes of XML
ORGANISATIONS, PEOPLE = "organisations", "people"

# --- reading the file ------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing is stored. ``str()`` words it now."""

    def __init__(self, message: Promise | str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


NOT_A_TABLE = _(
    "This is not a CSV or XLSX file. Save the spreadsheet as “CSV UTF-8” or as an Excel "
    "workbook (.xlsx) and upload it again."
)
# Magic numbers of files people upload by mistake: programs, PDFs, images, archives.
_NOT_TABLES = (b"MZ", b"%PDF", b"\x7fELF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")
_CP932_LONE_BYTES = re.compile("[\x80\uf8f0-\uf8f3]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in UTF-8/CP932 text


@dataclass
class Table:
    """The header as written and the non-blank rows under it, numbered as the sheet shows."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(data: bytes) -> Table:
    """The first sheet of an XLSX, or a CSV in UTF-8 (with or without BOM) or CP932."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s MB."), limit=MAX_BYTES >> 20)
    if data.startswith(b"PK\x03\x04"):
        return _table(_xlsx_records(data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. Save it as "
                "an Excel workbook (.xlsx) without a password, or as CSV."
            )
        )
    if data.startswith(_NOT_TABLES) or _CONTROL_BYTES.search(data):
        raise ImportFileError(NOT_A_TABLE)
    return _table(_csv_records(_decode(data)))


def _decode(data: bytes) -> str:
    """UTF-8 first (Excel's "CSV UTF-8" starts with a BOM), then Japanese Excel's CP932."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        text = ""
    # Python's CP932 maps the lone bytes 0x80, 0xA0 and 0xFD-0xFF, which Excel never writes.
    if text and not _CP932_LONE_BYTES.search(text):
        return text
    raise ImportFileError(
        _(
            "The file is neither UTF-8 nor Shift_JIS (CP932) text. In Excel choose "
            "“Save as” → “CSV UTF-8” and upload it again."
        )
    )


def _csv_records(text: str) -> Iterable[tuple[int, list[str]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A record is one spreadsheet row even when a quoted cell spans several lines.
        for number, cells in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in cells[:MAX_COLUMNS]]
    except csv.Error as error:
        raise ImportFileError(NOT_A_TABLE) from error


def _xlsx_records(data: bytes) -> Iterable[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file
        raise ImportFileError(
            _("The Excel file could not be read: it may be damaged or password-protected.")
        ) from error
    if unpacked > MAX_XLSX_UNPACKED or not workbook.worksheets:
        workbook.close()
        raise ImportFileError(NOT_A_TABLE)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS * 4:  # blank formatted rows count too; stop somewhere
                raise _too_many_rows()
            yield number, [_cell_text(value) for value in values[:MAX_COLUMNS]]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps 120 employees as 120.0
    return str(value).strip()


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files."), limit=MAX_ROWS
    )


def _table(records: Iterable[tuple[int, list[str]]]) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in records:
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no rows under it."))
    return Table(header, rows)


# --- columns ---------------------------------------------------------------------------------


def _key(text: str) -> str:
    """Header and value spelling that does not matter: case, width, spaces, hyphens."""
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip().casefold())


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...] = ()


ORGANISATION_COLUMNS = (
    Column("kind", ("種別", "区分")),
    Column("name_en", ("英語名称", "英文名称", "名称(英語)")),
    Column("name_ja", ("名称", "日本語名称", "名称(日本語)", "企業名", "会社名")),
    Column("name_ja_kana", ("フリガナ", "ふりがな", "名称カナ", "読み")),
    Column("name_hi", ("ヒンディー語名称", "名称(ヒンディー語)")),
    Column("country", ("国",)),
    Column("region", ("都道府県・州", "都道府県", "地域")),
    Column("city", ("都市", "市区町村")),
    Column("website", ("ウェブサイト", "ホームページ", "url")),
    Column("employees", ("従業員数",)),
    Column("capital", ("資本金",)),
    Column("capital_currency", ("通貨", "資本金通貨")),
    Column("sme_industry", ("業種区分", "中小企業業種")),
    Column("sectors", ("業種コード", "業種")),
    Column("offers", ("提供できるもの", "強み")),
    Column("needs", ("ニーズ", "求めるもの")),
    Column("visibility", ("公開範囲",)),
)
PERSON_COLUMNS = (
    Column("organisation", ("組織", "所属", "所属組織", "organization")),
    Column("name_latin", ("氏名(ローマ字)", "ローマ字氏名")),
    Column("name_native", ("氏名", "氏名(漢字)")),
    Column("title", ("役職",)),
    Column("email", ("メール", "メールアドレス", "eメール", "e_mail")),
    Column("phone", ("電話", "電話番号")),
    Column("preferred_language", ("希望言語", "言語")),
    Column("visibility", ("公開範囲",)),
)
COLUMNS = {ORGANISATIONS: ORGANISATION_COLUMNS, PEOPLE: PERSON_COLUMNS}
# Each inner tuple: at least one of these columns must be present.
REQUIRED = {
    ORGANISATIONS: (("name_en", "name_ja", "name_hi"), ("country", "region")),
    PEOPLE: (("organisation",), ("name_latin",)),
}


def map_header(target: str, header: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    """``{position: column key}`` for the known columns, and the unknown headers."""
    lookup = {_key(alias): column.key for column in COLUMNS[target] for alias in column.aliases}
    lookup.update({_key(column.key): column.key for column in COLUMNS[target]})
    positions: dict[int, str] = {}
    unknown: list[str] = []
    for position, name in enumerate(header):
        key = lookup.get(_key(name))
        if key is None:
            if name:
                unknown.append(name)
        elif key in positions.values():
            raise ImportFileError(_("The column %(column)s appears twice."), column=name)
        else:
            positions[position] = key
    missing = [
        " / ".join(group) for group in REQUIRED[target] if not set(group) & {*positions.values()}
    ]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s."), columns=", ".join(missing)
        )
    return positions, unknown


# --- problems --------------------------------------------------------------------------------

MESSAGES: dict[str, Promise] = {
    "required": _("a value is required"),
    "too_long": _("longer than %(limit)s characters"),
    "name_missing": _("give a name in at least one language (name_en, name_ja or name_hi)"),
    "choice": _("“%(value)s” is not one of: %(choices)s"),
    "kind": _("“%(value)s” is not a kind you can import; use company, academic, agency or chamber"),
    "country": _("“%(value)s” is not a country we know; use JP or IN"),
    "region_unknown": _("no region has the code “%(value)s” (use ISO 3166-2, e.g. JP-19)"),
    "region_country": _("region %(value)s is not in %(country)s"),
    "city_unknown": _("no city has the key or name “%(value)s”"),
    "city_country": _("city %(value)s is not in %(country)s"),
    "sector_unknown": _("unknown sector code “%(value)s”"),
    "website": _("not a web address"),
    "number": _("“%(value)s” is not a whole number of 0 or more"),
    "email": _("not an email address"),
    "phone": _("“%(value)s” is not a phone number we can read; write it with the country code"),
    "duplicate_row": _("the same organisation as row %(other)s"),
    "duplicate_email": _("the same email address as row %(other)s"),
    "exists": _(
        "“%(name)s” is already in the directory (id %(id)s); link to it instead of importing it"
    ),
    "organisation_unknown": _("no organisation you can see has the id or English name “%(value)s”"),
    "organisation_ambiguous": _("several organisations are called “%(value)s”; give the id"),
    "unknown_column": _("not a column we know; it is ignored"),
}


def issue_text(issue: dict[str, Any], *, with_row: bool = True) -> str:
    """One stored problem, worded in the active language."""
    template = MESSAGES.get(issue["code"])  # a code from an older release reads as itself
    message = str(template) % issue.get("params", {}) if template else issue["code"]
    if issue.get("row") is None or not with_row:
        return gettext("column %(column)s: %(message)s") % {
            "column": issue["column"],
            "message": message,
        }
    return gettext("row %(row)s, column %(column)s: %(message)s") % {
        "row": issue["row"],
        "column": issue["column"],
        "message": message,
    }


def has_errors(issues: Iterable[dict[str, Any]]) -> bool:
    return any(issue.get("level") == "error" for issue in issues)


@dataclass
class _Row:
    """One row being checked: reads cells by column key and collects its problems."""

    number: int
    cells: dict[str, str]
    labels: dict[str, str]
    issues: list[dict[str, Any]]

    def error(self, key: str, code: str, **params: Any) -> None:
        self.issues.append(
            {
                "row": self.number,
                "column": self.labels.get(key, key),
                "code": code,
                "params": params,
                "level": "error",
            }
        )

    def text(self, key: str, limit: int) -> str:
        value = unicodedata.normalize("NFC", self.cells.get(key, "").strip())
        if len(value) > limit:
            self.error(key, "too_long", limit=limit)
            return ""
        return value

    def choice(self, key: str, choices: dict[str, str], default: str, code: str = "") -> str:
        """A value given as its code or one of its aliases; ``choices``: alias → code."""
        raw = self.cells.get(key, "").strip()
        if not raw:
            return default
        value = choices.get(_key(raw))
        if value is None:
            if code:
                self.error(key, code, value=raw)
            else:
                codes = ", ".join(sorted(set(choices.values())))
                self.error(key, "choice", value=raw, choices=codes)
            return default
        return value

    def whole_number(self, key: str, max_digits: int) -> int | None:
        raw = unicodedata.normalize("NFKC", self.cells.get(key, "")).replace(",", "").strip()
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value != value.to_integral_value():
            self.error(key, "number", value=self.cells[key])
            return None
        if len(str(int(value))) > max_digits:
            self.error(key, "too_long", limit=max_digits)
            return None
        return int(value)


def _aliases(pairs: dict[str, Sequence[str]]) -> dict[str, str]:
    return {_key(alias): code for code, aliases in pairs.items() for alias in (code, *aliases)}


VISIBILITY = _aliases(
    {
        "private": ("非公開",),
        "consortium": ("コンソーシアム",),
        "partners": ("パートナー",),
        "public": ("公開",),
    }
)
KINDS = _aliases(
    {
        "company": ("企業", "会社"),
        "academic": ("大学", "学術機関"),
        "agency": ("行政機関", "政府機関"),
        "chamber": ("商工会議所", "団体", "経済団体"),
    }
)
COUNTRIES = _aliases({"JP": ("japan", "jpn", "日本"), "IN": ("india", "ind", "インド")})
CURRENCIES = _aliases({"JPY": ("円", "yen"), "INR": ("rupee", "ルピー"), "USD": ("ドル",)})
SME_INDUSTRIES = _aliases(
    {
        "manufacturing": ("製造業",),
        "wholesale": ("卸売業",),
        "services": ("サービス業",),
        "retail": ("小売業",),
    }
)
LANGUAGES = _aliases(
    {"en": ("english", "英語"), "ja": ("japanese", "日本語"), "hi": ("hindi", "ヒンディー語")}
)
_URL = forms.URLField(assume_scheme="https", max_length=200)


# --- organisations ---------------------------------------------------------------------------


@dataclass
class _Reference:
    """Regions, cities and sector codes, read once per check."""

    regions: dict[str, str] = field(default_factory=dict)  # code → country
    cities: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # spelling → (key, c)
    isic: set[str] = field(default_factory=set)
    national: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Reference:
        reference = cls()
        reference.regions = dict(Region.objects.values_list("code", "country"))
        for key, country, *names in City.objects.values_list(
            "key", "country", "name_en", "name_ja", "name_hi"
        ):
            names.append(names[1].removesuffix("市"))  # 甲府市 is written 甲府 too
            for spelling in {_key(key), *map(_key, names)} - {""}:
                reference.cities.setdefault(spelling, []).append((key, country))
        reference.isic = set(Sector.objects.filter(level="division").values_list("code", flat=True))
        for scheme, code, isic in SectorCode.objects.filter(sectors__level="division").values_list(
            "scheme", "code", "sectors__code"
        ):
            reference.national.setdefault((scheme, code), []).append(isic)
        return reference

    def sectors(self, row: _Row) -> list[str]:
        """ISIC division codes from "25; JSIC:29; NIC:62"."""
        raw = unicodedata.normalize("NFKC", row.cells.get("sectors", ""))
        codes: list[str] = []
        for token in filter(None, (part.strip() for part in re.split(r"[;,、]", raw))):
            scheme, _sep, code = token.rpartition(":")
            scheme = {"jsic": "jsic", "nic": "nic2008", "isic": "", "": ""}.get(
                scheme.strip().casefold(), "?"
            )
            code = code.strip().upper()
            if code.isdigit() and len(code) == 1:
                code = f"0{code}"  # Excel turns "01" into 1
            found = [code] if scheme == "" and code in self.isic else []
            found = found or self.national.get((scheme, code), [])
            if not found:
                row.error("sectors", "sector_unknown", value=token)
            codes.extend(found)
        return sorted(set(codes))


def _check_organisation(row: _Row, reference: _Reference) -> dict[str, Any]:
    kind = row.choice("kind", KINDS, "company", code="kind")
    names = {key: row.text(key, 200) for key in ("name_en", "name_ja", "name_hi")}
    if not any(names.values()):
        row.error("name_en", "name_missing")
    region = row.cells.get("region", "").strip().upper()
    if region and region not in reference.regions:
        row.error("region", "region_unknown", value=row.cells["region"])
        region = ""
    country = row.choice("country", COUNTRIES, reference.regions.get(region, ""), code="country")
    if not row.cells.get("country", "").strip() and not row.cells.get("region", "").strip():
        row.error("country", "required")
    if region and country and reference.regions[region] != country:
        row.error("region", "region_country", value=region, country=country)
    city = ""
    if raw_city := row.cells.get("city", "").strip():
        matches = reference.cities.get(_key(raw_city), [])
        in_country = [key for key, city_country in matches if city_country == country]
        if not matches:
            row.error("city", "city_unknown", value=raw_city)
        elif not in_country:
            row.error("city", "city_country", value=raw_city, country=country)
        else:
            city = in_country[0]
    website = ""
    if raw_site := row.cells.get("website", "").strip():
        try:
            website = _URL.clean(raw_site)
        except ValidationError:
            row.error("website", "website")
    employees = row.whole_number("employees", 9)
    capital = row.whole_number("capital", 16)
    default_currency = "INR" if country == "IN" else "JPY"
    currency = row.choice("capital_currency", CURRENCIES, default_currency)
    industry = row.choice("sme_industry", SME_INDUSTRIES, "")
    first_name = names["name_en"] or names["name_ja"] or names["name_hi"]
    if country == "JP" and names["name_ja"]:
        original = "ja"
    elif names["name_en"]:
        original = "en"
    else:
        original = "hi" if names["name_hi"] and not names["name_ja"] else "ja"
    return {
        "kind": kind,
        **names,
        "name_ja_kana": row.text("name_ja_kana", 200),
        "original_language": original,
        "country": country,
        "region": region,
        "city": city,
        "website": website,
        "employees": employees,
        "capital": capital,
        "capital_currency": currency,
        "sme_industry": industry,
        "sectors": reference.sectors(row),
        "offers": row.text("offers", 5000),
        "needs": row.text("needs", 5000),
        "visibility": row.choice("visibility", VISIBILITY, Visibility.PARTNERS),
        "name_key": normalise_name(first_name)[:300],
        "is_sme": _sme(country, industry, capital, currency, employees),
    }


def _sme(country: str, industry: str, capital: int | None, currency: str, staff: int | None) -> Any:
    """As ``services.organisation_refresh_derived`` decides it (a test keeps the two equal)."""
    if country != "JP":
        return None
    return is_sme(
        industry=industry, capital_jpy=capital if currency == "JPY" else None, employees=staff
    )


def check_organisations(rows: list[_Row], user: User) -> list[dict[str, Any]]:
    reference = _Reference.load()
    checked = [_check_organisation(row, reference) for row in rows]
    first_with_key: dict[str, int] = {}
    for row, values in zip(rows, checked, strict=True):
        key = values["name_key"]
        if key and key in first_with_key:
            row.error("name_en", "duplicate_row", other=first_with_key[key])
        first_with_key.setdefault(key, row.number)
    existing: dict[str, tuple[int, str]] = {}
    keys = sorted(first_with_key.keys() - {""})
    for start in range(0, len(keys), 500):
        for organisation in Organisation.objects.visible_to(user).filter(
            name_key__in=keys[start : start + 500]
        ):
            existing.setdefault(organisation.name_key, (organisation.pk, str(organisation)))
    for row, values in zip(rows, checked, strict=True):
        if values["name_key"] in existing:
            pk, name = existing[values["name_key"]]
            row.error("name_en", "exists", name=name, id=pk)
    return checked


# --- people ----------------------------------------------------------------------------------


def _visible_organisations(user: User, rows: list[_Row]) -> dict[str, list[dict[str, Any]]]:
    """Organisations the rows name, by id (as text) and by lower-cased English name."""
    wanted = {row.cells.get("organisation", "").strip() for row in rows} - {""}
    ids = sorted(int(value) for value in wanted if value.isdigit() and len(value) < 18)
    names = sorted({value.lower() for value in wanted if not value.isdigit()})
    by_pk: dict[int, dict[str, Any]] = {}
    queryset = Organisation.objects.visible_to(user).annotate(lower_name=Lower("name_en"))
    fields = ("pk", "name_en", "name_ja", "name_hi", "country")
    for start in range(0, max(len(ids), len(names)), 500):
        chunk = Q(pk__in=ids[start : start + 500]) | Q(lower_name__in=names[start : start + 500])
        by_pk.update((o["pk"], o) for o in queryset.filter(chunk).values(*fields))
    found: dict[str, list[dict[str, Any]]] = {}
    for organisation in by_pk.values():
        found.setdefault(str(organisation["pk"]), []).append(organisation)
        found.setdefault(organisation["name_en"].lower(), []).append(organisation)
    return found


def check_people(rows: list[_Row], user: User) -> list[dict[str, Any]]:
    organisations = _visible_organisations(user, rows)
    first_with_email: dict[str, int] = {}
    checked = []
    for row in rows:
        raw_organisation = row.cells.get("organisation", "").strip()
        matches = organisations.get(raw_organisation.lower(), [])
        exact = [o for o in matches if raw_organisation in (str(o["pk"]), o["name_en"])]
        matches = exact or matches
        organisation = matches[0] if len(matches) == 1 else None
        if not raw_organisation:
            row.error("organisation", "required")
        elif not matches:
            row.error("organisation", "organisation_unknown", value=raw_organisation)
        elif organisation is None:
            row.error("organisation", "organisation_ambiguous", value=raw_organisation)
        name_latin = row.text("name_latin", 150)
        if not name_latin and not row.cells.get("name_latin", "").strip():
            row.error("name_latin", "required")
        email = unicodedata.normalize("NFKC", row.text("email", 254))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", "email")
            if email.casefold() in first_with_email:
                row.error("email", "duplicate_email", other=first_with_email[email.casefold()])
            first_with_email.setdefault(email.casefold(), row.number)
        phone = ""
        if raw_phone := row.cells.get("phone", "").strip():
            try:
                phone = normalise_phone(raw_phone, organisation["country"] if organisation else "")
            except ValidationError:
                row.error("phone", "phone", value=raw_phone)
        checked.append(
            {
                "organisation": organisation["pk"] if organisation else None,
                "organisation_name": _org_name(organisation) if organisation else "",
                "name_latin": name_latin,
                "name_native": row.text("name_native", 150),
                "title": row.text("title", 150),
                "email": email,
                "phone": phone,
                "preferred_language": row.choice("preferred_language", LANGUAGES, "en"),
                "visibility": row.choice("visibility", VISIBILITY, Visibility.PRIVATE),
            }
        )
    return checked


def _org_name(organisation: dict[str, Any]) -> str:
    return str(organisation["name_en"] or organisation["name_ja"] or organisation["name_hi"])


# --- preview and commit ----------------------------------------------------------------------

CHECKS: dict[str, Callable[[list[_Row], User], list[dict[str, Any]]]] = {
    ORGANISATIONS: check_organisations,
    PEOPLE: check_people,
}


def importer_organisation(user: User) -> Organisation | None:
    """Whose batch and records these are: the prefecture or secretariat the user acts for."""
    return acting_organisation(user, roles=STAFF_ROLES)


def _check(
    target: str, stored: list[dict[str, Any]], user: User
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Check stored rows ``{"row", "cells": {header: text}}``; rows with values, and problems."""
    header = list(stored[0]["cells"]) if stored else []
    positions, _unknown = map_header(target, header)
    labels = {key: header[position] for position, key in positions.items()}
    issues: list[dict[str, Any]] = []
    rows = [
        _Row(
            item["row"],
            {key: item["cells"].get(label, "") for key, label in labels.items()},
            labels,
            issues,
        )
        for item in stored
    ]
    values = CHECKS[target](rows, user)
    issues.sort(key=lambda issue: issue["row"])
    checked = [{**item, "values": value} for item, value in zip(stored, values, strict=True)]
    return checked, issues


@transaction.atomic
def batch_prepare(*, upload: UploadedFile, target: str, user: User) -> ImportBatch:
    """Read and check ``upload``; store the preview. Raises ImportFileError, storing nothing."""
    owner = importer_organisation(user)
    assert owner is not None, "only staff import; they belong to a prefecture or secretariat"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s MB."), limit=MAX_BYTES >> 20)
    table = read_table(upload.read(MAX_BYTES + 1))
    positions, unknown = map_header(target, table.header)
    stored = [
        {
            "row": number,
            "cells": {
                table.header[position]: cells[position] if position < len(cells) else ""
                for position in positions
            },
        }
        for number, cells in table.rows
    ]
    rows, issues = _check(target, stored, user)
    warnings: list[dict[str, Any]] = [
        {"row": None, "column": name, "code": "unknown_column", "params": {}, "level": "warning"}
        for name in unknown
    ]
    return ImportBatch.objects.create(
        created_by=user,
        owner=owner,
        target=target,
        filename=(upload.name or "upload").rsplit("/", 1)[-1][:200],
        rows=rows,
        errors=warnings + issues,
    )


class ImportRefused(Exception):
    """The batch may not be committed (again, by this user, or with these problems)."""


def batch_commit(*, batch: ImportBatch, actor: User) -> int:
    """Save every row of ``batch`` or none; return how many records were created.

    The rows are checked again under the batch's row lock: the directory may have changed since
    the preview. New problems are stored on the batch and ImportRefused is raised.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.committed_at is not None:
            raise ImportRefused(gettext("This file has already been imported."))
        if batch.created_by_id != actor.pk:
            raise ImportRefused(gettext("Only the person who uploaded this file can import it."))
        rows, issues = _check(batch.target, batch.rows, actor)
        batch.rows = rows
        if not has_errors(issues):
            return _commit_rows(batch, rows, actor)
        batch.errors = [issue for issue in batch.errors if issue["row"] is None] + issues
        batch.save(update_fields=["rows", "errors"])
    # Raised after the block so that the new problems stay stored for the preview.
    raise ImportRefused(gettext("The file has problems; nothing was imported."))


def _commit_rows(batch: ImportBatch, rows: list[dict[str, Any]], actor: User) -> int:
    values = [row["values"] for row in rows]
    if batch.target == ORGANISATIONS:
        created: list[Any] = _create_organisations(values, batch=batch, actor=actor)
    else:
        created = _create_people(values, batch=batch, actor=actor)
    for row, record in zip(rows, created, strict=True):
        row["values"]["id"] = record.pk  # the result page links each new record
    batch.committed_at = timezone.now()
    batch.save(update_fields=["rows", "committed_at"])
    audit.record(
        batch,
        "directory.import.committed",
        actor=actor,
        changes={"target": [None, batch.target], "records": [None, len(values)]},
    )
    return len(values)


def _create_organisations(
    values: list[dict[str, Any]], *, batch: ImportBatch, actor: User
) -> list[Organisation]:
    """Bulk equivalent of ``organisation_save`` + ``organisation_refresh_derived``."""
    principal = principal_for(actor)
    manager_id = batch.owner_id if batch.owner_id in principal.officer_org_ids else None
    city_ids = dict(City.objects.values_list("key", "pk"))
    organisations = [
        Organisation(
            **{key: row[key] for key in ORGANISATION_FIELDS},
            region_id=row["region"] or None,
            city_id=city_ids.get(row["city"]),
            managed_by_id=manager_id,
        )
        for row in values
    ]
    for organisation in organisations:
        normalise_titles(organisation)  # bulk_create sends no pre_save
    Organisation.objects.bulk_create(organisations, batch_size=500)
    sector_ids = dict(Sector.objects.filter(level="division").values_list("code", "pk"))
    through = Organisation.sectors.through
    through.objects.bulk_create(
        (
            through(organisation_id=organisation.pk, sector_id=sector_ids[code])
            for organisation, row in zip(organisations, values, strict=True)
            for code in row["sectors"]
        ),
        batch_size=1000,
    )
    update_focal_groups(organisation.pk for organisation in organisations)
    NameToken.objects.bulk_create(
        (
            NameToken(organisation=organisation, token=token[:100])
            for organisation in organisations
            for token in sorted(
                {
                    token
                    for name in (organisation.name_en, organisation.name_ja, organisation.name_hi)
                    if name
                    for token in name_tokens(name)
                }
            )
        ),
        batch_size=1000,
        ignore_conflicts=True,  # two names may truncate to the same 100 characters
    )
    _audit_each(
        [
            (organisation, organisation, _changes(organisation, AUDITED_ORGANISATION_FIELDS, batch))
            for organisation in organisations
        ],
        "directory.organisation.imported",
        actor=actor,
        sectors=[row["sectors"] for row in values],
    )
    return organisations


def _create_people(
    values: list[dict[str, Any]], *, batch: ImportBatch, actor: User
) -> list[Person]:
    people = [
        Person(
            organisation_id=row["organisation"],
            owner=batch.owner,  # the object, so that auditing each person reads no owner row
            **{key: row[key] for key in PERSON_FIELDS},
        )
        for row in values
    ]
    for person in people:
        normalise_titles(person)  # bulk_create sends no pre_save
    Person.objects.bulk_create(people, batch_size=500)
    _audit_each(
        [
            (person, batch.owner, _changes(person, AUDITED_PERSON_FIELDS, batch))
            for person in people
        ],
        "directory.person.imported",
        actor=actor,
    )
    return people


ORGANISATION_FIELDS = (
    "kind", "name_en", "name_ja", "name_ja_kana", "name_hi", "original_language", "country",
    "website", "employees", "capital", "capital_currency", "sme_industry", "offers", "needs",
    "visibility", "name_key", "is_sme",
)  # fmt: skip
PERSON_FIELDS = (
    "name_latin", "name_native", "title", "email", "phone", "preferred_language", "visibility",
)  # fmt: skip


def _changes(obj: Any, fields: list[str], batch: ImportBatch) -> dict[str, list[Any]]:
    changes = audit.field_changes({}, {name: getattr(obj, name) for name in fields})
    changes["import_batch"] = [None, batch.pk]
    return changes


def _audit_each(
    entries: list[tuple[Any, Organisation, dict[str, Any]]],
    action: str,
    *,
    actor: User,
    sectors: list[list[str]] | None = None,
) -> None:
    """One audit entry per created record, written in bulk: ``audit.record`` one by one took
    seven of the sixteen seconds of a 5,000-row import on PostgreSQL. Each entry holds what
    ``audit.record(obj, action, actor=actor, changes=...)`` would (a test compares them)."""
    content_type = ContentType.objects.get_for_model(entries[0][0]) if entries else None
    for position, codes in enumerate(sectors or []):
        if codes:
            entries[position][2]["sectors"] = [None, "; ".join(codes)]
    audit_chain.append(
        [
            AuditEntry(
                actor=actor,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                owner=owner,
                changes=changes,
            )
            for obj, owner, changes in entries
        ]
    )


class ImportUploadForm(forms.Form):
    target = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(ORGANISATIONS, _("Organisations")), (PEOPLE, _("People (contacts)"))],
        widget=forms.RadioSelect,
        initial=ORGANISATIONS,
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "CSV in UTF-8 or Shift_JIS, or XLSX (first sheet); at most 5 MB and 5,000 rows."
        ),
    )

"""The directory's list filters, shared by the list pages and the exports."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.db.models.lookups import GreaterThan
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from setu.algorithms.names import SearchTerm, search_terms
from setu.algorithms.text import prefix_ends_cluster
from setu.core.params import ID_MAX
from setu.directory.focal import focal_bit, focal_id
from setu.directory.models import (
    FocalSector,
    NameToken,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    Region,
    Sector,
)
from setu.directory.widgets import InlineSelect

ORGANISATION_SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "newest": ("-created_at", "-id"),
    "employees": ("-employees", "sort_name"),
}
# A name search that matches at most this many organisations filters the list by their ids;
# with more, by a subquery (see _named).
MAX_MATCHED_IDS = 1000

# (filter, language) → [(value, label)]
_reference_choices_cache: dict[tuple[str, str], list[tuple[str, str]]] = {}


def _read_reference_choices(name: str) -> list[tuple[str, str]]:
    if name == "region":
        return [(region.code, str(region)) for region in Region.objects.all()]
    if name == "focal":
        return [(focal.key, str(focal)) for focal in FocalSector.objects.all()]
    return [(sector.code, str(sector)) for sector in Sector.objects.filter(level="division")]


def reference_choices(name: str) -> list[tuple[str, str]]:
    """Choices of the "region", "focal" or "sector" filter in the active language.

    Read once per process and language: reference data changes only by migration (and by
    load_demo, run before the server starts). An empty table is not kept: a test may have
    flushed the reference data, to be loaded again.
    """
    key = (name, translation.get_language() or "")
    choices = _reference_choices_cache.get(key)
    if choices is None:
        choices = _read_reference_choices(name)
        if choices:
            _reference_choices_cache[key] = choices
    return choices


def _in_focal_sector(key: str) -> Q | GreaterThan:
    """Organisations in focal sector ``key``: a bit of ``focal_groups`` (setu/directory/focal.py),
    tested in the index ``org_region_list``; no subquery per row."""
    bit = focal_bit(focal_id(key))
    if not bit:  # unknown key (the form refuses it), or past the bits' limit: the link table
        focal_sectors = FocalSector.sectors.through.objects.filter(focalsector__key=key).values(
            "sector_id"
        )
        return Q(
            Exists(
                Organisation.sectors.through.objects.filter(
                    organisation_id=OuterRef("pk"), sector_id__in=focal_sectors
                )
            )
        )
    return GreaterThan(F("focal_groups").bitand(bit), 0)


def _starting(prefix: str) -> Q:
    if connection.vendor == "sqlite":
        # LIKE is case-blind on SQLite and cannot use the index; tokens are case-folded, so a
        # range over the index says the same.
        return Q(token__gte=prefix, token__lt=prefix + "\U0010ffff")
    return Q(token__startswith=prefix)  # through the varchar_pattern_ops ("_like") index


def _tokens_between(low: str, high: str) -> QuerySet[NameToken]:
    """Name tokens from ``low`` (inclusive) to ``high``, in code point order, on the index."""
    if connection.vendor == "sqlite":
        return NameToken.objects.filter(token__gte=low, token__lt=high)
    # byte order (that is, code point order in UTF-8) whatever the collation: the operators
    # of the varchar_pattern_ops ("_like") index
    between = RawSQL(  # constant SQL, the bounds are parameters
        '"directory_nametoken"."token" ~>=~ %s AND "directory_nametoken"."token" ~<~ %s',
        [low, high],
        output_field=BooleanField(),
    )
    return NameToken.objects.filter(between)


def _cut_letters(prefix: str) -> list[str]:
    """The characters that go on with the last letter of ``prefix`` in some name token (ऑट in
    ऑटो): a prefix must end where a letter (grapheme cluster) of the token ends. After an
    ASCII prefix only a non-ASCII character can, so only those tokens are read."""
    low = prefix + ("\x80" if prefix.isascii() else "\x01")
    following = (
        _tokens_between(low, prefix + "\U0010ffff")
        .annotate(next=Substr("token", len(prefix) + 1, 1))
        .values_list("next", flat=True)
        .order_by()
        .distinct()
    )
    return [c for c in following if not prefix_ends_cluster(prefix, prefix + c)]


def _token_match(term: SearchTerm) -> Q:
    if not term.prefix:
        return Q(token=term.token)
    match = _starting(term.token)
    for char in _cut_letters(term.token):
        match &= ~_starting(term.token + char)
    return match


def _named(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations of ``queryset`` whose name tokens match every term of ``query``.

    The matching ids are fetched first (one query on the token index). Filtered by a short
    list of ids, the list reads those rows and sorts them; filtered by a subquery, a planner
    may walk the sort index instead and probe the tokens row by row, which is slow when few
    rows match. When many match, those probes find a page soon, and the subquery is kept
    (rather than thousands of ids as parameters).
    """
    reading = _kana_reading(query)
    terms = search_terms(query)
    if not terms:
        return queryset.filter(reading) if reading else queryset.none()
    tokens = NameToken.objects.filter(_token_match(terms[0]))
    for term in terms[1:]:
        tokens = tokens.filter(
            organisation_id__in=NameToken.objects.filter(_token_match(term)).values(
                "organisation_id"
            )
        )
    matching = tokens.values_list("organisation_id", flat=True).distinct()
    ids = list(matching[: MAX_MATCHED_IDS + 1])
    found = Q(pk__in=matching) if len(ids) > MAX_MATCHED_IDS else Q(pk__in=ids)
    return queryset.filter((found | reading) if reading else found)


_KANA_ONLY = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\s]+$")


def _kana_reading(query: str) -> Q | None:
    """A query typed in kana only ("こうふ", "コウフ") is also looked up in the readings
    (``name_ja_kana``), written in either script. This reads every visible row's reading, so
    it is kept to kana queries; name tokens cannot hold readings (they feed the duplicate
    check)."""
    text = "".join(query.split())
    if not text or not _KANA_ONLY.match(text):
        return None
    hiragana = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)
    katakana = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    return Q(name_ja_kana__contains=hiragana) | Q(name_ja_kana__contains=katakana)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=InlineSelect)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("Any")), ("JP", _("Japan")), ("IN", _("India"))],
        widget=InlineSelect,
    )
    # Choices: reference_choices(), in __init__.
    region = forms.ChoiceField(label=_("Region"), required=False, widget=InlineSelect)
    focal = forms.ChoiceField(label=_("Focal sector"), required=False, widget=InlineSelect)
    sector = forms.ChoiceField(label=_("ISIC division"), required=False, widget=InlineSelect)
    sme = forms.ChoiceField(
        label=_("SME"),
        required=False,
        choices=[("", _("Any")), ("yes", _("SMEs only")), ("no", _("Not SMEs"))],
        widget=InlineSelect,
    )
    partnership = forms.ChoiceField(
        label=_("Partnership"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Has a prefecture–state agreement"))],
        widget=InlineSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name, A to Z")),
            ("-name", _("Name, Z to A")),
            ("newest", _("Newest first")),
            ("employees", _("Most employees")),
        ],
        widget=InlineSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "kind": OrganisationKind.choices,
            **{name: reference_choices(name) for name in ("region", "focal", "sector")},
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Any")), *options]

    def apply(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Narrow ``queryset`` (already permission-filtered) by the valid fields."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = _named(queryset, data["q"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["country"]:
            queryset = queryset.filter(country=data["country"])
        if data["region"]:
            queryset = queryset.filter(region_id=data["region"])
        if data["sector"]:
            queryset = queryset.filter(
                Exists(
                    Organisation.sectors.through.objects.filter(
                        organisation_id=OuterRef("pk"), sector__code=data["sector"]
                    )
                )
            )
        if data["focal"]:
            queryset = queryset.filter(_in_focal_sector(data["focal"]))
        if data["sme"] == "yes":
            queryset = queryset.filter(is_sme=True)
        elif data["sme"] == "no":
            queryset = queryset.filter(is_sme=False)
        if data["partnership"] == "yes":
            queryset = queryset.filter(
                Exists(Partnership.parties.through.objects.filter(organisation_id=OuterRef("pk")))
            )
        return queryset.order_by(*ORGANISATION_SORTS.get(data["sort"] or "name", ("sort_name",)))


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    organisation = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )

    def apply(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        for word in (data["q"] or "").split():
            queryset = queryset.filter(
                Q(name_latin__icontains=word) | Q(name_native__icontains=word)
            )
        if data["organisation"]:
            queryset = queryset.filter(organisation_id=data["organisation"])
        return queryset

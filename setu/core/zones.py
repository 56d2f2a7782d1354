"""The time-zone choice every zone select uses: readable labels, IANA names as values.

Japan and India come first ("Japan (JST, UTC+9)", "India (IST, UTC+5:30)", in the reader's
language), then every other zone of the tz database as "Country — City (UTC+x)", sorted by
today's UTC offset. The stored value stays the IANA name ("Asia/Tokyo").
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.core.timefmt import abbreviation, canonical_zone, canonical_zones, offset_label, zone
from setu.core.widgets import LongSelect

FEATURED = ("Asia/Tokyo", "Asia/Kolkata")


def _featured_place(name: str) -> str:
    return {"Asia/Tokyo": _("Japan"), "Asia/Kolkata": _("India")}[name]


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    text = resources.files("tzdata.zoneinfo").joinpath("iso3166.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) > 1}


def country_name(code: str) -> str:
    """``"IN"`` → "India" in the reader's language for Japan and India; English for the rest."""
    if code in ("JP", "IN"):
        return _featured_place("Asia/Tokyo" if code == "JP" else "Asia/Kolkata")
    return _country_names().get(code, code)


def _zone_part(local: datetime) -> str:
    """ "JST, UTC+9", or just "UTC+4" when the zone has no letters of its own."""
    short, offset = abbreviation(local), offset_label(local.utcoffset())
    if short == offset:
        return offset
    return f"{short}, {'UTC+0' if offset == 'UTC' else offset}"


def zone_summary(name: str, *, at: datetime | None = None) -> str:
    """``"Asia/Kolkata"`` → "IST, UTC+5:30": a city's zone next to its name."""
    return _zone_part((at or timezone.now()).astimezone(zone(name)))


def zone_label(name: str, *, at: datetime | None = None) -> str:
    """``"Asia/Tokyo"`` → "Japan (JST, UTC+9)", ``"Asia/Dubai"`` → "… (UTC+4)"."""
    local = (at or timezone.now()).astimezone(zone(name))
    if name in FEATURED:
        return f"{_featured_place(name)} ({_zone_part(local)})"
    if name == "UTC":
        utc = _("Coordinated Universal Time")
        return f"{utc} (UTC)"
    country = canonical_zones().get(name, "")
    country_name = _country_names().get(country, "")
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    if not country_name:
        return f"{city} ({_zone_part(local)})"
    if _zones_per_country()[country] == 1:
        return f"{country_name} ({_zone_part(local)})"
    return f"{country_name} — {city} ({_zone_part(local)})"


@lru_cache(maxsize=1)
def _zones_per_country() -> Counter[str]:
    return Counter(canonical_zones().values())


@lru_cache(maxsize=8)
def _choices_for(language: str, day: date) -> tuple[tuple[str, str], ...]:
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone("UTC"))
    with translation.override(language):
        featured = [(name, zone_label(name, at=noon)) for name in FEATURED]
        others = sorted(
            (
                (noon.astimezone(zone(name)).utcoffset(), zone_label(name, at=noon), name)
                for name in canonical_zones()
                if name not in FEATURED
            ),
            key=lambda row: (row[0], row[1]),
        )
    return (*featured, *((name, label) for _offset, label, name in others))


def zone_choices() -> list[tuple[str, str]]:
    """Every zone select's choices, labelled in the active language as of today."""
    return list(_choices_for(translation.get_language() or "en", timezone.now().date()))


class TimeZoneField(forms.ChoiceField):
    """A zone select: readable labels, canonical IANA names in and out (Asia/Calcutta → Kolkata)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Time zone"))
        kwargs.setdefault("widget", LongSelect)
        super().__init__(choices=zone_choices, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return canonical_zone(text) or text

    def prepare_value(self, value: Any) -> Any:
        return canonical_zone(value) or value if isinstance(value, str) else value

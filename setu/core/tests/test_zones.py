"""Zone selects read "Japan (JST, UTC+9)", never a bare "Asia/Tokyo"; the value stays IANA."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

import setu
from setu.core.zones import TimeZoneField, zone_choices, zone_label, zone_summary

IANA = re.compile(r"^[A-Z][A-Za-z_]+/[A-Za-z_/+-]+$|^UTC$")
SUMMER = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "japan", "india"),
    [
        ("en", "Japan (JST, UTC+9)", "India (IST, UTC+5:30)"),
        ("ja", "日本 (JST, UTC+9)", "インド (IST, UTC+5:30)"),
        ("hi", "जापान (JST, UTC+9)", "भारत (IST, UTC+5:30)"),
    ],
)
def test_japan_and_india_come_first_in_the_readers_language(
    language: str, japan: str, india: str
) -> None:
    with translation.override(language):
        choices = zone_choices()
    assert choices[:2] == [("Asia/Tokyo", japan), ("Asia/Kolkata", india)]


def test_the_other_zones_are_readable_and_sorted_by_offset() -> None:
    with translation.override("en"):
        choices = dict(zone_choices())
        rest = zone_choices()[2:]
    assert choices["Asia/Dubai"] == "United Arab Emirates (UTC+4)"
    assert choices["America/Los_Angeles"].startswith("United States — Los Angeles (P")
    assert choices["UTC"] == "Coordinated Universal Time (UTC)"
    assert zone_label("Europe/London", at=SUMMER) == "Britain (UK) (BST, UTC+1)"
    assert not [
        label for value, label in rest if IANA.match(label) or (value != "UTC" and value in label)
    ]
    offsets = [_offset(label) for _value, label in rest if _offset(label) is not None]
    assert offsets == sorted(offsets)


def _offset(label: str) -> float | None:
    found = re.search(r"UTC([+-])(\d+)(?::(\d+))?\)$", label)
    if found is None:
        return 0.0 if label.endswith("UTC+0)") or label.endswith("(UTC)") else None
    value = int(found[2]) + int(found[3] or 0) / 60
    return value if found[1] == "+" else -value


def test_the_field_stores_the_canonical_iana_name() -> None:
    class Form(forms.Form):
        time_zone = TimeZoneField()

    form = Form(data={"time_zone": "Asia/Calcutta"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["time_zone"] == "Asia/Kolkata"
    bad = Form(data={"time_zone": "Mars/Olympus"})
    assert not bad.is_valid() and "time_zone" in bad.errors
    assert 'value="Asia/Kolkata" selected' in str(Form(initial={"time_zone": "Asia/Calcutta"}))


def test_a_city_names_its_zone_readably() -> None:
    assert zone_summary("Asia/Kolkata") == "IST, UTC+5:30"


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(setu.__path__, "setu."):
        if "forms" in module.name and ".tests" not in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("setu."):
            found.append(cls)
    return found


def test_no_zone_select_shows_a_raw_iana_name() -> None:
    """Contract: every zone field of every form, and every zone choice of every model."""
    offenders = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if "zone" not in name or not isinstance(field, forms.ChoiceField):
                continue
            if isinstance(field, TimeZoneField):
                continue
            labels = [str(label) for value, label in field.choices if value]
            if not labels or any(IANA.match(label) for label in labels):
                offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
    for model in apps.get_models():
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None) or []
            if "zone" in field.name and any(IANA.match(str(label)) for v, label in choices if v):
                offenders.append(f"{model.__name__}.{field.name}")
    assert not offenders, f"zone selects showing raw IANA names (use TimeZoneField): {offenders}"

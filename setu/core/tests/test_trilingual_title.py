"""One trilingual title for the records that carry one: same fields, same fallback everywhere."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from setu.core.titles import TrilingualTitle

TITLED = [
    "events.Event",
    "events.Session",
    "coordination.Mission",
    "coordination.MeetingSeries",
    "coordination.Meeting",
    "coordination.AgendaItem",
    "library.Announcement",
]


@pytest.mark.parametrize("label", TITLED)
def test_the_title_comes_from_the_one_mixin(label: str) -> None:
    model = apps.get_model(label)
    assert issubclass(model, TrilingualTitle)
    for code, language in (("en", "English"), ("ja", "Japanese"), ("hi", "Hindi")):
        field = model._meta.get_field(f"title_{code}")
        assert field.max_length == 200
        assert field.blank
        with translation.override("en"):
            assert str(field.verbose_name) == f"title ({language})"


@pytest.mark.parametrize("label", TITLED)
@pytest.mark.parametrize(
    ("reader", "titles", "shown"),
    [
        ("hi", {"en": "Energy forum", "ja": "エネルギー", "hi": "ऊर्जा मंच"}, "ऊर्जा मंच"),
        ("hi", {"en": "Energy forum", "ja": "エネルギー"}, "Energy forum"),
        ("hi", {"ja": "エネルギー"}, "エネルギー"),
        ("en", {"hi": "ऊर्जा मंच"}, "ऊर्जा मंच"),
        ("ja", {"en": "Energy forum", "hi": "ऊर्जा मंच"}, "Energy forum"),
        ("en", {}, ""),
    ],
)
def test_display_title_falls_back_reader_english_japanese_any(
    label: str, reader: str, titles: dict[str, str], shown: str
) -> None:
    record = apps.get_model(label)(**{f"title_{code}": text for code, text in titles.items()})
    with translation.override(reader):
        assert record.display_title == shown

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from setu.core.timefmt import canonical_zone, dual_time, time_range

TEN_IST = datetime(2026, 3, 10, 4, 30, tzinfo=UTC)  # 10:00 in Mumbai, 13:30 in Tokyo


def test_venue_time_with_the_readers_time_when_it_differs() -> None:
    assert dual_time(TEN_IST, "Asia/Kolkata", "Asia/Tokyo") == "10:00 IST (13:30 JST)"


def test_only_venue_time_when_reader_is_in_the_same_zone() -> None:
    assert dual_time(TEN_IST, "Asia/Kolkata", "Asia/Kolkata") == "10:00 IST"


def test_reader_on_another_day_sees_the_date() -> None:
    late = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)  # 23:30 IST, 03:00 JST next day
    assert dual_time(late, "Asia/Kolkata", "Asia/Tokyo") == "23:30 IST (03-11 03:00 JST)"


def test_unknown_zone_falls_back_to_utc_rather_than_failing() -> None:
    assert dual_time(TEN_IST, "Mars/Olympus", None) == "04:30 UTC"


def test_template_tag_uses_the_active_reader_zone() -> None:
    template = Template("{% load setu %}{% venue_time moment 'Asia/Kolkata' %}")
    with timezone.override("Asia/Tokyo"):
        assert template.render(Context({"moment": TEN_IST})) == "10:00 IST (13:30 JST)"


# --- one rule for every reader (issue: the first hour of a new member, item 8) -------------

NOON_JST = datetime(2026, 12, 31, 4, 30, tzinfo=UTC)  # 13:30 in Tokyo, 10:00 in Bengaluru


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_the_same_24_hour_text_with_abbreviations_in_every_language(language: str) -> None:
    template = Template("{% load setu %}{% venue_time moment 'Asia/Kolkata' True %}")
    with translation.override(language), timezone.override("Asia/Tokyo"):
        text = template.render(Context({"moment": NOON_JST}))
    assert text == "2026-12-31 10:00 IST (13:30 JST)"
    assert "PM" not in text and "GMT" not in text


def test_a_reader_in_an_alias_of_the_venue_zone_sees_one_time() -> None:
    assert dual_time(NOON_JST, "Asia/Kolkata", "Asia/Calcutta") == "10:00 IST"
    assert dual_time(NOON_JST, "America/Los_Angeles", "US/Pacific") == "20:30 PST"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Pacific", "America/Los_Angeles"),
        ("Japan", "Asia/Tokyo"),
        ("Europe/Kiev", "Europe/Kyiv"),  # no entry in ALIASES: found by the zone's content
        ("Etc/UTC", "UTC"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_zone_aliases_are_canonicalised(alias: str, canonical: str | None) -> None:
    assert canonical_zone(alias) == canonical


def test_a_reader_in_another_zone_sees_both() -> None:
    assert dual_time(NOON_JST, "Asia/Tokyo", "Asia/Kolkata") == "13:30 JST (10:00 IST)"


def test_a_zone_without_letters_shows_its_utc_offset() -> None:
    assert dual_time(NOON_JST, "Asia/Dubai", "Asia/Kathmandu") == "08:30 UTC+4 (10:15 UTC+5:45)"


def test_summer_time_in_london() -> None:
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert dual_time(summer, "Europe/London", "Asia/Tokyo") == "10:00 BST (18:00 JST)"
    winter = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert dual_time(winter, "Europe/London", "Asia/Tokyo") == "09:00 GMT (18:00 JST)"


def test_a_range_carries_the_zone_on_the_end_time_in_both_parts() -> None:
    end = NOON_JST + timedelta(hours=2)
    assert time_range(NOON_JST, end, "Asia/Kolkata", "Asia/Tokyo") == (
        "10:00–12:00 IST (13:30–15:30 JST)"
    )
    assert time_range(NOON_JST, end, "Asia/Kolkata", "Asia/Calcutta") == "10:00–12:00 IST"
    assert time_range(NOON_JST, end, "Asia/Kolkata", None, with_date=True) == (
        "2026-12-31 10:00–12:00 IST"
    )


def test_a_range_over_midnight_names_both_days() -> None:
    late = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)  # 22:30 IST
    text = time_range(late, late + timedelta(hours=3), "Asia/Kolkata", None)
    assert text == "22:30 IST – 2026-03-11 01:30 IST"


def test_agenda_rows_show_the_zone_on_the_end_time() -> None:
    template = Template("{% load setu %}{% venue_range start end 'Asia/Kolkata' %}")
    with timezone.override("Asia/Kolkata"):
        text = template.render(
            Context({"start": NOON_JST, "end": NOON_JST + timedelta(minutes=30)})
        )
    assert text == "10:00–10:30 IST"


def test_with_no_known_reader_only_the_venue_time_is_shown_never_utc() -> None:
    template = Template("{% load setu %}{% venue_time moment 'Asia/Kolkata' %}")
    timezone.deactivate()
    assert template.render(Context({"moment": NOON_JST})) == "10:00 IST"

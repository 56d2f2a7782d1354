from __future__ import annotations

from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import timezone

from setu.core.timefmt import dual_time

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

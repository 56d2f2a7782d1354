"""The query-string readers: a bad value is None (the page's default), never an exception."""

from __future__ import annotations

from datetime import date

import pytest

from setu.core.params import ID_MAX, date_param, int_param, month_param, text_param


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("0", 0), ("", None), (None, None), ("-1", None), ("1" * 20, None),
     (str(ID_MAX), ID_MAX), ("²", None), ("١٢", None), ("1e3", None), (" 1", None),
     ("9" * 5000, None), ("1\x00", None)],
)  # fmt: skip
def test_int_param(raw: str | None, expected: int | None) -> None:
    assert int_param(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-09", date(2026, 9, 1)), ("2026-9", date(2026, 9, 1)), ("9999-12", None),
     ("0000-00", None), ("2026-13", None), ("2026-00", None), ("", None), (None, None),
     ("２０２６-09", None), ("2026-09-01", None)],
)  # fmt: skip
def test_month_param(raw: str | None, expected: date | None) -> None:
    assert month_param(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-09-30", date(2026, 9, 30)), ("2026-02-30", None), ("9999-12-31", None),
     ("0001-01-01", None), ("x" * 5000, None), ("", None)],
)  # fmt: skip
def test_date_param(raw: str | None, expected: date | None) -> None:
    assert date_param(raw) == expected


def test_text_param_drops_nul_and_cuts() -> None:
    assert text_param(" a\x00b ", max_length=100) == "ab"
    assert text_param("x" * 500, max_length=100) == "x" * 100
    assert text_param(None, max_length=5) == ""

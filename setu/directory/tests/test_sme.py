from __future__ import annotations

import pytest

from setu.directory.sme import is_sme


@pytest.mark.parametrize(
    ("industry", "capital", "employees", "expected"),
    [
        ("manufacturing", 300_000_000, 1000, True),  # capital at the limit
        ("manufacturing", 300_000_001, 300, True),  # employees at the limit
        ("manufacturing", 300_000_001, 301, False),
        ("wholesale", 100_000_001, 101, False),
        ("wholesale", None, 100, True),
        ("retail", 50_000_001, 51, False),
        ("retail", 10_000_000, None, True),
        ("services", 60_000_000, 100, True),
        ("services", 60_000_000, 101, False),
    ],
)
def test_sme_basic_act_thresholds(
    industry: str, capital: int | None, employees: int | None, expected: bool
) -> None:
    assert is_sme(industry=industry, capital_jpy=capital, employees=employees) is expected


def test_unknown_without_industry_or_figures() -> None:
    assert is_sme(industry="", capital_jpy=1, employees=1) is None
    assert is_sme(industry="retail", capital_jpy=None, employees=None) is None

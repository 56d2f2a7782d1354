"""Japan's SME Basic Act (中小企業基本法, art. 2): an enterprise is an SME when its capital OR
its regular employees stay within the threshold of its industry group."""

from __future__ import annotations

from decimal import Decimal

# industry group -> (capital limit in JPY, employee limit)
THRESHOLDS: dict[str, tuple[int, int]] = {
    "manufacturing": (300_000_000, 300),
    "wholesale": (100_000_000, 100),
    "services": (50_000_000, 100),
    "retail": (50_000_000, 50),
}


def is_sme(
    *, industry: str, capital_jpy: Decimal | int | None, employees: int | None
) -> bool | None:
    """True/False under the Act, or None when it cannot be told (no industry, no figures)."""
    limits = THRESHOLDS.get(industry)
    if limits is None or (capital_jpy is None and employees is None):
        return None
    capital_limit, employee_limit = limits
    within_capital = capital_jpy is not None and capital_jpy <= capital_limit
    within_employees = employees is not None and employees <= employee_limit
    return within_capital or within_employees

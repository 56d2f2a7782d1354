"""Money in JPY, INR and USD: conversion at a dated rate table that says which rate it used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from setu.core.models import ExchangeRate


class NoRate(LookupError):
    """No rate for the pair on or before the date."""


@dataclass(frozen=True, slots=True)
class Converted:
    amount: Decimal
    currency: str
    rate: Decimal
    rate_date: date
    source: str


def convert(amount: Decimal, base: str, quote: str, *, on: date) -> Converted:
    """``amount`` of ``base`` in ``quote`` at the latest rate on or before ``on``.

    Uses the inverse of a stored quote→base rate when only that exists. Rounded to whole units
    for JPY and INR display, cents for USD.
    """
    if base == quote:
        return Converted(amount, quote, Decimal(1), on, "")
    direct = (
        ExchangeRate.objects.filter(base=base, quote=quote, valid_on__lte=on)
        .order_by("-valid_on")
        .first()
    )
    if direct is not None:
        rate, row = direct.rate, direct
    else:
        inverse = (
            ExchangeRate.objects.filter(base=quote, quote=base, valid_on__lte=on)
            .order_by("-valid_on")
            .first()
        )
        if inverse is None:
            raise NoRate(f"no {base}→{quote} rate on or before {on}")
        rate, row = Decimal(1) / inverse.rate, inverse
    exponent = Decimal("0.01") if quote == "USD" else Decimal(1)
    value = (amount * rate).quantize(exponent, rounding=ROUND_HALF_UP)
    return Converted(value, quote, rate, row.valid_on, row.source)

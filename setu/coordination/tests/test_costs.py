"""Cost shares add up exactly, deterministically (setu.coordination.costs)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.coordination.costs import split_amount


def test_equal_split_gives_the_remainder_to_the_first_listed() -> None:
    assert split_amount(100, [("lead", 1), ("b", 1), ("c", 1)]) == {"lead": 34, "b": 33, "c": 33}
    assert split_amount(101, [("lead", 1), ("b", 1), ("c", 1)]) == {"lead": 34, "b": 34, "c": 33}


def test_headcount_split_follows_the_largest_remainders() -> None:
    # 1000 by 3:2:2 is 428.57, 285.71, 285.71: the floors leave 2 yen, which go to the two
    # largest fractions (.71 and .71), not to the lead (.57).
    shares = split_amount(1000, [("lead", 3), ("b", 2), ("c", 2)])
    assert shares == {"lead": 428, "b": 286, "c": 286}
    assert sum(shares.values()) == 1000


def test_zero_weight_gets_nothing() -> None:
    assert split_amount(10, [("a", 0), ("b", 3)]) == {"a": 0, "b": 10}


@pytest.mark.parametrize(
    "total, weights",
    [(-1, [("a", 1)]), (10, [("a", 0)]), (10, [("a", -1), ("b", 2)]), (10, [("a", 1), ("a", 1)])],
)
def test_bad_input_is_refused(total: int, weights: list[tuple[str, int]]) -> None:
    with pytest.raises(ValueError):
        split_amount(total, weights)


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12).filter(
        lambda ws: sum(ws) > 0
    ),
)
def test_shares_add_up_and_stay_within_one_yen(total: int, weights: list[int]) -> None:
    parties = [(f"p{i}", w) for i, w in enumerate(weights)]
    shares = split_amount(total, parties)
    assert sum(shares.values()) == total
    weight_sum = sum(weights)
    for key, weight in parties:
        exact = Fraction(total * weight, weight_sum)
        assert exact - 1 < shares[key] <= exact + 1
        assert shares[key] >= 0
    assert split_amount(total, parties) == shares  # deterministic

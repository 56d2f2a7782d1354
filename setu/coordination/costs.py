"""Sharing a yen amount among prefectures so that the shares add up to it exactly.

Pure Python; the services turn budget lines into calls of ``split_amount``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def split_amount(total: int, weights: Sequence[tuple[K, int]]) -> dict[K, int]:
    """``total`` whole yen shared in proportion to integer ``weights``, summing to ``total``.

    Each party first gets the floor of its exact share; the yen left over go one each to the
    parties with the largest remainders (largest-remainder method), ties going to the party
    listed first. So equal inputs give equal outputs, no share is more than one yen away from
    its exact value, and a party with weight 0 gets 0.

    Raises ``ValueError`` for a negative total, a negative weight, a party listed twice, or
    weights that are all zero.
    """
    if total < 0:
        raise ValueError("the total must not be negative")
    keys = [key for key, _ in weights]
    if len(set(keys)) != len(keys):
        raise ValueError("a party is listed twice")
    if any(weight < 0 for _, weight in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weight for _, weight in weights)
    if weight_sum == 0:
        raise ValueError("at least one weight must be positive")
    shares: dict[K, int] = {}
    remainders: list[tuple[int, int, K]] = []
    for order, (key, weight) in enumerate(weights):
        share, remainder = divmod(total * weight, weight_sum)
        shares[key] = share
        remainders.append((-remainder, order, key))
    left = total - sum(shares.values())
    for _, _, key in sorted(remainders)[:left]:
        shares[key] += 1
    return shares

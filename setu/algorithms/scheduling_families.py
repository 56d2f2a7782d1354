"""Seeded generators of hard scheduling events, for the property tests and the benchmarks.

Six families, each built to break one assumption of the easy Japan-India events, plus events
that need interpreters. Nothing here runs in the app: it only makes :class:`Problem` values.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from setu.algorithms.scheduling_model import Interpreter, Participant, Problem, Request

FAMILIES: Final = ("same_side", "tight_tables", "away", "booths", "priorities", "mixed")
LANGUAGE_PAIRS: Final = (("ja", "en"), ("ja", "hi"), ("en", "hi"))


def hard_problem(family: str, participants: int, seed: int, requests: int = 0) -> Problem:
    """A problem of ``family`` with about ``participants`` people and 5 requests each by default."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}")
    rng = np.random.default_rng([seed, FAMILIES.index(family)])
    n = participants
    count = requests or 5 * n // 2 * 2
    slots = 12
    mixed = family == "mixed"
    same_side = family == "same_side" or mixed
    sides = ["JP" if i < n // 2 else "IN" for i in range(n)]
    unavailable = rng.random((n, slots)) < 0.05
    if family == "away" or mixed:
        away = np.flatnonzero(rng.random(n) < 0.4)
        for person in away.tolist():
            start = int(rng.choice([0, slots // 2]))
            unavailable[person, start : start + slots // 2] = True
    tables = [max(4, n // 3)] * slots
    if family == "tight_tables" or mixed:
        # A few slots with plenty of tables, the rest with one or two; availability pushes
        # everyone towards the tight ones.
        roomy = rng.choice(slots, size=3, replace=False)
        tables = [n if s in roomy else int(rng.integers(1, 3)) for s in range(slots)]
        unavailable[:, roomy] |= rng.random((n, 3)) < 0.7
    fixed: list[int | None] = [None] * n
    if family == "booths" or mixed:
        # Exhibitors (a third of the people) share fixed booths, 2 to 4 per booth.
        exhibitors = rng.permutation(n)[: n // 3].tolist()
        booth = 0
        while exhibitors:
            size = int(rng.integers(2, 5))
            for person in exhibitors[:size]:
                fixed[person] = booth
            exhibitors = exhibitors[size:]
            booth += 1
        most = max(tables)
        tables = [max(t, booth) if t >= most else t for t in tables]
        tables = [max(t, booth) for t in tables] if family == "booths" else tables
    popularity = rng.lognormal(0.0, 0.8, size=n)
    weights = popularity / popularity.sum()
    pairs: set[tuple[int, int]] = set()
    if same_side:
        # Tight groups: triangles and 5-cycles inside one side, every pair requested.
        for _ in range(n // 4):
            size = int(rng.choice([3, 5]))
            group = rng.choice(n // 2, size=size, replace=False) + int(rng.integers(0, 2)) * (
                n // 2
            )
            for i in range(size):
                a, b = int(group[i]), int(group[(i + 1) % size])
                pairs.add((min(a, b), max(a, b)))
    attempts = 0
    while len(pairs) < count and attempts < 50 * count:
        attempts += 1
        a, b = rng.choice(n, size=2, replace=False, p=weights).tolist()
        if not same_side and sides[a] == sides[b]:
            continue
        pairs.add((min(a, b), max(a, b)))
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    levels = 10 if family in ("priorities", "mixed") else 3
    most = max(tables)
    booths = [t if t is not None and t < most else None for t in fixed]
    people = tuple(
        Participant(
            id=f"p{i:05d}",
            side=sides[i],
            unavailable=frozenset(np.flatnonzero(unavailable[i]).tolist()),
            table=booths[i],
        )
        for i in range(n)
    )
    asked = tuple(
        Request(
            id=f"r{k:06d}", a=f"p{a:05d}", b=f"p{b:05d}", priority=int(rng.integers(1, levels + 1))
        )
        for k, (a, b) in enumerate(ordered[:count])
    )
    return Problem(slots=slots, tables=tuple(tables), participants=people, requests=asked)


def interpreter_problem(
    participants: int, seed: int, interpreters: int = 40, needing: float = 0.3, slots: int = 20
) -> Problem:
    """Japanese and Indian participants where about ``needing`` of the pairs share no language.

    Japanese participants speak Japanese, some also English; Indian ones English and Hindi, some
    Hindi only. Interpreters cover one of three language pairs and miss a few slots.
    """
    rng = np.random.default_rng([seed, 99])
    n = participants
    half = n // 2
    languages: list[frozenset[str]] = []
    for i in range(n):
        if i < half:
            languages.append(frozenset({"ja", "en"}) if rng.random() < 0.6 else frozenset({"ja"}))
        else:
            languages.append(frozenset({"hi"}) if rng.random() < 0.3 else frozenset({"en", "hi"}))
    unavailable = rng.random((n, slots)) < 0.1
    popularity = rng.lognormal(0.0, 0.8, size=n)
    w_jp = popularity[:half] / popularity[:half].sum()
    w_in = popularity[half:] / popularity[half:].sum()
    count = 10 * n
    pairs: set[tuple[int, int]] = set()
    # Pairs sharing a language come up with probability 0.6 * 0.7 = 0.42; those that do not are
    # kept with the probability that makes ``needing`` of the kept pairs need an interpreter.
    natural = 0.42
    keep = min(1.0, needing * natural / ((1 - needing) * (1 - natural)))
    attempts = 0
    while len(pairs) < count and attempts < 20 * count:
        attempts += 1
        a = int(rng.choice(half, p=w_jp))
        b = half + int(rng.choice(n - half, p=w_in))
        if not languages[a] & languages[b] and rng.random() > keep:
            continue
        pairs.add((a, b))
    people = tuple(
        Participant(
            id=f"p{i:05d}",
            side="JP" if i < half else "IN",
            unavailable=frozenset(np.flatnonzero(unavailable[i]).tolist()),
            languages=languages[i],
        )
        for i in range(n)
    )
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    asked = tuple(
        Request(id=f"r{k:06d}", a=f"p{a:05d}", b=f"p{b:05d}", priority=int(rng.integers(1, 4)))
        for k, (a, b) in enumerate(ordered)
    )
    staff = tuple(
        Interpreter(
            id=f"i{k:03d}",
            languages=frozenset(LANGUAGE_PAIRS[k % 3 if k % 3 != 2 or k % 6 == 5 else 1]),
            unavailable=frozenset(np.flatnonzero(rng.random(slots) < 0.1).tolist()),
        )
        for k in range(interpreters)
    )
    return Problem(
        slots=slots,
        tables=(n // 2,) * slots,
        participants=people,
        requests=asked,
        interpreters=staff,
    )

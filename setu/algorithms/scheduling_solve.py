"""The scheduler's stages, from the b-matching selection to the table numbers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from setu.algorithms.scheduling_bound import Index, select_requests
from setu.algorithms.scheduling_improve import compact, kempe_compact, upgrade
from setu.algorithms.scheduling_lp import Relaxation
from setu.algorithms.scheduling_model import Bound
from setu.algorithms.scheduling_repair import PASS_BUDGET, Engine

# A pass of insertions stops after this many failures in a row (the rest is unlikely to fit:
# on events where interpreters bind, thousands of requests cannot be placed at all).
STALL_LIMIT = 3000

FixedMeeting = tuple[int, int, int, int]  # request number, slot, table, interpreter (-1: none)


def _start(ix: Index, fixed: Sequence[FixedMeeting]) -> Engine:
    engine = Engine(ix)
    for r, s, table, interpreter in fixed:
        engine.place(r, s, table, interpreter)
        engine.locked[r] = True
    engine.journal.clear()
    return engine


def solve(ix: Index, fixed: Sequence[FixedMeeting], bound: Bound) -> Engine:
    """Run every stage and return the final engine state (slots chosen, tables not yet)."""
    engine = _start(ix, fixed)
    count = len(engine.ends_a)
    if count == 0 or ix.slots == 0:
        return engine
    locked = np.asarray(engine.locked, dtype=np.bool_)
    room = np.fromiter((m.bit_count() for m in engine.free), np.int64, ix.participants)
    total = bound.meetings - len(fixed)  # the bound counts the fixed meetings
    chosen = select_requests(ix, room, ~locked, total)
    tight = _tightness(ix, chosen)
    for r in chosen[np.lexsort((tight[chosen], -ix.priority[chosen]))].tolist():
        engine.insert(r, 0)
        engine.journal.clear()
    _finish(engine, ix, tight, bound)
    return engine


def solve_guided(
    ix: Index,
    fixed: Sequence[FixedMeeting],
    bound: Bound,
    relaxation: Relaxation,
    values: np.ndarray | None = None,
) -> Engine:
    """Start from the LP's optimal fractional schedule instead of the b-matching.

    Columns the LP sets (near) whole go in first, at their slot and table, the highest values
    first; every other request then goes through the usual insertion and repairs. Where
    per-slot tables, booths or interpreters bind, the LP knows which requests to leave out
    and where the others fit; the b-matching does not. ``values`` replaces the LP's
    solution (by default the meetings objective's) with another over the same columns.
    """
    engine = _start(ix, fixed)
    if len(engine.ends_a) == 0 or ix.slots == 0:
        return engine
    if values is None:
        values = relaxation.values
    # Highest LP value first; among equal values, the higher priority.
    order = np.lexsort((-ix.priority[relaxation.requests], -np.round(values, 6)))
    order = order[values[order] > 1e-6]
    requests = relaxation.requests[order].tolist()
    slots = relaxation.slots[order].tolist()
    tables = relaxation.tables[order].tolist()
    for r, s, t in zip(requests, slots, tables, strict=True):
        if engine.slot[r] >= 0 or engine.locked[r]:
            continue
        if s < 0:  # the LP chose the request, not its slot
            engine.insert(r, 0)
            continue
        if not engine.can_place(r, s):
            continue
        if t >= 0 and not (engine.table_free[t] >> s) & 1:
            continue
        engine.place(r, s, t)
    engine.journal.clear()
    tight = _tightness(ix, np.flatnonzero(np.asarray(engine.slot) >= 0))
    _finish(engine, ix, tight, bound)
    return engine


def _finish(engine: Engine, ix: Index, tight: np.ndarray, bound: Bound) -> None:
    target = min(bound.meetings, int(ix.tables.sum()))
    _fill(engine, ix, tight, 0, target)
    _fill(engine, ix, tight, 2, target)
    for _ in range(3):
        if not upgrade(engine, _waiting(engine, ix, tight)):
            break
        _fill(engine, ix, tight, 0, target)
    compact(engine, passes=4)
    kempe_compact(engine, passes=3)
    compact(engine, passes=2)


def _tightness(ix: Index, chosen: np.ndarray) -> np.ndarray:
    """Sort key: requests with few common slots between busy participants come first."""
    n = ix.participants
    degree = np.bincount(ix.ends_a[chosen], minlength=n) + np.bincount(
        ix.ends_b[chosen], minlength=n
    )
    room = np.maximum(ix.available.sum(axis=1), 1)
    pressure = degree / room
    common = ix.common.sum(axis=1)
    key: np.ndarray = common - 4.0 * (pressure[ix.ends_a] + pressure[ix.ends_b])
    return key


def _waiting(engine: Engine, ix: Index, tight: np.ndarray) -> list[int]:
    """Requests still out, highest priority first, then the tightest."""
    out = np.flatnonzero((np.asarray(engine.slot) < 0) & ~np.asarray(engine.locked, dtype=np.bool_))
    order: list[int] = out[np.lexsort((tight[out], -ix.priority[out]))].tolist()
    return order


def _fill(engine: Engine, ix: Index, tight: np.ndarray, depth: int, target: int) -> None:
    """Try every request still out, highest priority first, until the bound is reached."""
    budget = [PASS_BUDGET]
    failures = 0
    for r in _waiting(engine, ix, tight):
        if engine.placed >= target or failures >= STALL_LIMIT:
            return
        failures = 0 if engine.insert(r, depth, budget) else failures + 1
        engine.journal.clear()

"""The LP bound: a linear relaxation that sees slots, tables, booths and interpreters one by one.

The flow bound (:mod:`setu.algorithms.scheduling_bound`) knows each participant's number of
usable slots and one table total across the day; on events where a slot has one or two tables,
where exhibitors share a booth, or where interpreters are scarce, it can be far above what any
schedule reaches. This relaxation has a variable ``x[r, s]`` for each request ``r`` and each
slot ``s`` it could take, and the rows every schedule obeys:

- each request at most once;
- each participant at most one meeting per slot;
- each slot at most its tables;
- each booth (a table shared by fixed-table participants) at most one meeting per slot;
- each slot's meetings needing interpreters at most the interpreters free then, for every
  group of interpreter language sets (Hall's condition);
- each slot at most one meeting inside a triangle of requested pairs (an odd cycle of three
  people meets at most once per slot; a plain matching relaxation would allow 1.5).

Its optimum, rounded down, bounds the meetings of every valid schedule; with priorities as the
objective it bounds the total priority, for any number of priority levels. HiGHS (SciPy) solves
it; see docs/decisions/0011-lp-scheduling-bound.md for what it costs and when it is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from setu.algorithms.scheduling_bound import Index, IntArray

if TYPE_CHECKING:
    from scipy.sparse import csr_array
# scipy is imported where it is used, as in scheduling_bound.

# Adds one row per distinct key over the given columns, with a limit (one, or one per column).
Group = Callable[[IntArray, IntArray, "np.ndarray | float"], None]

# Interpreter classes beyond this many get only per-class and all-class rows (not every subset).
MAX_SUBSET_CLASSES = 6
# HiGHS gets this long per LP; past it the smaller bounds stand alone.
TIME_LIMIT_SECONDS = 2.0
# The full LP is solved only up to this many (request, slot, table) columns.
MAX_COLUMNS = 40_000
# Triangles beyond this many are not added (the bound stays valid, only looser).
MAX_TRIANGLES = 20_000


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The LP's bounds and the optimal fractional schedule of the meetings objective."""

    meetings: int  # rounded down: no schedule places more
    priority: int  # rounded down: no schedule reaches more total priority; -1 if not solved
    requests: IntArray  # per column: request, slot (-1: not chosen), table (-1: any) ...
    slots: IntArray
    tables: IntArray
    values: npt.NDArray[np.float64]  # ... and its value in the optimal solution
    # The most total priority among the LP's solutions with the most meetings (same columns);
    # None where not solved.
    at_count: npt.NDArray[np.float64] | None = None


def relax(ix: Index, priority: bool = True) -> Relaxation | None:
    """Solve the LP (meetings, then total priority); None if HiGHS ran out of time."""
    from scipy.sparse import csr_array, vstack

    req, slot, table = _columns(ix)
    empty = np.zeros(0, dtype=np.int64)
    if len(req) == 0:
        return Relaxation(0, 0, empty, empty, empty, np.zeros(0))
    rows, cols, upper = _rows(ix, req, slot, table)
    matrix = csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(upper), len(req)))
    meetings = _solve(-np.ones(len(req)), matrix, upper)
    if meetings is None:
        return None
    best = -1
    at_count = None
    if priority:
        cost = -ix.priority[req].astype(float)
        weighted = _solve(cost, matrix, upper)
        if weighted is None:
            return None
        best = _floor(weighted[0])
        # The same objective with the meeting count held at the LP's maximum (a row "at least
        # that many meetings", a hair below for HiGHS's tolerances): the fractional schedule
        # the priority-guided start follows.
        held = _solve(
            cost,
            vstack([matrix, csr_array(-np.ones((1, len(req))))], format="csr"),
            np.append(upper, -(meetings[0] - 1e-6)),
        )
        at_count = None if held is None else held[1]
    return Relaxation(_floor(meetings[0]), best, req, slot, table, meetings[1], at_count)


def _floor(value: float) -> int:
    # HiGHS's tolerances are about 1e-7 per row; 1e-6 keeps an integral optimum from rounding down.
    return int(np.floor(value + 1e-6))


def _solve(
    cost: npt.NDArray[np.float64], matrix: csr_array, upper: npt.NDArray[np.float64]
) -> tuple[float, npt.NDArray[np.float64]] | None:
    from scipy.optimize import linprog

    result = linprog(
        cost,
        A_ub=matrix,
        b_ub=upper,
        bounds=(0, 1),
        method="highs",
        options={"time_limit": TIME_LIMIT_SECONDS},
    )
    if result.status != 0:
        return None
    return float(-result.fun), np.asarray(result.x, dtype=np.float64)


def _columns(ix: Index) -> tuple[IntArray, IntArray, IntArray]:
    """(request, slot, table) of every column; table -1 where the request has no fixed table.

    A request between two exhibitors of different booths gets one column per booth.
    """
    req, slot = np.nonzero(ix.common)
    fa = ix.fixed_table[ix.ends_a[req]]
    fb = ix.fixed_table[ix.ends_b[req]]
    first = np.where(fa >= 0, fa, fb)
    second = np.where((fa >= 0) & (fb >= 0) & (fa != fb), fb, -1)
    # Table numbers exist as in the problem (ix.tables may count fewer free ones).
    counts = np.asarray(ix.problem.tables, dtype=np.int64)[slot]
    exists = first < counts
    two = np.flatnonzero((second >= 0) & (second < counts))
    one = np.flatnonzero(exists | (first < 0))
    req_all = np.concatenate([req[one], req[two]])
    slot_all = np.concatenate([slot[one], slot[two]])
    table_all = np.concatenate([np.where(first[one] < 0, -1, first[one]), second[two]])
    order = np.lexsort((table_all, slot_all, req_all))
    return req_all[order], slot_all[order], table_all[order]


def _rows(
    ix: Index, req: IntArray, slot: IntArray, table: IntArray
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
    """Rows as (row, column) coordinates, and each row's upper limit."""
    count = len(req)
    a, b = ix.ends_a[req], ix.ends_b[req]
    slots = ix.slots
    rows: list[np.ndarray] = []
    col_parts: list[np.ndarray] = []
    upper: list[np.ndarray] = []
    top = 0
    column = np.arange(count)

    def group(keys: IntArray, members: IntArray, limit: np.ndarray | float) -> None:
        """One row per distinct key over the given columns, each with its limit."""
        nonlocal top
        if len(keys) == 0:
            return
        unique, inverse = np.unique(keys, return_inverse=True)
        rows.append(top + inverse)
        col_parts.append(members)
        if np.ndim(limit):
            bound = np.asarray(limit, dtype=float)[np.unique(keys, return_index=True)[1]]
        else:
            bound = np.full(len(unique), float(limit))
        upper.append(bound)
        top += len(unique)

    group(req, column, 1.0)
    group(np.concatenate([a, b]) * slots + np.tile(slot, 2), np.tile(column, 2), 1.0)
    group(slot, column, ix.tables[slot])
    booth = np.flatnonzero(table >= 0)
    group(table[booth] * slots + slot[booth], column[booth], 1.0)
    _interpreters(ix, req, slot, column, group)
    _triangles(ix, req, slot, group)
    return np.concatenate(rows), np.concatenate(col_parts), np.concatenate(upper)


def _interpreters(ix: Index, req: IntArray, slot: IntArray, column: IntArray, group: Group) -> None:
    needing = np.flatnonzero(ix.needs[req])
    if len(needing) == 0:
        return
    k = len(ix.classes)
    masks = np.array(
        [sum(1 << c for c in ix.request_classes[r]) for r in req[needing].tolist()],
        dtype=np.int64,
    )
    if k <= MAX_SUBSET_CLASSES:
        subsets = [
            sum(1 << c for c in chosen)
            for size in range(1, k + 1)
            for chosen in combinations(range(k), size)
        ]
    else:
        subsets = [1 << c for c in range(k)] + [(1 << k) - 1]
    for number, subset in enumerate(subsets):
        inside = needing[(masks & ~subset) == 0]
        if len(inside) == 0:
            continue
        members = [c for c in range(k) if subset >> c & 1]
        free = ix.class_free[members].sum(axis=0)
        keys = (number + 1) * ix.slots + slot[inside]
        group(keys, column[inside], free[slot[inside]])


def _triangles(ix: Index, req: IntArray, slot: IntArray, group: Group) -> None:
    """Per slot, the requests of a triangle of participants hold at most one meeting."""
    a = np.minimum(ix.ends_a, ix.ends_b).tolist()
    b = np.maximum(ix.ends_a, ix.ends_b).tolist()
    neighbours: dict[int, set[int]] = {}
    pair_requests: dict[tuple[int, int], list[int]] = {}
    for r, (x, y) in enumerate(zip(a, b, strict=True)):
        neighbours.setdefault(x, set()).add(y)
        neighbours.setdefault(y, set()).add(x)
        pair_requests.setdefault((x, y), []).append(r)
    triangles: list[tuple[int, int, int]] = []
    for x, y in pair_requests:
        for z in neighbours[x] & neighbours[y]:
            if z > y:
                triangles.append((x, y, z))
                if len(triangles) >= MAX_TRIANGLES:
                    break
        if len(triangles) >= MAX_TRIANGLES:
            break
    if not triangles:
        return
    # Columns of each request, by slot.
    by_request: dict[int, list[int]] = {}
    for c in range(len(req)):
        by_request.setdefault(int(req[c]), []).append(c)
    keys: list[int] = []
    members: list[int] = []
    slots = ix.slots
    for t, (x, y, z) in enumerate(triangles):
        for pair in ((x, y), (y, z), (x, z)):
            for r in pair_requests[pair]:
                for c in by_request.get(r, []):
                    keys.append(t * slots + int(slot[c]))
                    members.append(c)
    group(np.asarray(keys, dtype=np.int64), np.asarray(members, dtype=np.int64), 1.0)


def relax_aggregated(ix: Index, known: int | None = None, held: bool = False) -> Relaxation | None:
    """(meetings, priority) bounds of a smaller LP that forgets which slot each meeting takes.

    Columns: one per request and possible table (booth). Rows: each request at most once, each
    participant at most their usable slots, each booth at most the slots it can be used in,
    all meetings at most the tables of the day, and interpreter groups at most their free
    interpreter-slots. It is the flow bound plus booths and interpreters, and solves in a
    fraction of the full LP's time; the full LP is only solved where it is small enough.
    ``held``: also solve for the most priority at the LP's meeting count (``at_count``).
    """
    from scipy.sparse import csr_array, vstack

    req, slot, table = _columns(ix)
    empty = np.zeros(0, dtype=np.int64)
    if len(req) == 0:
        return Relaxation(0, 0, empty, empty, empty, np.zeros(0))
    # One column per (request, table); its usable slots as a mask over slots.
    key = req * (int(table.max(initial=0)) + 2) + (table + 1)
    unique, first = np.unique(key, return_index=True)
    c_req, c_table = req[first], table[first]
    count = len(unique)
    column = np.arange(count)
    people = np.concatenate([ix.ends_a[c_req], ix.ends_b[c_req]])
    usable = np.zeros((ix.participants, ix.slots), dtype=np.bool_)
    usable[np.concatenate([ix.ends_a[req], ix.ends_b[req]]), np.tile(slot, 2)] = True
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    upper: list[npt.NDArray[np.float64]] = []

    def add(keys: IntArray, members: IntArray, limits: npt.NDArray[np.float64]) -> None:
        """Rows over the sorted distinct keys; ``limits`` in the same order."""
        offset = sum(len(u) for u in upper)
        rows.append(offset + np.unique(keys, return_inverse=True)[1])
        cols.append(members)
        upper.append(limits)

    add(c_req, column, np.ones(len(np.unique(c_req))))
    person_keys = np.unique(people)
    add(people, np.tile(column, 2), usable[person_keys].sum(axis=1).astype(float))
    booth = np.flatnonzero(c_table >= 0)
    if len(booth):
        at = np.zeros((int(c_table.max()) + 1, ix.slots), dtype=np.bool_)
        spots = np.flatnonzero(table >= 0)
        at[table[spots], slot[spots]] = True
        booths = np.unique(c_table[booth])
        add(c_table[booth], column[booth], at[booths].sum(axis=1).astype(float))
    per_slot = np.minimum(ix.tables, usable.sum(axis=0) // 2)
    add(np.zeros(count, dtype=np.int64), column, np.array([float(per_slot.sum())]))
    needing = np.flatnonzero(ix.needs[c_req])
    if len(needing):
        k = len(ix.classes)
        masks = np.array(
            [sum(1 << c for c in ix.request_classes[r]) for r in c_req[needing].tolist()]
        )
        for subset in range(1, 1 << min(k, MAX_SUBSET_CLASSES)):
            inside = needing[(masks & ~subset) == 0]
            if len(inside):
                members = [c for c in range(k) if subset >> c & 1]
                free = float(ix.class_free[members].sum())
                add(np.zeros(len(inside), dtype=np.int64), column[inside], np.array([free]))
    matrix = csr_array(
        (np.ones(sum(len(c) for c in cols)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(sum(len(u) for u in upper), count),
    )
    limits = np.concatenate(upper)
    meetings = _solve(-np.ones(count), matrix, limits)
    if meetings is None:
        return None
    slots = np.full(count, -1, dtype=np.int64)
    if known is not None and _floor(meetings[0]) >= known:
        # No lower than the bound already known: it sees nothing more here (odd cycles, say),
        # and its priority bound is not worth a second solve (-1: not solved).
        return Relaxation(_floor(meetings[0]), -1, c_req, slots, c_table, meetings[1])
    cost = -ix.priority[c_req].astype(float)
    priority = _solve(cost, matrix, limits)
    if priority is None:
        return None
    at_count = None
    if held:
        most = _solve(
            cost,
            vstack([matrix, csr_array(-np.ones((1, count)))], format="csr"),
            np.append(limits, -(meetings[0] - 1e-6)),
        )
        at_count = None if most is None else most[1]
    return Relaxation(
        _floor(meetings[0]),
        _floor(priority[0]),
        c_req,
        slots,
        c_table,
        meetings[1],
        at_count,
    )

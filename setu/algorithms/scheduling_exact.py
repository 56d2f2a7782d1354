"""Exact finish for tiny instances: an integer program over (request, slot, table) choices.

The heuristic is not guaranteed optimal; when an instance is small enough that HiGHS solves it
in milliseconds and the heuristic has not already met the upper bound, the integer program
decides, maximising meetings first and total priority second.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from setu.algorithms.scheduling_bound import Index
from setu.algorithms.scheduling_improve import compact
from setu.algorithms.scheduling_model import Bound
from setu.algorithms.scheduling_repair import Engine, bits

# Largest number of (request, slot, table) variables handed to the integer program.
MAX_VARIABLES = 3000
TIME_LIMIT_SECONDS = 5.0


def improve_exactly(ix: Index, engine: Engine, bound: Bound) -> None:
    """Replace the heuristic's placements by an optimal solution when the instance is tiny."""
    placed = [r for r, s in enumerate(engine.slot) if s >= 0]
    got_priority = sum(engine.priority[r] for r in placed)
    if len(placed) >= bound.meetings and got_priority >= bound.priority:
        return
    if int(ix.common.sum()) > MAX_VARIABLES // 2:
        return
    movable = [r for r in range(len(engine.ends_a)) if not engine.locked[r]]
    # Remove the movable meetings: what is left (published meetings) is fixed.
    current = [(r, engine.slot[r], engine.table[r]) for r in placed if not engine.locked[r]]
    for r, _, _ in current:
        engine.remove(r)
    variables: list[tuple[int, int, int]] = []
    for r in movable:
        a, b = engine.ends_a[r], engine.ends_b[r]
        mask = engine.free[a] & engine.free[b] & engine.open
        for s in bits(mask):
            options = [t for t in engine.options[r] if (engine.table_free[t] >> s) & 1]
            if not engine.options[r]:
                variables.append((r, s, -1))
            variables.extend((r, s, t) for t in options)
    solution = _solve(engine, variables) if variables else None
    better = solution is not None and _score(engine, solution) > _score(engine, current)
    for r, s, t in solution if better and solution is not None else current:
        engine.place(r, s, t)
    engine.journal.clear()
    if better:
        compact(engine, passes=4)


def _score(engine: Engine, meetings: list[tuple[int, int, int]]) -> tuple[int, int]:
    return len(meetings), sum(engine.priority[r] for r, _, _ in meetings)


def _solve(engine: Engine, variables: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    weight = sum(engine.priority) + 1
    cost = np.array([-(weight + engine.priority[r]) for r, _, _ in variables], dtype=float)
    rows: list[int] = []
    cols: list[int] = []
    upper: list[float] = []
    groups: dict[tuple[object, ...], int] = {}

    def add(key: tuple[object, ...], column: int, limit: float) -> None:
        row = groups.get(key)
        if row is None:
            row = groups[key] = len(upper)
            upper.append(limit)
        rows.append(row)
        cols.append(column)

    for column, (r, s, t) in enumerate(variables):
        add(("request", r), column, 1)
        add(("person", engine.ends_a[r], s), column, 1)
        add(("person", engine.ends_b[r], s), column, 1)
        add(("slot", s), column, engine.cap[s] - engine.load[s])
        if t >= 0:
            add(("table", s, t), column, 1)
    matrix = coo_array(
        (np.ones(len(rows)), (np.array(rows), np.array(cols))),
        shape=(len(upper), len(variables)),
    ).tocsr()
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper, dtype=float)),
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1),
        options={"time_limit": TIME_LIMIT_SECONDS},
    )
    if result.x is None:
        return []
    chosen = np.flatnonzero(result.x > 0.5).tolist()
    return [variables[c] for c in chosen]

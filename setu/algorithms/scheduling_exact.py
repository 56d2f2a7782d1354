"""Exact finish for tiny instances: an integer program over (request, slot, table) choices.

The heuristic is not guaranteed optimal; when an instance is small enough that HiGHS solves it
in milliseconds and the heuristic has not already met the upper bound, the integer program
decides, maximising meetings first and total priority second.
"""

from __future__ import annotations

import numpy as np

from setu.algorithms.scheduling_bound import Index
from setu.algorithms.scheduling_improve import compact
from setu.algorithms.scheduling_model import Bound
from setu.algorithms.scheduling_repair import Engine, bits

# Largest number of (request, slot, table) variables handed to the integer program.
MAX_VARIABLES = 3000
TIME_LIMIT_SECONDS = 5.0

Variable = tuple[int, int, int, int]  # request, slot, table (-1: any), interpreter class (-1: none)


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
    current = [
        (r, engine.slot[r], engine.table[r], engine.interp[r])
        for r in placed
        if not engine.locked[r]
    ]
    for r, _, _, _ in current:
        engine.remove(r)
    variables: list[Variable] = []
    for r in movable:
        a, b = engine.ends_a[r], engine.ends_b[r]
        mask = engine.free[a] & engine.free[b] & engine.open & engine.interpreter_mask(r)
        for s in bits(mask):
            options = [t for t in engine.options[r] if (engine.table_free[t] >> s) & 1]
            tables = options if engine.options[r] else [-1]
            kinds = [c for c in engine.classes[r] if (engine.class_open[c] >> s) & 1]
            for t in tables:
                variables.extend((r, s, t, c) for c in (kinds if engine.needs[r] else [-1]))
    solution = _solve(engine, variables) if variables else None
    better = solution is not None and _score(engine, solution) > _score(engine, current)
    if better and solution is not None:
        for r, s, t, c in solution:
            engine.place(r, s, t, engine.interp_free[c][s][-1] if c >= 0 else -1)
    else:
        for r, s, t, i in current:
            engine.place(r, s, t, i)
    engine.journal.clear()
    if better:
        compact(engine, passes=4)


def _score(engine: Engine, meetings: list[Variable]) -> tuple[int, int]:
    return len(meetings), sum(engine.priority[m[0]] for m in meetings)


def _solve(engine: Engine, variables: list[Variable]) -> list[Variable]:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array  # scipy where it is used, as in scheduling_bound

    weight = sum(engine.priority) + 1
    cost = np.array([-(weight + engine.priority[v[0]]) for v in variables], dtype=float)
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

    for column, (r, s, t, c) in enumerate(variables):
        add(("request", r), column, 1)
        if c >= 0:
            add(("interpreters", c, s), column, len(engine.interp_free[c][s]))
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

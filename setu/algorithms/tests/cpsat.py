"""A test- and bench-only exact reference: the scheduling problem in OR-Tools CP-SAT.

Never imported by the app (ortools is a dev dependency). Variables ``x[r, s, t]`` as in the
integer program of the tests, with interpreters as per-slot class capacities; maximises
meetings, then (optionally, with the count held) the total priority.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from setu.algorithms.scheduling_model import Problem, can_interpret, needs_interpreter


@dataclass(frozen=True, slots=True)
class Reference:
    meetings: int
    meetings_optimal: bool
    priority: int  # best total priority at ``meetings`` meetings
    priority_optimal: bool
    seconds: float


def solve_reference(
    problem: Problem, seconds: float = 20.0, workers: int = 2, priority: bool = True
) -> Reference:
    people = {p.id: p for p in problem.participants}
    model = cp_model.CpModel()
    chosen: list[tuple[cp_model.IntVar, int]] = []
    per_request: dict[int, list[cp_model.IntVar]] = {}
    per_person: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    per_table: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    per_slot: dict[int, list[cp_model.IntVar]] = {}
    per_class: dict[tuple[frozenset[str], int], list[cp_model.IntVar]] = {}
    free: dict[tuple[frozenset[str], int], int] = {}
    for interpreter in problem.interpreters:
        for s in range(problem.slots):
            if s not in interpreter.unavailable:
                key = (interpreter.languages, s)
                free[key] = free.get(key, 0) + 1
    kinds = sorted({i.languages for i in problem.interpreters}, key=sorted)
    for r, request in enumerate(problem.requests):
        a, b = people[request.a], people[request.b]
        fixed = sorted({t for t in (a.table, b.table) if t is not None})
        needed = needs_interpreter(a, b)
        serving = [k for k in kinds if needed and can_interpret(_stand_in(k), a, b)]
        for s in range(problem.slots):
            if s in a.unavailable or s in b.unavailable or problem.tables[s] == 0:
                continue
            tables = [t for t in fixed if t < problem.tables[s]] if fixed else [-1]
            for t in tables:
                for kind in serving if needed else [None]:
                    if kind is not None and not free.get((kind, s)):
                        continue
                    x = model.new_bool_var(f"x{r}_{s}_{t}")
                    chosen.append((x, request.priority))
                    per_request.setdefault(r, []).append(x)
                    per_person.setdefault((a.id, s), []).append(x)
                    per_person.setdefault((b.id, s), []).append(x)
                    per_slot.setdefault(s, []).append(x)
                    if t >= 0:
                        per_table.setdefault((t, s), []).append(x)
                    if kind is not None:
                        per_class.setdefault((kind, s), []).append(x)
    for group in (*per_request.values(), *per_person.values(), *per_table.values()):
        model.add_at_most_one(group)
    for s, group in per_slot.items():
        model.add(sum(group) <= problem.tables[s])
    for key, group in per_class.items():
        model.add(sum(group) <= free[key])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds
    count = sum(x for x, _ in chosen)
    model.maximize(count)
    status = solver.solve(model)
    spent = solver.wall_time
    meetings = round(solver.objective_value) if chosen else 0
    optimal = status == cp_model.OPTIMAL or not chosen
    best_priority, priority_optimal = 0, True
    if priority and chosen:
        model.add(count >= meetings)
        model.maximize(sum(p * x for x, p in chosen))
        status = solver.solve(model)
        spent += solver.wall_time
        best_priority = round(solver.objective_value)
        priority_optimal = status == cp_model.OPTIMAL
    return Reference(meetings, optimal, best_priority, priority_optimal, spent)


def _stand_in(languages: frozenset[str]):  # type: ignore[no-untyped-def]
    from setu.algorithms.scheduling_model import Interpreter

    return Interpreter(id="x", languages=languages)

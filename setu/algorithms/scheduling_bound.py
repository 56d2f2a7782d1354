"""Array form of a scheduling problem, the upper bound, and the b-matching that guides the schedule.

The bound is the maximum fractional b-matching of the request graph: every participant ``u`` can
hold at most ``b_u`` meetings (the slots in which they are available and could meet one of their
partners), every request at most one. Its value is half the maximum flow in the bipartite double
cover (each participant split into a left and a right copy), which scipy computes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from setu.algorithms.scheduling_model import Bound, Problem, can_interpret, needs_interpreter

if TYPE_CHECKING:
    from scipy.sparse import csr_array

# scipy is imported where it is used: a web process loads this module (the draft page's bound,
# the types of the app's scheduling input) but seldom computes a flow, and scipy is most of
# what importing it would cost (docs/operations.md, "Restarting an app server").

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# More distinct priorities than this are rounded up onto this many levels in the priority bound
# (rounding up keeps it an upper bound).
MAX_PRIORITY_LEVELS = 8


@dataclass(slots=True)
class Index:
    """The problem as arrays: participants and requests are numbered in input order."""

    problem: Problem
    participant_ids: list[str]
    position: dict[str, int]
    ends_a: IntArray
    ends_b: IntArray
    priority: IntArray
    available: BoolArray  # (participants, slots)
    tables: IntArray  # (slots,)
    fixed_table: IntArray  # (participants,), -1 where none
    common: BoolArray  # (requests, slots): both ends available and a usable table exists
    incidence: csr_array  # (participants, requests), 1.0 where the participant is an end
    # Interpreters in classes of equal language sets (interchangeable within a class).
    classes: list[list[int]]  # interpreter numbers of each class
    class_free: IntArray  # (classes, slots): interpreters of the class available in the slot
    request_classes: list[
        tuple[int, ...]
    ]  # per request: classes that can serve it; () if none needed
    needs: BoolArray  # (requests,): the two sides share no language

    @property
    def participants(self) -> int:
        return len(self.participant_ids)

    @property
    def slots(self) -> int:
        return self.problem.slots


def index_problem(problem: Problem) -> Index:
    """Number participants and requests and build the availability arrays."""
    from scipy.sparse import csr_array

    ids = [person.id for person in problem.participants]
    position = {pid: i for i, pid in enumerate(ids)}
    count = len(problem.requests)
    ends_a = np.fromiter((position[r.a] for r in problem.requests), np.int64, count)
    ends_b = np.fromiter((position[r.b] for r in problem.requests), np.int64, count)
    priority = np.fromiter((r.priority for r in problem.requests), np.int64, count)
    tables = np.asarray(problem.tables, dtype=np.int64).reshape(problem.slots)
    available = np.ones((len(ids), problem.slots), dtype=np.bool_)
    fixed_table = np.full(len(ids), -1, dtype=np.int64)
    for i, person in enumerate(problem.participants):
        if person.unavailable:
            available[i, sorted(person.unavailable)] = False
        if person.table is not None:
            fixed_table[i] = person.table
    common = available[ends_a] & available[ends_b]
    # A meeting with a fixed-table participant needs one of its fixed tables to exist in the slot.
    fixed_a, fixed_b = fixed_table[ends_a], fixed_table[ends_b]
    pinned = np.flatnonzero((fixed_a >= 0) | (fixed_b >= 0))
    if len(pinned):
        exists_a = (fixed_a[pinned, None] >= 0) & (fixed_a[pinned, None] < tables[None, :])
        exists_b = (fixed_b[pinned, None] >= 0) & (fixed_b[pinned, None] < tables[None, :])
        common[pinned] &= exists_a | exists_b
    incidence = csr_array(
        (
            np.ones(2 * count, dtype=np.float32),
            (np.concatenate([ends_a, ends_b]), np.tile(np.arange(count), 2)),
        ),
        shape=(len(ids), count),
    )
    classes, class_free, request_classes, needs = _interpreter_classes(problem, ends_a, ends_b)
    # A request needing an interpreter can only go where one of its classes has someone free.
    for r in np.flatnonzero(needs).tolist():
        if request_classes[r]:
            common[r] &= class_free[list(request_classes[r])].sum(axis=0) > 0
        else:
            common[r] = False
    return Index(
        problem=problem,
        participant_ids=ids,
        position=position,
        ends_a=ends_a,
        ends_b=ends_b,
        priority=priority,
        available=available,
        tables=tables,
        fixed_table=fixed_table,
        common=common,
        incidence=incidence,
        classes=classes,
        class_free=class_free,
        request_classes=request_classes,
        needs=needs,
    )


def _interpreter_classes(
    problem: Problem, ends_a: IntArray, ends_b: IntArray
) -> tuple[list[list[int]], IntArray, list[tuple[int, ...]], BoolArray]:
    people = problem.participants
    count = len(problem.requests)
    needs = np.zeros(count, dtype=np.bool_)
    request_classes: list[tuple[int, ...]] = [()] * count
    by_languages: dict[frozenset[str], int] = {}
    classes: list[list[int]] = []
    for i, interpreter in enumerate(problem.interpreters):
        c = by_languages.setdefault(interpreter.languages, len(classes))
        if c == len(classes):
            classes.append([])
        classes[c].append(i)
    class_free = np.zeros((len(classes), problem.slots), dtype=np.int64)
    for c, members in enumerate(classes):
        for i in members:
            away = problem.interpreters[i].unavailable
            class_free[c] += [s not in away for s in range(problem.slots)]
    servers: dict[tuple[frozenset[str], frozenset[str]], tuple[int, ...]] = {}
    languages = list(by_languages)
    for r, (a, b) in enumerate(zip(ends_a.tolist(), ends_b.tolist(), strict=True)):
        if not needs_interpreter(people[a], people[b]):
            continue
        needs[r] = True
        key = (people[a].languages, people[b].languages)
        if key not in servers:
            servers[key] = tuple(
                c
                for c, spoken in enumerate(languages)
                if can_interpret(problem.interpreters[classes[c][0]], people[a], people[b])
                and spoken
            )
        request_classes[r] = servers[key]
    return classes, class_free, request_classes, needs


@dataclass(slots=True)
class _Graph:
    """The requests kept for one bound: those with a common free slot (and a priority filter)."""

    edges: IntArray  # request numbers
    capacity: IntArray  # per participant
    slot_cap: int  # sum over slots of min(tables, usable participants // 2)


def _graph(ix: Index, keep: BoolArray) -> _Graph:
    usable = keep & ix.common.any(axis=1)
    edges = np.flatnonzero(usable)
    # A participant can only use the slots in which they could meet one of these partners.
    kept = (ix.common & usable[:, None]).astype(np.float32)
    meets = np.asarray(ix.incidence @ kept) > 0
    capacity = meets.sum(axis=1, dtype=np.int64)
    per_slot = np.minimum(ix.tables, meets.sum(axis=0, dtype=np.int64) // 2)
    return _Graph(edges=edges, capacity=capacity, slot_cap=int(per_slot.sum()))


def _cover(ix: Index, graph: _Graph, total: int) -> tuple[csr_array, int, int]:
    """Capacity matrix of the double cover; node 2n+2 feeds the source with 2*total."""
    from scipy.sparse import csr_array

    n = ix.participants
    source, sink, top = 2 * n, 2 * n + 1, 2 * n + 2
    a = ix.ends_a[graph.edges]
    b = ix.ends_b[graph.edges]
    people = np.arange(n, dtype=np.int64)
    rows = np.concatenate([[top], np.full(n, source), a, b, n + people])
    cols = np.concatenate([[source], people, n + b, n + a, np.full(n, sink)])
    data = np.concatenate(
        [[2 * total], graph.capacity, np.ones(2 * len(a), np.int64), graph.capacity]
    )
    nonzero = data > 0
    matrix = csr_array(
        (data[nonzero].astype(np.int32), (rows[nonzero], cols[nonzero])),
        shape=(2 * n + 3, 2 * n + 3),
    )
    matrix.sum_duplicates()
    return matrix, top, sink


def _meeting_bound(ix: Index, keep: BoolArray) -> int:
    from scipy.sparse.csgraph import maximum_flow

    graph = _graph(ix, keep)
    total = min(int(ix.tables.sum()), graph.slot_cap)
    if len(graph.edges) == 0 or total == 0:
        return 0
    matrix, top, sink = _cover(ix, graph, total)
    return int(maximum_flow(matrix, top, sink).flow_value) // 2


def _levels(priority: IntArray) -> IntArray:
    """Priority thresholds, the highest priority among them.

    With more distinct priorities than MAX_PRIORITY_LEVELS, some of them are picked; every
    priority then counts as the smallest threshold at or above it (rounded up), which can only
    raise the bound.
    """
    distinct = np.unique(priority[priority > 0])
    if len(distinct) <= MAX_PRIORITY_LEVELS:
        return distinct
    picks = np.linspace(0, len(distinct) - 1, MAX_PRIORITY_LEVELS).round().astype(np.int64)
    return np.asarray(distinct[np.unique(picks)], dtype=np.int64)


def meeting_upper_bound_index(ix: Index) -> Bound:
    """Upper bounds on meetings and on total priority for the indexed problem."""
    everything = np.ones(len(ix.ends_a), dtype=np.bool_)
    meetings = _meeting_bound(ix, everything)
    # Rounded up to the thresholds t_1 < ... < t_k (t_0 = 0), priority(r) is at most
    # sum over j with t_{j-1} < priority(r) of (t_j - t_{j-1}); so the total priority of any
    # schedule is at most sum_j (t_j - t_{j-1}) * bound(requests with priority > t_{j-1}).
    # (Counting priorities >= t_j instead would round down: 53 for priorities 1..10, not 55.)
    levels = _levels(ix.priority)
    layered = 0
    previous = 0
    for level in levels.tolist():
        count = meetings if previous == 0 else _meeting_bound(ix, ix.priority > previous)
        layered += (level - previous) * count
        previous = level
    # Also at most the sum of the `meetings` largest priorities among usable requests.
    usable = ix.priority[ix.common.any(axis=1)]
    top = int(np.sort(usable)[::-1][:meetings].sum()) if meetings else 0
    dual = _dual_priority_bound(ix, _graph(ix, everything), min(meetings, int(ix.tables.sum())))
    return Bound(meetings=meetings, priority=min(layered, top, dual))


def residual_bound(ix: Index, fixed: list[tuple[int, int, int]]) -> Bound:
    """Upper bounds for schedules that keep the ``fixed`` (request, slot) meetings.

    The fixed meetings count as they are; the rest is bounded on what they leave: their
    participants lose those slots, their slots lose a table each, their requests are gone.
    """
    if not fixed:
        return meeting_upper_bound_index(ix)
    bound = meeting_upper_bound_index(residual_index(ix, fixed))
    done = sum(int(ix.priority[r]) for r, _, _ in fixed)
    return Bound(meetings=len(fixed) + bound.meetings, priority=done + bound.priority)


def residual_index(ix: Index, fixed: list[tuple[int, int, int]]) -> Index:
    """The problem left around the fixed (request, slot, interpreter) meetings."""
    if not fixed:
        return ix
    available = ix.available.copy()
    tables = ix.tables.copy()
    common = ix.common.copy()
    class_free = ix.class_free.copy()
    for r, s, interpreter in fixed:
        available[ix.ends_a[r], s] = False
        available[ix.ends_b[r], s] = False
        tables[s] -= 1
        common[r] = False
        for c, members in enumerate(ix.classes):
            if interpreter in members and s not in ix.problem.interpreters[interpreter].unavailable:
                class_free[c, s] -= 1
    common &= available[ix.ends_a] & available[ix.ends_b]
    return replace(ix, available=available, tables=tables, common=common, class_free=class_free)


def _dual_priority_bound(ix: Index, graph: _Graph, total: int, rounds: int = 4) -> int:
    """A feasible dual of the max-priority fractional b-matching LP, improved a few rounds.

    LP: maximise sum p_e x_e with sum_{e at u} x_e <= b_u, sum_e x_e <= total, 0 <= x_e <= 1.
    For any y >= 0 (per participant) and w >= 0, the value
    sum_u b_u y_u + total * w + sum_e max(0, p_e - y_a - y_b - w) bounds the LP from above
    (weak duality with z_e = max(0, ...)), so every round's value is a valid bound. Each round
    sets y_u, one side at a time, to its best value given the other side: the (b_u + 1)-th
    largest of p_e - y_other over u's requests (0 if u has at most b_u requests).
    """
    edges = graph.edges
    if len(edges) == 0:
        return 0
    n = ix.participants
    a, b = ix.ends_a[edges], ix.ends_b[edges]
    p = ix.priority[edges].astype(np.float64)
    cap = graph.capacity
    sides = [person.side for person in ix.problem.participants]
    if all(side is not None for side in sides) and sides:
        colour = np.array([side == sides[0] for side in sides], dtype=np.bool_)
    else:
        colour = (np.arange(n) % 2).astype(np.bool_)
    ends = np.concatenate([a, b])
    other = np.concatenate([b, a])
    gain = np.concatenate([p, p])
    span = 4.0 * (float(p.max()) + 1.0)
    halves = []
    for side in (True, False):
        pick = np.flatnonzero(colour[ends] == side)
        group = ends[pick]
        counts = np.bincount(group, minlength=n)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        people = np.unique(group)
        busy = np.flatnonzero(cap < counts)
        halves.append((pick, group, starts, people, busy))
    y = np.zeros(n)
    best = np.inf
    for _ in range(rounds):
        for pick, group, starts, people, busy in halves:
            value = gain[pick] - y[other[pick]]
            ranked = value[np.argsort(group * span - value, kind="stable")]
            y[people] = 0.0
            y[busy] = np.maximum(ranked[starts[busy] + cap[busy]], 0.0)
        rest = p - y[a] - y[b]
        w = 0.0
        if total < len(rest):
            w = max(0.0, float(np.partition(rest, len(rest) - 1 - total)[len(rest) - 1 - total]))
        value_now = float(cap @ y) + total * w + float(np.maximum(rest - w, 0.0).sum())
        best = min(best, value_now)
    return int(np.floor(best + 1e-6))


def select_requests(ix: Index, capacity_left: IntArray, allowed: BoolArray, total: int) -> IntArray:
    """Choose a large, high-priority set of requests that respects participants' capacity.

    Layered maximum flows on the double cover: first only the highest-priority requests, then
    each lower level augments the flow found so far (augmenting never unsaturates a participant).
    The half-integral result is rounded: whole edges are taken, half edges greedily by priority.
    Returns the chosen request numbers, highest priority first.
    """
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    n = ix.participants
    if total <= 0 or not allowed.any():
        return np.zeros(0, dtype=np.int64)
    graph_all = _graph(ix, allowed)
    capacity = np.minimum(graph_all.capacity, capacity_left)
    flow: csr_array | None = None
    top = sink = 0
    for level in sorted(set(ix.priority[allowed].tolist()), reverse=True):
        keep = allowed & (ix.priority >= level)
        graph = _Graph(
            edges=np.flatnonzero(keep & ix.common.any(axis=1)),
            capacity=capacity,
            slot_cap=total,
        )
        matrix, top, sink = _cover(ix, graph, total)
        residual = matrix if flow is None else (matrix - flow)
        residual.eliminate_zeros()
        step = maximum_flow(csr_array(residual), top, sink).flow
        flow = step if flow is None else flow + step
    assert flow is not None
    edges = graph_all.edges
    a = ix.ends_a[edges]
    b = ix.ends_b[edges]
    # Flow on the arcs a->b' and b->a' of each edge; parallel requests share their arcs.
    there = _arc_flow(flow, a, n + b)
    back = _arc_flow(flow, b, n + a)
    order = np.lexsort((edges, -ix.priority[edges], np.minimum(a, b) * n + np.maximum(a, b)))
    pair = (np.minimum(a, b) * n + np.maximum(a, b))[order]
    starts = np.r_[0, np.flatnonzero(np.diff(pair)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(pair)]))
    rank = np.arange(len(pair)) - group_start
    both = np.minimum(there, back)[order]
    single = (np.maximum(there, back) - np.minimum(there, back))[order]
    rank_ok = rank < both
    half_sel = (~rank_ok) & (rank < both + single)
    chosen = edges[order][rank_ok]
    halves = edges[order][half_sel]
    forward = (there >= back)[order][half_sel]
    tail = np.where(forward, ix.ends_a[halves], ix.ends_b[halves])
    head = np.where(forward, ix.ends_b[halves], ix.ends_a[halves])
    extra = _round_halves(halves.tolist(), tail.tolist(), head.tolist(), ix.priority.tolist())
    result = np.concatenate([chosen, np.asarray(extra, dtype=np.int64)])
    result = result[np.argsort(-ix.priority[result], kind="stable")]
    return result[:total]


def _round_halves(
    requests: list[int], tails: list[int], heads: list[int], priority: list[int]
) -> list[int]:
    """Round the half edges of a half-integral b-matching, losing only on odd cycles.

    The half edges are arcs (tail -> head) from the double-cover flow, each participant having
    at most as many arcs in or out as their spare capacity. Pairing every participant's incoming
    arcs with outgoing ones splits the arcs into trails; taking every other arc of a trail
    keeps each participant within capacity, and gives ceil(len/2) arcs of a path and
    floor(len/2) of a cycle.
    """
    count = len(requests)
    outgoing: dict[int, list[int]] = {}
    incoming: dict[int, list[int]] = {}
    for arc in range(count):
        outgoing.setdefault(tails[arc], []).append(arc)
        incoming.setdefault(heads[arc], []).append(arc)
    successor = [-1] * count
    has_predecessor = [False] * count
    for person, arcs_in in incoming.items():
        for arc_in, arc_out in zip(arcs_in, outgoing.get(person, []), strict=False):
            successor[arc_in] = arc_out
            has_predecessor[arc_out] = True
    seen = [False] * count
    trails: list[tuple[list[int], bool]] = []
    for arc in range(count):
        if not has_predecessor[arc]:
            trail = []
            while arc >= 0:
                seen[arc] = True
                trail.append(arc)
                arc = successor[arc]
            trails.append((trail, False))
    for arc in range(count):
        if not seen[arc]:
            trail = []
            while not seen[arc]:
                seen[arc] = True
                trail.append(arc)
                arc = successor[arc]
            trails.append((trail, True))
    picked: list[int] = []
    for trail, closed in trails:
        length = len(trail)
        best: list[int] = []
        best_key = (-1, -1)
        for parity in (0, 1):
            positions = range(parity, length, 2)
            wraps = closed and length % 2 == 1
            take = [trail[i] for i in positions if not (wraps and i == length - 1)]
            key = (len(take), sum(priority[requests[arc]] for arc in take))
            if key > best_key:
                best, best_key = take, key
        picked.extend(requests[arc] for arc in best)
    return picked


def _arc_flow(flow: csr_array, rows: IntArray, cols: IntArray) -> IntArray:
    """Flow values at (rows[i], cols[i]) of a CSR matrix, 0 where absent."""
    coo = flow.tocoo()
    size = flow.shape[1]
    keys = coo.row.astype(np.int64) * size + coo.col
    order = np.argsort(keys)
    keys = keys[order]
    values = coo.data[order].astype(np.int64)
    wanted = rows * size + cols
    if len(keys) == 0:
        return np.zeros(len(wanted), dtype=np.int64)
    where = np.searchsorted(keys, wanted)
    where = np.minimum(where, len(keys) - 1)
    found = keys[where] == wanted
    return np.where(found, np.maximum(values[where], 0), 0)

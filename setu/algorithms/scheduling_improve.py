"""Improvements once the meeting count is settled: more priority, then fewer idle slots.

Neither stage ever lowers the number of meetings.
"""

from __future__ import annotations

import heapq

from setu.algorithms.scheduling_repair import Engine, bits


def upgrade(engine: Engine, order: list[int]) -> int:
    """Swap lower-priority meetings out for waiting requests; returns the priority gained.

    ``order`` lists waiting requests, highest priority first. For each, look at the slots both
    sides are available in: the one side's meeting there (or, in a slot whose tables are all
    taken, the slot's lowest-priority meeting) gives way if its priority is lower. The one
    giving way is then put back elsewhere when possible.
    """
    slot, priority, locked, occ = engine.slot, engine.priority, engine.locked, engine.occ
    heaps: list[list[tuple[int, int]]] = [[] for _ in range(engine.slots)]
    for r, s in enumerate(slot):
        if s >= 0 and not locked[r]:
            heaps[s].append((priority[r], r))
    for heap in heaps:
        heapq.heapify(heap)
    lowest = min((heap[0][0] for heap in heaps if heap), default=0)
    gained = 0
    for r in order:
        p = priority[r]
        if p <= lowest:
            break  # ``order`` goes by priority: nothing placed is lower any more
        if slot[r] >= 0:
            continue
        a, b = engine.ends_a[r], engine.ends_b[r]
        best_gain, best_slot, best_victim = 0, -1, -1
        for s in bits(engine.common[r]):
            ea, eb = occ[a][s], occ[b][s]
            if ea >= 0 and eb >= 0:
                continue
            victim = ea if ea >= 0 else eb
            if victim < 0:
                if engine.load[s] < engine.cap[s]:
                    continue
                heap = heaps[s]
                while heap and (slot[heap[0][1]] != s or locked[heap[0][1]]):
                    heapq.heappop(heap)
                if not heap:
                    continue
                victim = heap[0][1]
            if locked[victim] or p - priority[victim] <= best_gain:
                continue
            best_gain, best_slot, best_victim = p - priority[victim], s, victim
        if best_slot < 0:
            continue
        mark = len(engine.journal)
        engine.remove(best_victim)
        if not engine.can_place(r, best_slot):
            engine.rollback(mark)
            continue
        engine.place(r, best_slot)
        heapq.heappush(heaps[best_slot], (p, r))
        gained += best_gain
        if engine.insert(best_victim, 0):
            heapq.heappush(heaps[slot[best_victim]], (priority[best_victim], best_victim))
            gained += priority[best_victim]
        engine.journal.clear()
    return gained


def compact(engine: Engine, passes: int) -> int:
    """Move single meetings to slots that leave their two participants fewer idle slots.

    Idle slots of a participant: those between their first and last meeting without a
    meeting. Returns the number of moves made.
    """
    avail, free, slot, locked = engine.avail, engine.free, engine.slot, engine.locked
    ends_a, ends_b = engine.ends_a, engine.ends_b
    total = 0
    for _ in range(passes):
        moved = 0
        for r in range(len(slot)):
            s0 = slot[r]
            if s0 < 0 or locked[r]:
                continue
            a, b = ends_a[r], ends_b[r]
            busy_a = avail[a] & ~free[a]
            busy_b = avail[b] & ~free[b]
            now = (
                busy_a.bit_length()
                - (busy_a & -busy_a).bit_length()
                + 1
                - busy_a.bit_count()
                + busy_b.bit_length()
                - (busy_b & -busy_b).bit_length()
                + 1
                - busy_b.bit_count()
            )
            if now == 0:
                continue
            mask = engine.candidates(r)
            if not mask:
                continue
            here = 1 << s0
            rest_a = busy_a ^ here
            rest_b = busy_b ^ here
            best, best_idle = -1, now
            for s in bits(mask):
                bit = 1 << s
                x = rest_a | bit
                y = rest_b | bit
                after = (
                    x.bit_length()
                    - (x & -x).bit_length()
                    + y.bit_length()
                    - (y & -y).bit_length()
                    + 2
                    - x.bit_count()
                    - y.bit_count()
                )
                if after < best_idle:
                    best, best_idle = s, after
            if best >= 0:
                engine.remove(r)
                engine.place(r, best)
                moved += 1
        engine.journal.clear()
        total += moved
        if moved * 200 < engine.placed:
            break
    return total


def _idle(mask: int) -> int:
    if not mask:
        return 0
    return mask.bit_length() - (mask & -mask).bit_length() + 1 - mask.bit_count()


def kempe_compact(engine: Engine, passes: int, chain_limit: int = 60) -> int:
    """Close idle gaps with alternating-chain swaps; returns the idle slots removed.

    For a participant ``u`` with a gap ``g`` and a first or last meeting at ``s``, swapping
    slots ``s`` and ``g`` along the chain of meetings that starts at u's meeting in ``s``
    changes the busy slots of only the chain's two ends (everyone inside keeps both slots).
    The swap is kept when those two ends' idle slots go down in total.
    """
    avail, free, occ, locked = engine.avail, engine.free, engine.occ, engine.locked
    ends_a, ends_b = engine.ends_a, engine.ends_b
    removed = 0
    for _ in range(passes):
        gain_pass = 0
        for u in range(len(avail)):
            busy = avail[u] & ~free[u]
            before_u = _idle(busy)
            if before_u == 0:
                continue
            first = (busy & -busy).bit_length() - 1
            last = busy.bit_length() - 1
            span = (1 << (last + 1)) - (1 << first)
            gaps = span & free[u]
            for s in (first, last):
                done = False
                for g in bits(gaps):
                    path: list[int] = []
                    cur, colour, other = u, s, g
                    ok = True
                    while True:
                        e = occ[cur][colour]
                        if e < 0:
                            break
                        if locked[e] or len(path) >= chain_limit:
                            ok = False
                            break
                        path.append(e)
                        cur = ends_a[e] if ends_b[e] == cur else ends_b[e]
                        colour, other = other, colour
                    if not ok or not (avail[cur] >> colour) & 1:
                        continue
                    z_busy = avail[cur] & ~free[cur]
                    after_u = _idle(busy ^ (1 << s) | (1 << g))
                    after_z = _idle(z_busy ^ (1 << other) | (1 << colour))
                    delta = after_u + after_z - before_u - _idle(z_busy)
                    if delta >= 0:
                        continue
                    if _swap_chain(engine, path, s, g):
                        removed -= delta
                        gain_pass -= delta
                        done = True
                        break
                if done:
                    break
        engine.journal.clear()
        if gain_pass == 0:
            break
    return removed


def _swap_chain(engine: Engine, path: list[int], alpha: int, beta: int) -> bool:
    mark = len(engine.journal)
    moves = [(e, beta if engine.slot[e] == alpha else alpha) for e in path]
    for e, _ in moves:
        engine.remove(e)
    for e, s in moves:
        if not engine.can_place(e, s):
            engine.rollback(mark)
            return False
        engine.place(e, s)
    return True

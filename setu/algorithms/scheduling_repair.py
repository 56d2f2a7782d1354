"""The slot-assignment engine: placing requests, Kempe-chain and ejection repairs, improvements.

Slots of one participant are kept as bit masks (bit ``s`` = slot ``s``), so "a slot both sides
have free" is one ``&``. Every change goes through :meth:`Engine.place` / :meth:`Engine.remove`,
which keep a journal, so any tentative repair can be rolled back exactly.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from setu.algorithms.scheduling_bound import Index

# Longest alternating chain followed before a Kempe swap is abandoned.
CHAIN_LIMIT = 400
# Search steps an ejection repair may take for one request, and for a whole pass.
EJECT_BUDGET = 200
PASS_BUDGET = 400_000


@functools.cache
def bits(mask: int) -> tuple[int, ...]:
    """Slot numbers set in ``mask``, lowest first (cached: the same masks recur a lot)."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)


def idle(mask: int) -> int:
    """Idle slots between the first and last busy slot of a busy mask."""
    if not mask:
        return 0
    low = (mask & -mask).bit_length() - 1
    return mask.bit_length() - low - mask.bit_count()


class Engine:
    """Mutable schedule state over an :class:`Index`."""

    def __init__(self, ix: Index) -> None:
        slots = ix.slots
        self.slots = slots
        self.ends_a: list[int] = ix.ends_a.tolist()
        self.ends_b: list[int] = ix.ends_b.tolist()
        self.priority: list[int] = ix.priority.tolist()
        self.cap: list[int] = ix.tables.tolist()
        self.load = [0] * slots
        self.open = sum(1 << s for s in range(slots) if self.cap[s] > 0)
        self.avail = pack(ix.available)
        self.free = list(self.avail)
        self.occ: list[list[int]] = [[-1] * slots for _ in range(ix.participants)]
        count = len(self.ends_a)
        self.slot = [-1] * count
        self.table = [-1] * count
        self.locked = [False] * count
        fixed: list[int] = ix.fixed_table.tolist()
        self.options: list[tuple[int, ...]] = [()] * count
        self.table_free: dict[int, int] = {}
        for r in range(count):
            choice = {fixed[self.ends_a[r]], fixed[self.ends_b[r]]} - {-1}
            if choice:
                self.options[r] = tuple(sorted(choice))
                for t in choice:
                    if t not in self.table_free:
                        self.table_free[t] = sum(1 << s for s in range(slots) if t < self.cap[s])
        self.common = pack(ix.common)
        self.members: list[set[int]] = [set() for _ in range(slots)]
        self.holder: dict[tuple[int, int], int] = {}
        self.incident: list[list[int]] | None = None
        # Interpreters: per class and slot, the free ones; per class, the slots with one free.
        self.classes: list[tuple[int, ...]] = ix.request_classes
        self.interp_free: list[list[list[int]]] = [
            [
                [i for i in members if s not in ix.problem.interpreters[i].unavailable]
                for s in range(slots)
            ]
            for members in ix.classes
        ]
        self.class_open = [
            sum(1 << s for s in range(slots) if free[s]) for free in self.interp_free
        ]
        self.class_members = [frozenset(members) for members in ix.classes]
        self.needs: list[bool] = ix.needs.tolist()
        self.interp = [-1] * count
        self.journal: list[tuple[int, int, int, int]] = []
        # Weight of a slot's load (fraction of its tables in use) against one idle slot.
        self.balance = 1.0
        self.placed = 0

    # -- primitive moves -------------------------------------------------------------------

    def static_mask(self, r: int) -> int:
        """Slots both sides are available in and one of the request's tables exists in."""
        return self.common[r]

    def table_mask(self, r: int) -> int:
        options = self.options[r]
        if not options:
            return -1
        mask = 0
        for t in options:
            mask |= self.table_free[t]
        return mask

    def interpreter_mask(self, r: int) -> int:
        """Slots in which an interpreter for ``r`` is free (every slot if none is needed)."""
        if not self.needs[r]:
            return -1
        mask = 0
        for c in self.classes[r]:
            mask |= self.class_open[c]
        return mask

    def candidates(self, r: int) -> int:
        """Slots where ``r`` can go right now without moving anything."""
        return (
            self.free[self.ends_a[r]]
            & self.free[self.ends_b[r]]
            & self.open
            & self.table_mask(r)
            & self.interpreter_mask(r)
        )

    def _take_interpreter(self, r: int, s: int, interpreter: int) -> None:
        """Give ``r`` an interpreter in slot ``s``: ``interpreter`` if given, else from the
        compatible class with the most free in that slot (keeps the scarce ones for others)."""
        bit = 1 << s
        if interpreter >= 0:
            c = next(c for c in self.classes[r] if interpreter in self.interp_free[c][s])
            self.interp_free[c][s].remove(interpreter)
        else:
            c = max(
                (c for c in self.classes[r] if self.class_open[c] & bit),
                key=lambda c: len(self.interp_free[c][s]),
            )
            interpreter = self.interp_free[c][s].pop()
        if not self.interp_free[c][s]:
            self.class_open[c] &= ~bit
        self.interp[r] = interpreter

    def _release_interpreter(self, r: int, s: int) -> int:
        interpreter = self.interp[r]
        if interpreter < 0:
            return -1
        for c in self.classes[r]:
            if interpreter in self.class_members[c]:
                self.interp_free[c][s].append(interpreter)
                self.class_open[c] |= 1 << s
                break
        self.interp[r] = -1
        return interpreter

    def place(self, r: int, s: int, table: int = -1, interpreter: int = -1) -> None:
        bit = 1 << s
        if self.needs[r]:
            self._take_interpreter(r, s, interpreter)
        a, b = self.ends_a[r], self.ends_b[r]
        self.occ[a][s] = r
        self.occ[b][s] = r
        self.free[a] &= ~bit
        self.free[b] &= ~bit
        self.load[s] += 1
        if self.load[s] >= self.cap[s]:
            self.open &= ~bit
        if table < 0 and self.options[r]:
            table = next(t for t in self.options[r] if self.table_free[t] & bit)
        if table in self.table_free:
            self.table_free[table] &= ~bit
        if table >= 0:
            self.holder[(s, table)] = r
        self.members[s].add(r)
        self.table[r] = table
        self.slot[r] = s
        self.placed += 1
        self.journal.append((r, -1, -1, -1))

    def remove(self, r: int) -> None:
        s = self.slot[r]
        bit = 1 << s
        a, b = self.ends_a[r], self.ends_b[r]
        self.occ[a][s] = -1
        self.occ[b][s] = -1
        self.free[a] |= bit
        self.free[b] |= bit
        self.load[s] -= 1
        self.open |= bit
        table = self.table[r]
        if table in self.table_free:
            self.table_free[table] |= bit
        if table >= 0:
            del self.holder[(s, table)]
        self.members[s].discard(r)
        interpreter = self._release_interpreter(r, s)
        self.table[r] = -1
        self.slot[r] = -1
        self.placed -= 1
        self.journal.append((r, s, table, interpreter))

    def rollback(self, mark: int) -> None:
        journal = self.journal
        while len(journal) > mark:
            r, s, table, interpreter = journal.pop()
            if s < 0:
                self.remove(r)
            else:
                self.place(r, s, table, interpreter)
            journal.pop()

    def can_place(self, r: int, s: int) -> bool:
        return bool((self.candidates(r) >> s) & 1)

    # -- choosing and repairing ------------------------------------------------------------

    def best_slot(self, r: int, mask: int) -> int:
        """The slot of ``mask`` adding the fewest idle slots, then the least loaded."""
        a, b = self.ends_a[r], self.ends_b[r]
        busy_a = self.avail[a] & ~self.free[a]
        busy_b = self.avail[b] & ~self.free[b]
        load, cap = self.load, self.cap
        best, best_key = -1, 1e18
        while mask:
            low = mask & -mask
            mask ^= low
            s = low.bit_length() - 1
            key = load[s] / cap[s] * self.balance
            for busy in (busy_a | low, busy_b | low):
                first = (busy & -busy).bit_length()
                key += busy.bit_length() - first + 1 - busy.bit_count()
            if key < best_key:
                best, best_key = s, key
        return best

    def insert(self, r: int, depth: int, budget: list[int] | None = None) -> bool:
        """Place ``r``, moving other meetings if needed; True on success.

        ``depth`` > 0 allows ejection chains that deep, drawing search steps from ``budget``
        (at most :data:`EJECT_BUDGET` for this request).
        """
        if self.slot[r] >= 0:
            return True  # placed meanwhile by another request's repair
        mask = self.candidates(r)
        if mask:
            self.place(r, self.best_slot(r, mask))
            return True
        a, b = self.ends_a[r], self.ends_b[r]
        if (
            self.free[a]
            and self.free[b]
            and self.open
            and (self.kempe(r, a, b) or self.kempe(r, b, a))
        ):
            return True
        if depth > 0 and budget is not None and budget[0] > 0:
            mine = [min(EJECT_BUDGET, budget[0])]
            found = self.eject(r, depth, mine)
            budget[0] -= min(EJECT_BUDGET, budget[0]) - mine[0]
            return found
        return False

    def kempe(self, r: int, u: int, v: int) -> bool:
        """Free a slot ``alpha`` of ``u`` at ``v`` by swapping alpha/beta along v's chain."""
        free_u, free_v = self.free[u], self.free[v]
        alphas = free_u & self.avail[v] & ~free_v & self.table_mask(r) & self.interpreter_mask(r)
        if not alphas or not free_v:
            return False
        occ, ends_a, ends_b, locked = self.occ, self.ends_a, self.ends_b, self.locked
        avail = self.avail
        for alpha in bits(alphas):
            for beta in bits(free_v):
                path: list[int] = []
                cur, colour, other = v, alpha, beta
                ok = True
                while True:
                    e = occ[cur][colour]
                    if e < 0:
                        break
                    if locked[e] or len(path) >= CHAIN_LIMIT:
                        ok = False
                        break
                    path.append(e)
                    cur = ends_a[e] if ends_b[e] == cur else ends_b[e]
                    if cur == u:
                        ok = False
                        break
                    colour, other = other, colour
                if not ok or not (avail[cur] >> colour) & 1:
                    continue
                if self._swap(path, alpha, beta, r, alpha):
                    return True
        return False

    def _swap(self, path: list[int], alpha: int, beta: int, r: int, target: int) -> bool:
        mark = len(self.journal)
        moves = [(e, beta if self.slot[e] == alpha else alpha) for e in path]
        for e, _ in moves:
            self.remove(e)
        for e, s in moves:
            if not self.can_place(e, s):
                self.rollback(mark)
                return False
            self.place(e, s)
        if not self.can_place(r, target):
            self.rollback(mark)
            return False
        self.place(r, target)
        return True

    def eject(self, r: int, depth: int, budget: list[int]) -> bool:
        """Put ``r`` in a slot by taking out what is in its way, recursively.

        What is in the way in slot ``s``: the meetings of r's two participants there, the
        meeting holding r's fixed table, or (when every table is taken) the slot's
        lowest-priority meeting. Each one taken out is put back elsewhere or, failing that,
        replaced by another waiting request of its participants, so no meeting is lost.
        """
        options = []
        # Ejecting never frees an interpreter for r: only slots where one is free now.
        for s in bits(self.common[r] & self.interpreter_mask(r)):
            blockers = self._blockers(r, s)
            if blockers is not None:
                options.append((len(blockers), sum(self.priority[e] for e in blockers), s))
        options.sort()
        for _, _, s in options:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            blockers = self._blockers(r, s)
            if blockers is None:
                continue
            mark = len(self.journal)
            for e in blockers:
                self.remove(e)
            if not self.can_place(r, s):
                self.rollback(mark)
                continue
            self.place(r, s)
            if all(
                self._reinsert(e, depth - 1, budget) or self._replace(e, r, budget)
                for e in blockers
            ):
                return True
            self.rollback(mark)
        return False

    def _blockers(self, r: int, s: int) -> list[int] | None:
        """Meetings to take out of slot ``s`` so ``r`` fits there; None if some are locked."""
        a, b = self.ends_a[r], self.ends_b[r]
        occ = self.occ
        blockers = sorted({occ[a][s], occ[b][s]} - {-1})
        options = self.options[r]
        if options:
            freed = {self.table[e] for e in blockers}
            bit = 1 << s
            if not any(t in freed or self.table_free[t] & bit for t in options):
                holder = self.holder.get((s, options[0]), -1)
                if holder < 0:
                    return None
                blockers.append(holder)
        if self.load[s] - len(blockers) >= self.cap[s]:
            spare = [e for e in self.members[s] if e not in blockers and not self.locked[e]]
            if not spare:
                return None
            blockers.append(min(spare, key=lambda e: (self.priority[e], e)))
        if any(self.locked[e] for e in blockers):
            return None
        return blockers

    def _reinsert(self, e: int, depth: int, budget: list[int]) -> bool:
        if self.slot[e] >= 0:
            return True
        mask = self.candidates(e)
        if mask:
            self.place(e, self.best_slot(e, mask))
            return True
        a, b = self.ends_a[e], self.ends_b[e]
        if self.kempe(e, a, b) or self.kempe(e, b, a):
            return True
        return depth > 0 and self.eject(e, depth, budget)

    def _replace(self, e: int, r: int, budget: list[int]) -> bool:
        """Place another waiting request of e's participants in the room e left."""
        if self.incident is None:
            incident: list[list[int]] = [[] for _ in self.free]
            for q, (x, y) in enumerate(zip(self.ends_a, self.ends_b, strict=True)):
                incident[x].append(q)
                incident[y].append(q)
            self.incident = incident
        for person in (self.ends_a[e], self.ends_b[e]):
            for f in self.incident[person]:
                if f in (e, r) or self.slot[f] >= 0 or self.locked[f]:
                    continue
                if budget[0] <= 0:
                    return False
                budget[0] -= 1
                mask = self.candidates(f)
                if mask:
                    self.place(f, self.best_slot(f, mask))
                    return True
        return False


def pack(rows: npt.NDArray[np.bool_]) -> list[int]:
    """Each row of a boolean (n, slots) array as a bit mask."""
    slots = rows.shape[1]
    if slots <= 62:
        weights = np.left_shift(1, np.arange(slots, dtype=np.int64))
        masks: list[int] = (rows.astype(np.int64) @ weights).tolist()
        return masks
    return [sum(1 << s for s in range(slots) if row[s]) for row in rows.tolist()]

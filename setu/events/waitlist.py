"""Who on the waitlist gets the free seats: plain data in, plain data out (no Django).

The policy (docs/events.md, "Waitlist"):

- The waitlist is served strictly in order. An entry (a person or a group) is promoted only when
  all its seats are free: in total and in its ticket category.
- An entry that does not fit because the event as a whole lacks seats keeps its place and stops
  the walk: nobody behind it jumps it, however small. Seats stay free until enough are free for
  it (or an organiser promotes someone by hand, or raises the capacity).
- An entry that fits the total but not its category (say, the Indian-company seats are full)
  blocks only later entries of that same category; entries of other categories behind it may
  take their own category's free seats, since they take nothing it could use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    """A waiting registration: its id, how many seats it needs, its ticket category (or None)."""

    id: int
    size: int
    category: int | None = None


@dataclass(frozen=True, slots=True)
class FreeSeats:
    """Seats free now. ``None`` means no limit; categories without an entry have no limit."""

    total: int | None
    by_category: Mapping[int, int | None]

    def fits(self, size: int, category: int | None) -> tuple[bool, bool]:
        """(fits the total, fits the category)."""
        total_ok = self.total is None or size <= self.total
        limit = self.by_category.get(category) if category is not None else None
        return total_ok, limit is None or size <= limit


def promotable(free: FreeSeats, queue: Iterable[Entry]) -> list[int]:
    """Ids of the entries, in queue order, that the free seats promote under the policy above."""
    total = free.total
    by_category = dict(free.by_category)
    blocked: set[int | None] = set()
    promoted: list[int] = []
    for entry in queue:
        total_ok, category_ok = FreeSeats(total, by_category).fits(entry.size, entry.category)
        if not total_ok:
            break
        if entry.category in blocked or not category_ok:
            blocked.add(entry.category)
            continue
        promoted.append(entry.id)
        if total is not None:
            total -= entry.size
        limit = by_category.get(entry.category) if entry.category is not None else None
        if entry.category is not None and limit is not None:
            by_category[entry.category] = limit - entry.size
    return promoted


def newcomer_fits(free: FreeSeats, queue: Iterable[Entry], newcomer: Entry) -> bool:
    """Whether a new registration takes seats now instead of joining the end of the line.

    It does when the walk, with it appended, reaches and promotes it: so it never takes a seat
    that someone already waiting is owed.
    """
    return newcomer.id in promotable(free, [*queue, newcomer])

"""The waitlist policy as a pure function (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from setu.events.waitlist import Entry, FreeSeats, newcomer_fits, promotable


def test_promotes_in_order_while_seats_last() -> None:
    queue = [Entry(1, 1), Entry(2, 1), Entry(3, 1)]
    assert promotable(FreeSeats(2, {}), queue) == [1, 2]


def test_a_group_at_the_head_keeps_its_place_and_nobody_jumps_it() -> None:
    queue = [Entry(1, 3), Entry(2, 1), Entry(3, 1)]
    assert promotable(FreeSeats(2, {}), queue) == []
    assert promotable(FreeSeats(3, {}), queue) == [1]
    assert promotable(FreeSeats(5, {}), queue) == [1, 2, 3]


def test_a_full_category_blocks_only_its_own_category() -> None:
    indian, japanese = 10, 20
    queue = [Entry(1, 1, indian), Entry(2, 1, japanese), Entry(3, 1, indian)]
    free = FreeSeats(2, {indian: 0, japanese: 5})
    assert promotable(free, queue) == [2]


def test_unlimited_total_and_category() -> None:
    assert promotable(FreeSeats(None, {}), [Entry(1, 40), Entry(2, 3)]) == [1, 2]


def test_a_newcomer_never_takes_a_seat_owed_to_someone_waiting() -> None:
    queue = [Entry(1, 3)]
    assert not newcomer_fits(FreeSeats(2, {}), queue, Entry(9, 1))
    assert newcomer_fits(FreeSeats(2, {}), [], Entry(9, 1))


entries = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from([None, 1, 2])), min_size=0, max_size=30
)


@given(entries, st.integers(0, 20), st.integers(0, 10), st.integers(0, 10))
def test_never_overbooks_and_keeps_order(
    raw: list[tuple[int, int | None]], total: int, cat1: int, cat2: int
) -> None:
    queue = [Entry(i, size, category) for i, (size, category) in enumerate(raw)]
    free = FreeSeats(total, {1: cat1, 2: cat2})
    chosen = promotable(free, queue)
    by_id = {entry.id: entry for entry in queue}
    assert sum(by_id[i].size for i in chosen) <= total
    for category, limit in ((1, cat1), (2, cat2)):
        assert sum(by_id[i].size for i in chosen if by_id[i].category == category) <= limit
    assert chosen == sorted(chosen)  # served in queue order
    # Nobody is promoted behind an entry blocked by the total.
    remaining = total
    for entry in queue:
        if entry.id in chosen:
            remaining -= entry.size
        elif entry.size > remaining:
            assert all(i < entry.id for i in chosen)
            break

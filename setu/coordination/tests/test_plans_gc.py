"""Computing clashes leaves the process's garbage collector alone (other threads share it)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from setu.algorithms.clashes import Activity, Clash
from setu.coordination import plans


def _activity(id: str, owner: str) -> Activity:
    start = datetime(2027, 3, 1, tzinfo=UTC)
    return Activity(id=id, owner=owner, start=start, end=start + timedelta(days=2), city="x")


def test_the_collector_stays_on_while_clashes_are_computed(monkeypatch: Any) -> None:
    seen: list[bool] = []

    def spying_find_clashes(activities: Any, *, margin: timedelta) -> list[Clash]:
        seen.append(gc.isenabled())
        return []

    monkeypatch.setattr(plans, "find_clashes", spying_find_clashes)
    plans.find_plan_clashes([_activity("mission:1:1", "a")], timedelta(0))
    assert seen == [True]
    assert gc.isenabled()


def test_the_collector_is_on_after_a_failed_computation() -> None:
    duplicate = [_activity("mission:1:1", "a"), _activity("mission:1:1", "b")]
    with pytest.raises(ValueError, match="duplicate activity id"):
        plans.find_plan_clashes(duplicate, timedelta(0))
    assert gc.isenabled()

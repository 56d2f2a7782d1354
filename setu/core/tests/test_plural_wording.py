"""Counted things read right in every language: "1 table left", never "1 tables left"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from setu.conftest import World
from setu.events.registration import Person, Registrant, registration_create
from setu.events.tests.factories import EventFactory
from setu.matchmaking.forms.schedule import slot_label
from setu.matchmaking.selectors.schedule_report import SlotChoice


def _label(free: int) -> str:
    return slot_label(SlotChoice(slot=None, free_tables=free, both_free=True), "10:00")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "one", "three"),
    [
        ("en", "both free, 1 table left", "both free, 3 tables left"),
        ("ja", "1", "3"),
        ("hi", "1", "3"),
    ],
)
def test_tables_left_has_plural_forms(language: str, one: str, three: str) -> None:
    with translation.override(language):
        assert one in _label(1) and three in _label(3)
        if language != "en":  # translated, not the English fallback
            assert "table" not in _label(1) and "table" not in _label(3)


def test_group_limit_of_one_says_person(db: Any, world: World) -> None:
    event = EventFactory.create(owner=world.prefecture, max_group_size=1)
    people = [Person("A", "a@example.org", None), Person("B", "b@example.org", None)]
    with pytest.raises(ValidationError) as refused:
        registration_create(
            event=event, registrant=Registrant(name="A", email="a@example.org"), people=people
        )
    assert "at most 1 person." in " ".join(refused.value.messages)

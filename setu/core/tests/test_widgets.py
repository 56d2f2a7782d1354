"""The long select writes what Django's select template writes, only faster."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe

from setu.core.widgets import LongSelect
from setu.core.zones import zone_choices

CHOICES: list[Any] = [
    ("", "—"),
    ("a&b", 'A <b> & "c"'),
    ("safe", mark_safe("<em>kept</em>")),  # a label marked safe stays markup
    ("Group", [("x", "X"), ("y", "Y")]),
    (7, "seven"),
]


def _same(html: str) -> str:
    return "".join(html.split())


@pytest.mark.parametrize("value", ["", "a&b", "y", 7, "none-of-them"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_t", "required": True, "disabled": False, "aria-describedby": "t_help"}],
)
def test_the_markup_is_djangos(value: Any, attrs: dict[str, Any] | None) -> None:
    django_html = forms.Select(choices=CHOICES).render("t", value, attrs)
    ours = LongSelect(choices=CHOICES).render("t", value, attrs)
    assert _same(ours) == _same(django_html)


def test_a_zone_select_keeps_the_chosen_zone_and_escapes_labels() -> None:
    field = forms.ChoiceField(choices=zone_choices, widget=LongSelect)
    html = field.widget.render("time_zone", "Asia/Kolkata")
    assert '<option value="Asia/Kolkata" selected>' in html
    assert html.count(" selected") == 1
    assert "<b>" not in LongSelect(choices=CHOICES).render("t", "")

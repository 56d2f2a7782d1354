"""Form widgets shared by every app."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """As the template's autoescape: a safe string as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attributes(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: in order, True bare, False left out."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A select of hundreds of options (time zones, countries), written in Python.

    Django renders each option through its own template, about 50 µs apiece: the ~420 zones
    and ~250 countries made most of the guest registration form's time (docs/performance.md,
    "Production shape"). The markup is the one ``django/forms/widgets/select.html`` writes:
    the same attributes in the same order, ``selected``, option groups and escaping
    (``setu/core/tests/test_widgets.py`` compares the two)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'<optgroup label="{_escape(group)}">')
            parts.extend(
                f'<option value="{_escape(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_escape(option['label'])}</option>"
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  # every value above is escaped

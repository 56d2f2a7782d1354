"""Search-as-you-type for a lead's company and counterpart (htmx; no script of its own).

At 100,000 organisations a ``<select>`` listing them all is megabytes of HTML. The widget
writes a search box and, as radio buttons, only the organisation chosen so far; typing asks
``results:organisation_search`` (htmx) for the first matches the user may see, which replace
the buttons. The field stays a ``ModelChoiceField`` over the visible organisations, so the
form still refuses any other on the server.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from setu.core.params import FILTER_MAX_CHARS


class OrganisationSearch(forms.Widget):
    """A search box and radio buttons; ``choices`` is the field's (visible) queryset."""

    choices: Any = ()

    def __init__(self, attrs: dict[str, Any] | None = None, *, optional: bool = False) -> None:
        super().__init__(attrs)
        self.optional = optional

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        field_id = attrs.get("id") or f"id_{name}"
        selected = None
        if value not in (None, ""):
            queryset = getattr(self.choices, "queryset", None)
            if queryset is not None:
                selected = queryset.filter(pk=str(value)).first() if str(value).isdigit() else None
        return render_to_string(
            "results/partials/_organisation_search.html",
            {
                "name": name,
                "id": field_id,
                "url": reverse("results:organisation_search"),
                "options": [selected] if selected is not None else [],
                "selected_pk": selected.pk if selected is not None else None,
                "optional": self.optional,
                "describedby": attrs.get("aria-describedby", ""),
                # a widget renders without the context processors: the one constant, passed on
                "filter_max_chars": FILTER_MAX_CHARS,
            },
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def id_for_label(self, id_: str) -> str:
        return id_

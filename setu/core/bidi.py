"""Bidirectional-text controls in titles and names (docs/decisions/0009).

An override (U+202E RIGHT-TO-LEFT OVERRIDE) makes "Invoice", U+202E, "fdp.exe" read
"Invoiceexe.pdf" on screen, and an unclosed embedding or isolate reorders what the page shows
after the title. Every title and name a person types loses these controls when its record is
saved: the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069 always; the
marks U+200E and U+200F (LRM, RLM) when the text has no right-to-left letter, since only such
text (an Urdu name, say) needs them. The rest of the text is kept as typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from django.db import models

EMBEDDINGS_OVERRIDES_ISOLATES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
MARKS = "\u200e\u200f"
_DROP_CONTROLS = str.maketrans("", "", EMBEDDINGS_OVERRIDES_ISOLATES)
_DROP_MARKS = str.maketrans("", "", MARKS)
# title, title_en, name, name_latin, full_name, source_title, organisation_name, ...
TITLE_OR_NAME = re.compile(r"(^|_)(title|name)(_|$)")


def strip_bidi_controls(value: str) -> str:
    cleaned = value.translate(_DROP_CONTROLS)
    without_marks = cleaned.translate(_DROP_MARKS)
    # (RLM is itself of class R: look at the letters only)
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in without_marks):
        return without_marks
    return cleaned


@cache
def title_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The single-line title and name fields of ``model`` that people type."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField)
        and not isinstance(field, (models.SlugField, models.EmailField, models.URLField))
        and field.editable
        and TITLE_OR_NAME.search(field.name)
    )


def normalise_titles(instance: models.Model) -> None:
    """Strip bidi controls from every title and name field of ``instance`` (before saving;
    bulk writers call it themselves, ``pre_save`` calls it for every other save)."""
    for attname in title_fields(type(instance)):
        value = getattr(instance, attname)
        if isinstance(value, str):
            setattr(instance, attname, strip_bidi_controls(value))


def normalise_on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender.__module__.startswith("setu."):
        normalise_titles(instance)

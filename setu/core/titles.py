"""A title held in English, Japanese and Hindi, shown in the reader's language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized


class TrilingualTitle(models.Model):
    """Abstract base: ``title_en``, ``title_ja``, ``title_hi`` and ``display_title``.

    ``display_title`` follows ``setu.core.i18n.fallback_order``: the reader's language, then
    English, then Japanese, then any (docs/architecture.md). Each model keeps its own
    "has a title" check constraint, since constraint names are per model.
    """

    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_hi = models.CharField(_("title (Hindi)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return localized(self, "title")

"""Announcements from the secretariat and the member prefectures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.core.models import OwnedModel
from setu.core.titles import TrilingualTitle
from setu.library.models.documents import ContentLanguage


class Announcement(TrilingualTitle, OwnedModel):
    """News for the network, in up to three languages, optionally pushed by email."""

    body_en = models.TextField(_("text (English)"), blank=True)
    body_ja = models.TextField(_("text (Japanese)"), blank=True)
    body_hi = models.TextField(_("text (Hindi)"), blank=True)
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=ContentLanguage.choices[:3],
        default=ContentLanguage.EN,
    )
    sectors = models.ManyToManyField(
        "directory.Sector",
        blank=True,
        related_name="library_announcements",
        verbose_name=_("sectors"),
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    push_email = models.BooleanField(
        _("also send it by email"),
        default=False,
        help_text=_("Everyone who may read it gets an email in their own language."),
    )
    pushed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""),
                name="announcement_has_a_title",
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("library:announcement", args=[self.pk])

    @property
    def body(self) -> str:
        return localized(self, "body")

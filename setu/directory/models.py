from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.core.models import Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class OrganisationKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Consortium secretariat")
    MEMBER_PREFECTURE = "member_prefecture", _("Member prefecture")
    PREFECTURE = "prefecture", _("Japanese prefecture (not a member)")
    INDIAN_STATE = "indian_state", _("Indian state or union territory")
    COMPANY = "company", _("Company")
    ACADEMIC = "academic", _("Academic institution")
    AGENCY = "agency", _("Government agency")
    CHAMBER = "chamber", _("Chamber or association")


class Language(models.TextChoices):
    EN = "en", _("English")
    JA = "ja", _("Japanese")
    HI = "hi", _("Hindi")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """An organisation is its own owner; its managing prefecture's officers read it too."""
        from setu.core.visibility import visibility_q

        return self.filter(visibility_q(user, owner_field="id", managed_by_field="managed_by"))


class Organisation(models.Model):
    """Who is who in the partnership. The directory issue adds profiles, sectors and people."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 code"))
    region = models.CharField(
        _("region"), max_length=8, blank=True, help_text=_("ISO 3166-2 code, e.g. JP-19 or IN-MH")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    managed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_organisations",
        limit_choices_to={"kind": OrganisationKind.MEMBER_PREFECTURE},
        verbose_name=_("managed by"),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PARTNERS,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="", name_ja="", name_hi=""),
                name="organisation_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def is_member_prefecture(self) -> bool:
        return self.kind == OrganisationKind.MEMBER_PREFECTURE

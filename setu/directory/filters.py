"""The directory's list filters, shared by the list pages and the exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from setu.directory.models import (
    FocalSector,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    Region,
    Sector,
)

ORGANISATION_SORTS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "newest": ("-created_at", "-id"),
    "employees": ("-employees", "sort_name"),
}


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("Any")), ("JP", _("Japan")), ("IN", _("India"))],
    )
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.all(), empty_label=_("Any")
    )
    focal = forms.ModelChoiceField(
        label=_("Focal sector"),
        required=False,
        queryset=FocalSector.objects.all(),
        empty_label=_("Any"),
        to_field_name="key",
    )
    sector = forms.ModelChoiceField(
        label=_("ISIC division"),
        required=False,
        queryset=Sector.objects.filter(level="division"),
        empty_label=_("Any"),
        to_field_name="code",
    )
    sme = forms.ChoiceField(
        label=_("SME"),
        required=False,
        choices=[("", _("Any")), ("yes", _("SMEs only")), ("no", _("Not SMEs"))],
    )
    partnership = forms.ChoiceField(
        label=_("Partnership"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Has a prefecture–state agreement"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name, A to Z")),
            ("-name", _("Name, Z to A")),
            ("newest", _("Newest first")),
            ("employees", _("Most employees")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Any")), *OrganisationKind.choices]

    def apply(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Narrow ``queryset`` (already permission-filtered) by the valid fields."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            words = data["q"].split()
            for word in words:
                queryset = queryset.filter(
                    Q(name_en__icontains=word)
                    | Q(name_ja__icontains=word)
                    | Q(name_hi__icontains=word)
                    | Q(name_ja_kana__icontains=word)
                )
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["country"]:
            queryset = queryset.filter(country=data["country"])
        if data["region"]:
            queryset = queryset.filter(region=data["region"])
        if data["sector"]:
            queryset = queryset.filter(
                Exists(
                    Organisation.sectors.through.objects.filter(
                        organisation_id=OuterRef("pk"), sector=data["sector"]
                    )
                )
            )
        if data["focal"]:
            queryset = queryset.filter(
                Exists(
                    Organisation.sectors.through.objects.filter(
                        organisation_id=OuterRef("pk"),
                        sector__in=data["focal"].sectors.all(),
                    )
                )
            )
        if data["sme"] == "yes":
            queryset = queryset.filter(is_sme=True)
        elif data["sme"] == "no":
            queryset = queryset.filter(is_sme=False)
        if data["partnership"] == "yes":
            queryset = queryset.filter(
                Exists(Partnership.parties.through.objects.filter(organisation_id=OuterRef("pk")))
            )
        return queryset.order_by(*ORGANISATION_SORTS.get(data["sort"] or "name", ("sort_name",)))


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def apply(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        for word in (data["q"] or "").split():
            queryset = queryset.filter(
                Q(name_latin__icontains=word) | Q(name_native__icontains=word)
            )
        if data["organisation"]:
            queryset = queryset.filter(organisation_id=data["organisation"])
        return queryset

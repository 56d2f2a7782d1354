"""The library's search and list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from setu.algorithms.text import query_terms
from setu.core.params import ID_MAX, SEARCH_MAX_CHARS
from setu.directory.models import FocalSector, Region, Sector
from setu.library.models import ContentLanguage, Document, DocumentKind, MarketBrief
from setu.library.search.registry import sources

MAX_QUERY_CHARS = SEARCH_MAX_CHARS


def type_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("Everything"))]
    for source in sources():
        choices.append((source.name, source.label))
        choices.extend((f"{source.name}/{kind}", label) for kind, label in source.kinds.items())
    return choices


def sector_choices() -> list[tuple[Any, Any]]:
    focal = [(f"focal:{f.key}", f.display_name) for f in FocalSector.objects.all()]
    divisions = [
        (f"isic:{s.code}", f"{s.code} {s.display_name}")
        for s in Sector.objects.filter(level="division")
    ]
    return [("", _("Any")), (_("Focal sectors"), focal), (_("ISIC divisions"), divisions)]


def sector_ids(value: str) -> tuple[int, ...]:
    """ "focal:renewable_energy" → the ids of its ISIC codes; "isic:35" → that division."""
    scheme, _sep, key = value.partition(":")
    if scheme == "focal":
        focal = FocalSector.objects.filter(key=key).first()
        return tuple(focal.sectors.values_list("pk", flat=True)) if focal else ()
    if scheme == "isic":
        return tuple(Sector.objects.filter(code=key).values_list("pk", flat=True))
    return ()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    type = forms.ChoiceField(label=_("Type"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *ContentLanguage.choices]
    )
    owner = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["type"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = type_choices()
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = sector_choices()

    def clean_q(self) -> str:
        query: str = self.cleaned_data.get("q", "")
        if len(query) > MAX_QUERY_CHARS:
            raise ValidationError(
                _(
                    "Your search is %(length)s characters long. Use at most %(limit)s: a few "
                    "words are enough."
                ),
                params={"length": len(query), "limit": MAX_QUERY_CHARS},
            )
        if query and not query_terms(query):
            raise ValidationError(
                _("Type at least one word: punctuation and particles alone find nothing.")
            )
        return query

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *DocumentKind.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *ContentLanguage.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    owner = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = sector_choices()

    def apply(self, queryset: QuerySet[Document]) -> QuerySet[Document]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["language"]:
            queryset = queryset.filter(language=data["language"])
        if data["owner"]:
            queryset = queryset.filter(owner_id=data["owner"])
        if data["tag"]:
            queryset = queryset.filter(tags__name__iexact=data["tag"])
        if data["sector"]:
            ids = sector_ids(data["sector"])
            through = Document.sectors.through
            focal_through = Document.focal_sectors.through
            focal_ids = FocalSector.sectors.through.objects.filter(sector_id__in=ids).values(
                "focalsector_id"
            )
            queryset = queryset.filter(
                pk__in=through.objects.filter(sector_id__in=ids).values("document_id")
            ) | queryset.filter(
                pk__in=focal_through.objects.filter(focalsector_id__in=focal_ids).values(
                    "document_id"
                )
            )
        return queryset


class BriefFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    state = forms.ModelChoiceField(
        label=_("Indian state"),
        required=False,
        queryset=Region.objects.filter(country="IN").order_by("name_en"),
        empty_label=_("Any"),
    )
    group = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[("sector", _("Sector")), ("state", _("State"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = sector_choices()

    def apply(self, queryset: QuerySet[MarketBrief]) -> QuerySet[MarketBrief]:
        if not self.is_valid():
            return queryset
        if self.cleaned_data["sector"]:
            queryset = queryset.filter(sector_id__in=sector_ids(self.cleaned_data["sector"]))
        if self.cleaned_data["state"]:
            queryset = queryset.filter(state=self.cleaned_data["state"])
        return queryset

"""Forms of the results pages. They validate; the services in ``services`` and ``surveys`` write.

Every field that offers records offers only what the user may see (and, for leads and
origins, only what the user's prefectures work or own).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from setu.coordination.forms.common import DATE, OrganisationChoice
from setu.coordination.models import Mission
from setu.core.principal import principal_for
from setu.directory.models import (
    TRAVEL_TRADE_KINDS,
    Currency,
    Organisation,
    OrganisationKind,
    Partnership,
    Sector,
)
from setu.events.models import Event
from setu.library.models import Document
from setu.results.models import Deal, Lead, OriginKind, Stage, Survey
from setu.results.widgets import OrganisationSearch

COMPANY_KINDS = (
    OrganisationKind.COMPANY, OrganisationKind.ACADEMIC, OrganisationKind.AGENCY,
    OrganisationKind.CHAMBER, *TRAVEL_TRADE_KINDS,
)  # fmt: skip


def company_choices(user: Any) -> QuerySet[Organisation]:
    """Companies and institutions the user may see: the two sides of a lead."""
    return (
        Organisation.objects.visible_to(user)
        .filter(kind__in=COMPANY_KINDS, merged_into__isnull=True)
        .order_by("name_en", "pk")
    )


SEARCH_LIMIT = 20


def organisation_search(user: Any, text: str) -> list[Organisation]:
    """The first companies and institutions the user may see whose name holds ``text``."""
    text = text.strip()
    if len(text) < 2:
        return []
    names = Q()
    for field in ("name_en", "name_ja", "name_hi", "name_ja_kana"):
        names |= Q(**{f"{field}__icontains": text})
    return list(company_choices(user).filter(names)[:SEARCH_LIMIT])


def owned_events(user: Any) -> QuerySet[Event]:
    """Events the user's prefectures host (lead or co-host) that the user may see."""
    officer_of = principal_for(user).officer_org_ids
    return (
        Event.objects.visible_to(user)
        .filter(Q(owner__in=officer_of) | Q(links__organisation__in=officer_of))
        .distinct()
        .order_by("-starts_at")
    )


def owned_missions(user: Any) -> QuerySet[Mission]:
    """Missions the user's prefectures lead or join that the user may see."""
    officer_of = principal_for(user).officer_org_ids
    return (
        Mission.objects.visible_to(user)
        .filter(Q(owner__in=officer_of) | Q(participants__organisation__in=officer_of))
        .distinct()
        .order_by("-starts_on")
    )


class TitleChoice(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "display_title", obj))


class SectorChoice(forms.ModelChoiceField[Sector]):
    def label_from_instance(self, obj: Sector) -> str:
        return f"{obj.code} {obj.display_name}"


class LeadForm(forms.ModelForm[Lead]):
    """A lead entered or edited by hand; its origin may be one of the user's events or
    missions."""

    class Meta:
        model = Lead
        fields = [
            "kind", "title", "company", "counterpart", "counterpart_note", "sector",
            "expected_value", "currency", "probability", "next_step", "next_step_due", "notes",
            "visibility", "origin_kind", "origin_event", "origin_mission",
            "season", "expected_travellers", "travellers_booked",
        ]  # fmt: skip
        widgets = {
            "next_step_due": DATE,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "expected_value": forms.NumberInput(attrs={"min": "0", "step": "any"}),
            "probability": forms.NumberInput(attrs={"min": "0", "max": "100"}),
            # Search as you type: no <select> of every organisation (results/widgets.py).
            "company": OrganisationSearch(),
            "counterpart": OrganisationSearch(optional=True),
        }
        field_classes = {
            "company": OrganisationChoice,
            "counterpart": OrganisationChoice,
            "sector": SectorChoice,
            "origin_event": TitleChoice,
            "origin_mission": TitleChoice,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        companies = company_choices(user)
        self.fields["company"].queryset = companies  # type: ignore[attr-defined]
        self.fields["counterpart"].queryset = companies  # type: ignore[attr-defined]
        self.fields["sector"].queryset = Sector.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["origin_event"].queryset = owned_events(user)  # type: ignore[attr-defined]
        self.fields["origin_mission"].queryset = owned_missions(user)  # type: ignore[attr-defined]
        kinds = [OriginKind.MANUAL, OriginKind.EVENT, OriginKind.MISSION]
        current = self.instance.origin_kind if self.instance.pk else None
        if current and current not in kinds:
            kinds.append(OriginKind(current))
        origin = self.fields["origin_kind"]
        assert isinstance(origin, forms.ChoiceField)
        origin.choices = [(k.value, k.label) for k in kinds]
        self.fields["expected_value"].validators.append(MinValueValidator(Decimal(0)))
        self.fields["probability"].validators.append(MaxValueValidator(100))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expected_value") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the value."))
        kind = data.get("origin_kind")
        if kind == OriginKind.EVENT and not data.get("origin_event"):
            self.add_error("origin_event", _("Choose the event the lead came from."))
        if kind == OriginKind.MISSION and not data.get("origin_mission"):
            self.add_error("origin_mission", _("Choose the mission the lead came from."))
        company, counterpart = data.get("company"), data.get("counterpart")
        if company and counterpart and company == counterpart:
            self.add_error(
                "counterpart", _("The counterpart must be another organisation than the company.")
            )
        return data


class MoveForm(forms.Form):
    """Move a lead to another stage; a reason when it goes back."""

    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the lead moves back, or out of “won”."),
    )


class CreditsForm(forms.Form):
    """The owner's split of a lead's credit: a percentage for each prefecture credited."""

    def __init__(
        self,
        *args: Any,
        prefectures: list[Organisation],
        current: dict[int, Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.prefectures = prefectures
        for organisation in prefectures:
            self.fields[f"share_{organisation.pk}"] = forms.DecimalField(
                label=organisation.display_name,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                initial=(current.get(organisation.pk, Decimal(0)) * 100).normalize(),
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
            )

    def shares(self) -> dict[int, Decimal]:
        """The shares as fractions of 1, by prefecture id."""
        return {
            organisation.pk: (self.cleaned_data[f"share_{organisation.pk}"] or Decimal(0)) / 100
            for organisation in self.prefectures
        }


class DealForm(forms.ModelForm[Deal]):
    class Meta:
        model = Deal
        fields = [
            "value", "currency", "closed_on", "evidence", "investment_amount", "jobs_planned",
            "site",
        ]  # fmt: skip
        widgets = {
            "closed_on": DATE,
            "value": forms.NumberInput(attrs={"min": "0", "step": "any"}),
            "investment_amount": forms.NumberInput(attrs={"min": "0", "step": "any"}),
        }
        field_classes = {"evidence": TitleChoice}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = (  # type: ignore[attr-defined]
            Document.objects.visible_to(user).order_by("-created_at")
        )
        self.fields["value"].validators.append(MinValueValidator(Decimal(0)))
        self.fields["investment_amount"].validators.append(MinValueValidator(Decimal(0)))


class AgreementChoice(forms.ModelChoiceField[Partnership]):
    def label_from_instance(self, obj: Partnership) -> str:
        return obj.display_title


class MouLinkForm(forms.Form):
    """Link an agreement (an MoU of the directory) to a lead or a mission behind it."""

    partnership = AgreementChoice(label=_("Agreement"), queryset=Partnership.objects.none())
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=Lead.objects.none(), required=False)
    mission = TitleChoice(label=_("Mission"), queryset=Mission.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer_of = principal_for(user).officer_org_ids
        self.fields["partnership"].queryset = (  # type: ignore[attr-defined]
            Partnership.objects.visible_to(user).order_by("-signed_on", "pk")
        )
        self.fields["lead"].queryset = (  # type: ignore[attr-defined]
            Lead.objects.visible_to(user).filter(owner__in=officer_of).order_by("title")
        )
        self.fields["mission"].queryset = owned_missions(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("lead")) == bool(data.get("mission")):
            raise forms.ValidationError(_("Link the agreement to one lead or one mission."))
        return data


class SurveyForm(forms.ModelForm[Survey]):
    class Meta:
        model = Survey
        fields = ["event", "mission", "send_after_days"]
        field_classes = {"event": TitleChoice, "mission": TitleChoice}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer_of = principal_for(user).officer_org_ids
        self.fields["event"].queryset = (  # type: ignore[attr-defined]
            Event.objects.visible_to(user).filter(owner__in=officer_of).order_by("-starts_at")
        )
        self.fields["mission"].queryset = (  # type: ignore[attr-defined]
            Mission.objects.visible_to(user).filter(owner__in=officer_of).order_by("-starts_on")
        )
        self.fields["send_after_days"].validators.append(MaxValueValidator(365))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("event")) == bool(data.get("mission")):
            raise forms.ValidationError(_("Choose one event or one mission."))
        return data


USEFULNESS = [(n, str(n)) for n in range(1, 6)]


class SurveyAnswerForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was it for your business?"),
        help_text=_("1 = not useful, 5 = very useful"),
        choices=USEFULNESS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    meetings_led_somewhere = forms.IntegerField(
        label=_("How many of your meetings led somewhere?"),
        min_value=0,
        max_value=1000,
        required=False,
    )
    expected_business = forms.CharField(
        label=_("What business do you expect, or have you done, as a result?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_value = forms.DecimalField(
        label=_("Its value, if you can say"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[("", "—"), *Currency.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expected_value") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the value."))
        return data


class EventCostForm(forms.Form):
    """One cost of an event, in yen."""

    title = forms.CharField(label=_("Cost item"), max_length=200)
    amount_jpy = forms.IntegerField(
        label=_("Amount (JPY)"),
        min_value=0,
        max_value=10**15,
        widget=forms.NumberInput(attrs={"min": "0", "step": "1", "inputmode": "numeric"}),
    )

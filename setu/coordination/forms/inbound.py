"""Forms of inbound visits: the inviting side, adding a visitor, and the visitor's own details
(through the signed link, in English or Hindi). Forms check shape; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from setu.coordination.forms.common import DATE, OrganisationChoice
from setu.coordination.models import InboundVisit, VisitKind, VisitorLanguage
from setu.directory.models import Organisation

TEXT = forms.Textarea(attrs={"rows": 3})


class InboundForm(forms.ModelForm[InboundVisit]):
    visit_kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)

    class Meta:
        model = InboundVisit
        fields = [
            "reason_en", "reason_ja", "signing_official", "signing_title", "signing_title_ja",
    "inviting_address",
            "inviting_phone", "transport_notes", "hotel_notes", "details_due_on",
            "content_produced", "packages_planned",
        ]  # fmt: skip
        widgets = {
            "reason_en": TEXT,
            "reason_ja": TEXT,
            "transport_notes": TEXT,
            "hotel_notes": TEXT,
            "content_produced": TEXT,
            "packages_planned": TEXT,
            "details_due_on": DATE,
        }
        help_texts = {
            "reason_en": _("Printed in the invitation letter."),
            "content_produced": _("Familiarisation trips: articles, videos and posts made."),
            "packages_planned": _("Familiarisation trips: tour packages the operators plan."),
        }


class VisitorForm(forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), required=False)
    language = forms.ChoiceField(label=_("Language of the form"), choices=VisitorLanguage.choices)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class VisitorDetailsForm(forms.Form):
    passport_name = forms.CharField(
        label=_("Full name exactly as in your passport"),
        max_length=150,
        help_text=_(
            "In Latin capital letters, as printed in the passport, e.g. RAVI KUMAR SHARMA."
        ),
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    nationality = forms.CharField(label=_("Nationality"), max_length=60, initial="India")
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    employer = forms.CharField(label=_("Employer"), max_length=200)
    position = forms.CharField(label=_("Position at work"), max_length=200)
    arrival_on = forms.DateField(label=_("Day of arrival in Japan"), widget=DATE)
    departure_on = forms.DateField(label=_("Day of departure from Japan"), widget=DATE)
    arrival_airport = forms.CharField(
        label=_("Arrival airport"),
        max_length=100,
        required=False,
        help_text=_("e.g. Narita, Haneda, Kansai"),
    )

    def clean_passport_number(self) -> str:
        return str(self.cleaned_data["passport_number"]).strip().upper().replace(" ", "")

    def clean_passport_name(self) -> str:
        return " ".join(str(self.cleaned_data["passport_name"]).split())

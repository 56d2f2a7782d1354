"""Forms of the privacy pages. Choices are only what the person may see: their own purposes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.privacy.models import Breach, Grievance, GrievanceKind
from setu.privacy.services import BREACH_FIELDS


class GrievanceForm(forms.ModelForm[Grievance]):
    class Meta:
        model = Grievance
        fields = ["kind", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        labels = {"body": _("What happened, and what you would like us to do")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = GrievanceKind.GRIEVANCE


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("Answer to the person"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."), required=True)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BreachForm(forms.ModelForm[Breach]):
    class Meta:
        model = Breach
        fields = list(BREACH_FIELDS)
        widgets = {
            "occurred_at": DATETIME,
            "detected_at": DATETIME,
            "dpdp_reported_at": DATETIME,
            "appi_preliminary_at": DATETIME,
            "appi_final_at": DATETIME,
            "people_notified_at": DATETIME,
            "cause": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

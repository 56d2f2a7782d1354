from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import User
from setu.core.zones import TimeZoneField
from setu.directory.models import Organisation


class PreferencesForm(forms.ModelForm[User]):
    time_zone = TimeZoneField(label=_("Time zone"))

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

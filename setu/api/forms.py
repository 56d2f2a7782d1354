from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.api.scopes import READ, scope_choices
from setu.api.services import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Prefecture website: events”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=scope_choices,
        initial=[READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give a token only what its script needs."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=30
    )

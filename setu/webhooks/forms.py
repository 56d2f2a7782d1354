"""The subscription form: an address and the events to send there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.webhooks import network

KIND_LABELS = {
    "registration.created": _("A registration was made (registration.created)"),
    "registration.cancelled": _(
        "A registration was cancelled or declined (registration.cancelled)"
    ),
    "registration.promoted": _("A waiting registration got a seat (registration.promoted)"),
    "event.published": _("An event was published (event.published)"),
    "meeting.scheduled": _("A B2B meeting was scheduled (meeting.scheduled)"),
    "lead.stage_changed": _("A lead moved to another stage (lead.stage_changed)"),
}


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Setu sends a signed POST request here for every event you choose."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives it, for your colleagues: “Events page of our website”."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(KIND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            network.check_url(url)
        except network.Refused as refused:
            raise forms.ValidationError(str(refused)) from None
        return url

    @classmethod
    def for_subscription(cls, subscription: Any, data: Any = None) -> SubscriptionForm:
        initial = {
            "url": subscription.url,
            "description": subscription.description,
            "kinds": list(subscription.kinds),
        }
        return cls(data, initial=initial)

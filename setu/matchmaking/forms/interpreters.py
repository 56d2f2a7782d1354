"""The organisers' form for an event's interpreters."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.matchmaking.forms.common import slot_label
from setu.matchmaking.models import Interpreter, Matchmaking, Slot

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class SlotChoice(forms.ModelMultipleChoiceField):
    """Slots labelled with their time, in the venue's zone and the reader's."""

    def __init__(self, *args: Any, venue_zone: str, reader_zone: str, **kwargs: Any) -> None:
        self.venue_zone = venue_zone
        self.reader_zone = reader_zone
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Slot) -> str:
        return f"{obj.index + 1}. {slot_label(obj, self.venue_zone, self.reader_zone)}"


class InterpreterForm(forms.ModelForm[Interpreter]):
    """Name, language pair(s), and the slots the interpreter is away."""

    class Meta:
        model = Interpreter
        fields = ["name", "languages", "unavailable"]

    def __init__(
        self, *args: Any, matchmaking: Matchmaking, reader_zone: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unavailable"] = SlotChoice(
            queryset=Slot.objects.filter(matchmaking=matchmaking).order_by("index"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=gettext_lazy("Away in these slots"),
            venue_zone=matchmaking.event.venue_zone,
            reader_zone=reader_zone,
        )

    def clean_languages(self) -> str:
        raw = self.cleaned_data["languages"]
        codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
        bad = [code for code in codes if not LANGUAGE_CODE.match(code)]
        if bad:
            raise forms.ValidationError(
                _("“%(code)s” is not a language code: use two or three letters, such as ja or hi.")
                % {"code": bad[0]}
            )
        if len(set(codes)) < 2:
            raise forms.ValidationError(
                _("An interpreter needs at least two languages, e.g. ja,hi.")
            )
        return ",".join(dict.fromkeys(codes))

"""Forms of the organiser's draft (where a meeting goes) and of the meetings' outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from setu.matchmaking.models import Matchmaking, MeetingMode
from setu.matchmaking.selectors.schedule_report import SlotChoice

INTEREST_CHOICES = [(0, _("None")), (1, _("Some")), (2, _("Strong"))]


class PositionForm(forms.Form):
    """A slot and a table. The table is a plain number here so that the service, not the form,
    answers a table that does not exist, with a message naming it."""

    slot = forms.TypedChoiceField(label=_("Time slot"), coerce=int)
    table = forms.IntegerField(label=_("Table"), min_value=0, required=False)

    def __init__(
        self,
        *args: Any,
        matchmaking: Matchmaking,
        choices: Sequence[SlotChoice],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.online_only = matchmaking.mode == MeetingMode.ONLINE
        slot = self.fields["slot"]
        assert isinstance(slot, forms.TypedChoiceField)
        slot.choices = [(c.slot.pk, c.label) for c in choices]
        if self.online_only:
            del self.fields["table"]
        else:
            most = max((c.slot.table_count(matchmaking) for c in choices), default=0)
            self.fields["table"].required = True
            self.fields["table"].widget = forms.Select(
                choices=[(t, matchmaking.table_label(t)) for t in range(most)]
            )

    def clean_table(self) -> int:
        return int(self.cleaned_data.get("table") or 0)


def slot_label(choice: SlotChoice, when: str) -> str:
    if not choice.both_free:
        state = gettext("one side busy or away")
    elif choice.free_tables == 0:
        state = gettext("both free, no table left")
    else:
        state = ngettext(
            "both free, %(n)s table left", "both free, %(n)s tables left", choice.free_tables
        ) % {"n": choice.free_tables}
    return f"{when} · {state}"


class FollowUpForm(forms.Form):
    interest = forms.TypedChoiceField(
        label=_("Interest in following up"),
        choices=INTEREST_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )
    next_step = forms.CharField(
        label=_("Next step"),
        max_length=300,
        required=False,
        help_text=_("For example: send a quotation, visit the factory, sign an NDA."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Only your organisation sees your notes; the organisers see your interest and next "
            "step."
        ),
    )

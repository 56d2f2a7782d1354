"""Forms of the culture app: they validate, never save (the services do)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from setu.culture.models import Level, ProgrammeItem, Shift, Track
from setu.events.forms import LocalDateTimeInput, VenueTimesForm


def _levels(blank: Any = None) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", blank)] if blank is not None else []
    return [*choices, *Level.choices]


class CourseForm(forms.Form):
    track = forms.ChoiceField(label=_("Course"), choices=Track.choices)
    level_from = forms.ChoiceField(
        label=_("Level on entry"), choices=_levels(_("Any level")), required=False
    )
    level_to = forms.ChoiceField(label=_("Level aimed at"), choices=_levels())
    teacher_email = forms.EmailField(
        label=_("Teacher's email address"),
        required=False,
        help_text=_("A teacher with an account here may take attendance."),
    )
    teacher_name = forms.CharField(label=_("Teacher's name"), max_length=150, required=False)
    attendance_needed = forms.IntegerField(
        label=_("Attendance needed for the certificate (%)"), min_value=0, max_value=100
    )

    def clean_teacher_email(self) -> str:
        email: str = self.cleaned_data.get("teacher_email", "").strip().lower()
        self.cleaned_data["teacher"] = None
        if email:
            teacher = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            if teacher is None:
                raise forms.ValidationError(_("Nobody has an account with this email address."))
            self.cleaned_data["teacher"] = teacher
        return email


class CompleteForm(forms.Form):
    level_reached = forms.ChoiceField(label=_("Level reached"), choices=_levels(_("Choose")))

    def clean_level_reached(self) -> str:
        level: str = self.cleaned_data["level_reached"]
        if not level:
            raise forms.ValidationError(_("Choose the level the learner reached."))
        return level


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, learners: Sequence[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = list(learners)  # type: ignore[attr-defined]


class ProgrammeItemForm(VenueTimesForm):
    class Meta:
        model = ProgrammeItem
        fields = [
            "kind",
            "title_en",
            "title_ja",
            "title_hi",
            "starts_at",
            "ends_at",
            "place",
            "performers",
            "group",
        ]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f) for f in ("title_en", "title_ja", "title_hi")):
            self.add_error("title_en", _("Give a title in at least one language."))
        return data


class ShiftForm(VenueTimesForm):
    class Meta:
        model = Shift
        fields = ["title_en", "title_ja", "title_hi", "starts_at", "ends_at", "place", "limit"]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["limit"].min_value = 1  # type: ignore[attr-defined]
        self.fields["limit"].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f) for f in ("title_en", "title_ja", "title_hi")):
            self.add_error("title_en", _("Give a title in at least one language."))
        if data.get("limit") is not None and data["limit"] < 1:
            self.add_error("limit", _("A shift needs at least one volunteer."))
        return data

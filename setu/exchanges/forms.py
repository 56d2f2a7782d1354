"""Forms for exchanges: they validate, the services write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.directory.models import Organisation, OrganisationKind
from setu.exchanges import selectors
from setu.exchanges.models import (
    CEFR_LEVELS,
    JLPT_LEVELS,
    PROGRAMME_FIELDS,
    ExchangeRound,
    Programme,
    StudyLevel,
)
from setu.library.forms import ACCEPT, UploadMixin

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

MAX_CHOICES = 5
DATE = forms.DateInput(attrs={"type": "date"})
TEXTAREA = {"rows": 4}
INSTITUTION_KINDS = (
    OrganisationKind.ACADEMIC,
    OrganisationKind.MEMBER_PREFECTURE,
    OrganisationKind.PREFECTURE,
    OrganisationKind.INDIAN_STATE,
    OrganisationKind.AGENCY,
)


def institutions(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Universities, schools and prefectures ``user`` may see: hosts and partners."""
    return (
        Organisation.objects.visible_to(user)
        .filter(kind__in=INSTITUTION_KINDS)
        .order_by("country", "name_en")
    )


def _has_title(data: Mapping[str, Any]) -> None:
    if not any(data.get(f"title_{code}") for code in ("en", "ja", "hi")):
        raise ValidationError(_("Give a title in at least one language."))


class RoundForm(forms.ModelForm[ExchangeRound]):
    class Meta:
        model = ExchangeRound
        fields = ["title_en", "title_ja", "title_hi", "description", "visibility"]
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _has_title(data)
        return data


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "description": forms.Textarea(attrs=TEXTAREA),
            "criteria": forms.Textarea(attrs=TEXTAREA),
            "starts_on": DATE,
            "ends_on": DATE,
            "opens_on": DATE,
            "closes_on": DATE,
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        round_field: Any = self.fields["round"]
        round_field.queryset = selectors.round_list(user=user)
        for name in ("host", "partner"):
            field: Any = self.fields[name]
            field.queryset = institutions(user)
        self.fields["min_language_level"].widget = forms.NumberInput(attrs={"min": 0, "max": 6})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _has_title(data)
        level = data.get("min_language_level") or 0
        if level > (5 if data.get("language") == "ja" else 6):
            self.add_error(
                "min_language_level",
                _("JLPT runs from 1 (N5) to 5 (N1); CEFR from 1 (A1) to 6 (C2)."),
            )
        return data


class ApplicationForm(forms.Form):
    """The student's details and up to five programmes, best first; a guardian if under 18."""

    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    level = forms.ChoiceField(label=_("Level of study"), choices=StudyLevel.choices)
    jlpt_level = forms.TypedChoiceField(
        label=_("Japanese (JLPT)"), choices=JLPT_LEVELS, coerce=int, initial=0
    )
    english_level = forms.TypedChoiceField(
        label=_("English (CEFR)"), choices=CEFR_LEVELS, coerce=int, initial=0
    )
    hindi_level = forms.TypedChoiceField(
        label=_("Hindi (CEFR)"), choices=CEFR_LEVELS, coerce=int, initial=0
    )
    statement = forms.CharField(
        label=_("Why you want to take part"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )
    guardian_name = forms.CharField(label=_("Parent or guardian's name"), required=False)
    guardian_email = forms.EmailField(label=_("Parent or guardian's email"), required=False)
    relationship = forms.CharField(label=_("Relationship to you"), required=False, max_length=60)
    guardian_language = forms.ChoiceField(
        label=_("Language to write to them in"), choices=settings.LANGUAGES, initial="en"
    )
    # written to the consent ledger with the application (docs/privacy.md)
    privacy_consent = forms.BooleanField(
        label=_("I have read how my details are used for exchange applications and agree."),
        error_messages={"required": _("Applying needs your agreement to the notice.")},
    )

    def __init__(
        self,
        *args: Any,
        user: User | AnonymousUser,
        programmes: QuerySet[Programme] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if programmes is None:
            today = timezone.localdate()
            programmes = selectors.programme_list(user=user).filter(
                opens_on__lte=today, closes_on__gte=today
            )
        for number in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{number}"] = forms.ModelChoiceField(
                queryset=programmes,
                required=number == 1,
                label=_("Choice %(number)s") % {"number": number},
                empty_label="—",
            )

    def ranked_programmes(self) -> list[Programme]:
        picked = (self.cleaned_data.get(f"choice_{n}") for n in range(1, MAX_CHOICES + 1))
        return [programme for programme in picked if programme is not None]


class DocumentForm(UploadMixin, forms.Form):
    title = forms.CharField(label=_("What it is"), max_length=200)
    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPT}))


class RefereeForm(forms.Form):
    name = forms.CharField(label=_("Referee's name"), max_length=150)
    email = forms.EmailField(label=_("Referee's email"))


class ConsentRequestForm(forms.Form):
    guardian_name = forms.CharField(label=_("Parent or guardian's name"), max_length=150)
    guardian_email = forms.EmailField(label=_("Parent or guardian's email"))
    relationship = forms.CharField(label=_("Relationship to you"), max_length=60, required=False)
    language = forms.ChoiceField(
        label=_("Language to write to them in"), choices=settings.LANGUAGES, initial="en"
    )


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Your reference"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000
    )


class ScoreForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score (0–100)"), min_value=0, max_value=100, decimal_places=1, required=False
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    conflict = forms.BooleanField(label=_("I have a conflict of interest"), required=False)
    conflict_reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("conflict") and not data.get("conflict_reason"):
            self.add_error("conflict_reason", _("Say briefly why (for example: a relative)."))
        elif not data.get("conflict") and data.get("score") is None and not self.errors:
            self.add_error("score", _("Give a score from 0 to 100."))
        return data


def parse_order(post: Mapping[str, Any], choice_ids: list[int]) -> list[int]:
    """The choices in the coordinator's order from ``position-<id>`` fields (1 = best; an
    empty field goes last). ValidationError names a bad position."""
    positions: list[tuple[int, int]] = []
    for pk in choice_ids:
        raw = str(post.get(f"position-{pk}", "")).strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                _("“%(value)s” is not a position: use whole numbers from 1."), params={"value": raw}
            )
        positions.append((int(raw), pk))
    numbers = [position for position, _pk in positions]
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("Two applicants have the same position."))
    return [pk for _position, pk in sorted(positions)]

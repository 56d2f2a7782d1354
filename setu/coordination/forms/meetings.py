"""Forms of the meeting pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import User
from setu.coordination.forms.common import (
    DATE,
    TIME,
    CityChoice,
    OrganisationChoice,
    OrganisationMultipleChoice,
    PersonChoice,
    localise,
)
from setu.coordination.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    MeetingSeries,
    Rsvp,
)
from setu.coordination.models.meetings import MeetingStatus
from setu.core.models import Visibility
from setu.core.zones import TimeZoneField
from setu.directory.models import City, Organisation


class SeriesForm(forms.ModelForm[MeetingSeries]):
    class Meta:
        model = MeetingSeries
        fields = [
            "title_en", "title_ja", "title_hi", "description_en", "description_ja", "cadence",
            "time_zone", "visibility",
        ]  # fmt: skip
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_ja": forms.Textarea(attrs={"rows": 3}),
        }


class MeetingForm(forms.Form):
    """A meeting's details; date and times are read in the chosen time zone."""

    series = forms.ModelChoiceField(
        label=_("Series"), queryset=MeetingSeries.objects.none(), required=False
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200, required=False)
    title_hi = forms.CharField(label=_("Title (Hindi)"), max_length=200, required=False)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    time_zone = TimeZoneField(label=_("Time zone of these times"))
    city = CityChoice(label=_("City"), queryset=City.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(
        assume_scheme="https", label=_("Online link"), max_length=500, required=False
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the meeting"), choices=Visibility.choices, initial="consortium"
    )
    invite = OrganisationMultipleChoice(
        label=_("Invite organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (MeetingStatus.SCHEDULED, MeetingStatus.SCHEDULED.label),
            (MeetingStatus.CANCELLED, MeetingStatus.CANCELLED.label),
        ],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        series: QuerySet[MeetingSeries],
        invitable: QuerySet[Organisation] | None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series  # type: ignore[attr-defined]
        self.fields["city"].queryset = City.objects.select_related("region")  # type: ignore[attr-defined]
        if invitable is None:
            del self.fields["invite"]
        else:
            self.fields["invite"].queryset = invitable  # type: ignore[attr-defined]
        if not editing:
            del self.fields["status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("title_en", "title_ja", "title_hi")):
            self.add_error("title_en", _("Give a title in at least one language."))
        day, start, end, tz = (data.get(k) for k in ("day", "start_time", "end_time", "time_zone"))
        if day and start and end and tz:
            data["starts_at"] = localise(day, start, tz)
            data["ends_at"] = localise(day, end, tz)
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return data

    def meeting_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            "series", "title_en", "title_ja", "title_hi", "starts_at", "ends_at", "time_zone",
            "city", "place", "online_url", "visibility",
        ]  # fmt: skip
        values = {name: data.get(name) for name in names}
        values["place"] = values["place"] or ""
        values["online_url"] = values["online_url"] or ""
        if data.get("status"):
            values["status"] = data["status"]
        return values


class InviteForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    email = forms.EmailField(label=_("or a person (their Setu email address)"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, email = data.get("organisation"), data.get("email")
        if bool(organisation) == bool(email):
            raise forms.ValidationError(_("Choose an organisation or give one email address."))
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error(
                    "email",
                    _("No Setu account uses this address. Invite the person to Setu first."),
                )
            data["user"] = user
        return data


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(
        label=_("Your answer"), choices=[c for c in Rsvp.choices if c[0] != Rsvp.PENDING]
    )


class AgendaItemForm(forms.ModelForm[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = [
            "title_en", "title_ja", "title_hi", "description", "presenter_name",
            "presenter_organisation", "duration_minutes",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"presenter_organisation": OrganisationChoice}

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": 600})

    def clean_duration_minutes(self) -> int:
        value: int = self.cleaned_data["duration_minutes"]
        if not 1 <= value <= 600:
            raise forms.ValidationError(_("A time box is between 1 and 600 minutes."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("title_en", "title_ja", "title_hi")):
            self.add_error("title_en", _("Give a title in at least one language."))
        return data


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200)
    url = forms.URLField(assume_scheme="https", label=_("Link"), max_length=500)


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-unsaved-warning": "true"}),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, items: QuerySet[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = items  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Share the published minutes with"),
        choices=Visibility.choices,
        initial=Visibility.CONSORTIUM,
    )


class ActionItemForm(forms.ModelForm[ActionItem]):
    class Meta:
        model = ActionItem
        fields = [
            "title", "description", "owner", "owner_person", "due_on", "agenda_item", "visibility",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DATE}
        field_classes = {"owner": OrganisationChoice, "owner_person": PersonChoice}
        labels = {"owner": _("Owner (organisation)")}

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        people: QuerySet[User],
        items: QuerySet[AgendaItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = organisations  # type: ignore[attr-defined]
        owner.error_messages["invalid_choice"] = _(
            "That organisation is not part of this meeting. Choose the organiser or an invited "
            "organisation."
        )
        self.fields["owner_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["agenda_item"].queryset = items  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

"""Forms of the mission pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from setu.coordination.forms.common import (
    DATE,
    TIME,
    CityChoice,
    OrganisationChoice,
    OrganisationMultipleChoice,
    localise,
)
from setu.coordination.models import (
    ItineraryKind,
    Mission,
    MissionDestination,
    MissionStatus,
    SplitMethod,
)
from setu.directory.models import City, Organisation
from setu.events.models import Event


class MissionForm(forms.ModelForm[Mission]):
    class Meta:
        model = Mission
        fields = [
            "title_en", "title_ja", "title_hi", "summary_en", "summary_ja", "starts_on",
            "ends_on", "status", "direction", "visit_kind", "visibility", "targets",
        ]  # fmt: skip
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_ja": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DATE,
            "ends_on": DATE,
            "targets": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"targets": OrganisationMultipleChoice}

    def __init__(self, *args: Any, targets: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = targets  # type: ignore[attr-defined]
        self.fields["targets"].help_text = _(
            "Indian organisations the mission plans to meet. Another member planning to meet "
            "the same organisation at the same time will be told of the clash."
        )
        for name in ("direction", "visit_kind"):  # defaults: a business mission to India
            self.fields[name].required = False
        if self.instance.pk is None:
            self.fields["status"].choices = [
                (MissionStatus.PLANNED, MissionStatus.PLANNED.label),
                (MissionStatus.CONFIRMED, MissionStatus.CONFIRMED.label),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("title_en", "title_ja", "title_hi")):
            self.add_error("title_en", _("Give a title in at least one language."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        data["direction"] = data.get("direction") or self.instance.direction or "to_india"
        data["visit_kind"] = data.get("visit_kind") or self.instance.visit_kind or "business"
        return data


class ParticipantForm(forms.Form):
    organisation = OrganisationChoice(label=_("Prefecture"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, prefectures: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = prefectures  # type: ignore[attr-defined]


class DestinationForm(forms.Form):
    city = CityChoice(label=_("City"), queryset=City.objects.none())
    starts_on = forms.DateField(label=_("Arrive"), widget=DATE)
    ends_on = forms.DateField(label=_("Leave"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.select_related("region").order_by(  # type: ignore[attr-defined]
            "-country", "name_en"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The day of leaving cannot be before the day of arrival."))
        return data


class DelegateForm(forms.Form):
    prefecture = OrganisationChoice(label=_("Delegation of"), queryset=Organisation.objects.none())
    organisation = OrganisationChoice(
        label=_("Organisation (your prefecture or one of its companies)"),
        queryset=Organisation.objects.none(),
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)

    def __init__(
        self,
        *args: Any,
        prefectures: QuerySet[Organisation],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = prefectures  # type: ignore[attr-defined]
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _(
            "Choose your own prefecture or a company it manages: each prefecture adds its own "
            "people."
        )


class ItineraryForm(forms.Form):
    destination = forms.ModelChoiceField(
        label=_("Destination"), queryset=MissionDestination.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ItineraryKind.choices)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200, required=False)
    notes_en = forms.CharField(
        label=_("Notes (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes_ja = forms.CharField(
        label=_("Notes (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    organisation = OrganisationChoice(
        label=_("Indian organisation"), queryset=Organisation.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link_url = forms.URLField(
        assume_scheme="https", label=_("Link (event page, map)"), max_length=500, required=False
    )
    event = forms.ModelChoiceField(
        label=_("Setu event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("An event in Setu during the mission that this entry is part of."),
    )
    # visits to Japan
    host_organisation = OrganisationChoice(
        label=_("Hosted by (visits to Japan)"), queryset=Organisation.objects.none(), required=False
    )
    host_contact = forms.CharField(label=_("Host contact"), max_length=200, required=False)
    wants_to_see = forms.CharField(
        label=_("What the visitors want to see"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    interpreter = forms.CharField(
        label=_("Interpreter"),
        max_length=200,
        required=False,
        help_text=_("Name the interpreter when the visitors need one for this entry."),
    )

    def __init__(
        self,
        *args: Any,
        mission: Mission,
        organisations: QuerySet[Organisation],
        events: QuerySet[Event] | None = None,
        hosts: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["destination"].queryset = mission.destinations.select_related("city")  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if hosts is not None:
            self.fields["host_organisation"].queryset = hosts  # type: ignore[attr-defined]
        if not mission.is_inbound:
            for name in ("host_organisation", "host_contact", "wants_to_see", "interpreter"):
                del self.fields[name]
        else:
            self.fields["organisation"].label = _("Visiting organisation")
        if events is not None:
            self.fields["event"].queryset = events  # type: ignore[attr-defined]
        self.fields["day"].help_text = _("Times are in the destination city's time zone.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title_en") or data.get("title_ja")):
            self.add_error("title_en", _("Give a title in English or Japanese."))
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        destination = data.get("destination")
        default_tz = "Asia/Tokyo" if self.mission.is_inbound else "Asia/Kolkata"
        tz = destination.city.timezone if destination else default_tz
        if day and start and end:
            data["starts_at"] = localise(day, start, tz)
            data["ends_at"] = localise(day, end, tz)
            if end <= start:
                self.add_error("end_time", _("The entry must end after it starts."))
            elif not self.mission.starts_on <= day <= self.mission.ends_on:
                self.add_error(
                    "day",
                    _("Choose a day of the mission (%(first)s to %(last)s).")
                    % {
                        "first": self.mission.starts_on.isoformat(),
                        "last": self.mission.ends_on.isoformat(),
                    },
                )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        text = ["title_en", "title_ja", "notes_en", "notes_ja", "place", "link_url"]
        values: dict[str, Any] = {
            "destination": data.get("destination"),
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "organisation": data.get("organisation"),
            "event": data.get("event"),
            **{name: data.get(name) or "" for name in text},
        }
        if self.mission.is_inbound:
            values["host_organisation"] = data.get("host_organisation")
            for name in ("host_contact", "wants_to_see", "interpreter"):
                values[name] = data.get(name) or ""
        return values


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner_organisation = OrganisationChoice(label=_("Owner"), queryset=Organisation.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DATE, required=False)
    follow_up = forms.BooleanField(label=_("Follow-up after the mission"), required=False)

    def __init__(self, *args: Any, prefectures: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = prefectures  # type: ignore[attr-defined]


class BudgetLineForm(forms.Form):
    """A cost line; with fixed amounts, one share field per prefecture (``share_<org id>``)."""

    title = forms.CharField(label=_("Cost item"), max_length=200)
    amount_jpy = forms.IntegerField(label=_("Amount (JPY)"), min_value=0, max_value=10**12)
    split = forms.ChoiceField(
        label=_("How it is shared"),
        choices=SplitMethod.choices,
        widget=forms.RadioSelect(attrs={"data-split-choice": "true"}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, prefectures: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefectures = prefectures
        for org in prefectures:
            self.fields[f"share_{org.pk}"] = forms.IntegerField(
                label=_("Share of %(org)s (JPY)") % {"org": org.display_name},
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"data-fixed-share": "true"}),
            )

    def share_fields(self) -> list[forms.BoundField]:
        return [self[f"share_{org.pk}"] for org in self.prefectures]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("title", "amount_jpy", "split", "note")]

    def fixed_shares(self) -> dict[int, int]:
        return {org.pk: self.cleaned_data.get(f"share_{org.pk}") or 0 for org in self.prefectures}


class ReportForm(forms.Form):
    """The post-mission report: a summary and, per itinerary entry, whether it was held."""

    summary_en = forms.CharField(
        label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    summary_ja = forms.CharField(
        label=_("Summary (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    HELD_CHOICES = [("", _("Not recorded")), ("yes", _("Held")), ("no", _("Did not take place"))]

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"held_{item.pk}"] = forms.ChoiceField(
                label=_("Held?"), choices=self.HELD_CHOICES, required=False
            )
            self.fields[f"outcome_{item.pk}"] = forms.CharField(
                label=_("Outcome and follow-up"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if not self.is_bound:
                self.initial[f"held_{item.pk}"] = {True: "yes", False: "no"}.get(item.held, "")
                self.initial[f"outcome_{item.pk}"] = item.outcome

    def summary_fields(self) -> list[forms.BoundField]:
        return [self["summary_en"], self["summary_ja"]]

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"held_{item.pk}"], self[f"outcome_{item.pk}"]) for item in self.items]

    def outcomes(self) -> dict[int, tuple[bool | None, str]]:
        data = self.cleaned_data
        return {
            item.pk: (
                {"yes": True, "no": False}.get(data.get(f"held_{item.pk}") or ""),
                data.get(f"outcome_{item.pk}") or "",
            )
            for item in self.items
        }


class ProposalForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("How to join forces"),
        choices=[
            (
                "join_theirs",
                _("Join their mission: your prefecture takes part in theirs"),
            ),
            (
                "invite_to_mine",
                _("Invite them to mine: their prefecture takes part in yours"),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to join their mission or to invite them to yours."),
            "invalid_choice": _("Choose whether to join their mission or to invite them to yours."),
        },
    )
    message = forms.CharField(
        label=_("Message to the other member (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

"""Forms for the matchmaking set-up, participants' profiles and meeting requests.

Dates and times of the set-up are typed in the venue's local time, like the event's own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.accounts.models import User
from setu.core.timefmt import time_range, zone
from setu.directory.models import Language, Organisation, Sector
from setu.matchmaking.grid import DayHours
from setu.matchmaking.models import (
    Matchmaking,
    MeetingDay,
    MeetingMode,
    Participant,
    Priority,
    Slot,
)
from setu.matchmaking.services.setup import MAX_SLOT_MINUTES, MIN_SLOT_MINUTES, check_breaks

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def venue_local(value: datetime | None, tz_name: str) -> datetime | None:
    """A stored moment as the naive venue-local time a datetime-local input shows."""
    if value is None:
        return None
    return value.astimezone(zone(tz_name)).replace(tzinfo=None)


def venue_aware(value: datetime | None, tz_name: str) -> datetime | None:
    """What the person typed, read as the venue's local time (Django read it as the reader's)."""
    if value is None:
        return None
    naive = value.astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
    return naive.replace(tzinfo=zone(tz_name))


def slot_label(slot: Slot, venue_zone: str, reader_zone: str | None) -> str:
    """ "2026-05-12 10:00–10:20 IST (13:30–13:50 JST)": the venue's range, then the reader's."""
    return time_range(slot.starts_at, slot.ends_at, venue_zone, reader_zone, with_date=True)


# --- set-up ---------------------------------------------------------------------------------


DATETIME_FIELDS = ("requests_open_at", "requests_close_at")


class SettingsForm(forms.ModelForm[Matchmaking]):
    """The matchmaking's settings. The request window is typed in the venue's local time."""

    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=MIN_SLOT_MINUTES, max_value=MAX_SLOT_MINUTES
    )
    tables = forms.IntegerField(
        label=_("Tables per slot"),
        min_value=1,
        max_value=5000,
        help_text=_("How many meetings can run at once."),
    )
    max_requests = forms.IntegerField(
        label=_("Requests per participant"),
        min_value=1,
        max_value=500,
        help_text=_("The most meeting requests one participant may have open at once."),
    )
    online_url = forms.URLField(
        label=_("Default online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For online meetings when a participant gives no link of their own."),
    )

    class Meta:
        model = Matchmaking
        fields = [
            "slot_minutes", "tables", "table_names", "mode", "online_url", "requests_open_at",
            "requests_close_at", "max_requests", "pair_rule",
        ]  # fmt: skip
        widgets = {
            "table_names": forms.Textarea(attrs={"rows": 4}),
            "requests_open_at": LocalDateTimeInput(),
            "requests_close_at": LocalDateTimeInput(),
            "pair_rule": forms.RadioSelect,
        }
        help_texts = {
            "requests_open_at": _("In the venue's local time. Empty: requests are not open."),
            "requests_close_at": _(
                "In the venue's local time. Answers are still taken until the schedule is "
                "published."
            ),
        }

    def __init__(self, *args: Any, venue_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venue_zone = venue_zone
        for name in DATETIME_FIELDS:
            self.initial[name] = venue_local(getattr(self.instance, name), venue_zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in DATETIME_FIELDS:
            if data.get(name) is not None:
                data[name] = venue_aware(data[name], self.venue_zone)
        opens, closes = data.get("requests_open_at"), data.get("requests_close_at")
        if opens and closes and closes <= opens:
            self.add_error("requests_close_at", _("Requests must close after they open."))
        if closes and not opens:
            self.add_error("requests_open_at", _("Say when requests open, too."))
        if data.get("mode") == MeetingMode.ONLINE and not data.get("online_url"):
            self.add_error("online_url", _("Online meetings need a default online link."))
        return data

    def setting_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(
        label=_("First meeting"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("Meetings end"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    breaks = forms.CharField(
        label=_("Breaks"),
        max_length=200,
        required=False,
        help_text=_('e.g. "12:30-13:30, 15:30-15:45"'),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The meetings must end after they start."))
        elif starts and ends:
            try:
                check_breaks(data.get("breaks") or "", starts, ends)
            except ValidationError as error:
                self.add_error("breaks", error)
        return data


class BaseDayFormSet(forms.BaseFormSet[DayForm]):
    def _kept(self) -> list[DayForm]:
        """The day forms not ticked for deletion (call after the forms are cleaned)."""
        return [form for form in self.forms if not form.cleaned_data.get("DELETE")]

    def clean(self) -> None:
        kept = self._kept()
        if any(form.errors for form in kept):
            return
        dates = [form.cleaned_data["date"] for form in kept if form.cleaned_data]
        if not dates:
            raise ValidationError(_("Add at least one meeting day."))
        repeated = sorted({d for d in dates if dates.count(d) > 1})
        if repeated:
            raise ValidationError(
                _("Each date may appear once: %(dates)s is listed twice.")
                % {"dates": ", ".join(str(d) for d in repeated)}
            )

    def days(self) -> list[DayHours]:
        return [
            DayHours(
                date=form.cleaned_data["date"],
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
                breaks=form.cleaned_data.get("breaks") or "",
            )
            for form in self._kept()
            if form.cleaned_data
        ]


DayFormSet = cast(
    type[BaseDayFormSet],
    forms.formset_factory(DayForm, formset=BaseDayFormSet, extra=1, can_delete=True),
)


def day_initial(days: list[MeetingDay]) -> list[dict[str, Any]]:
    return [
        {"date": day.date, "starts": day.starts, "ends": day.ends, "breaks": day.breaks}
        for day in days
    ]


class SlotTablesForm(forms.Form):
    """One number per slot; empty means the event's number of tables."""

    def __init__(
        self, *args: Any, slots: list[Slot], venue_zone: str, reader_zone: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.IntegerField(
                label=slot_label(slot, venue_zone, reader_zone),
                min_value=0,
                max_value=5000,
                required=False,
                initial=slot.tables,
            )

    def rows(self) -> list[tuple[Slot, Any]]:
        return [(slot, self[f"slot_{slot.pk}"]) for slot in self.slots]

    def tables(self) -> dict[int, int | None]:
        return {slot.pk: self.cleaned_data.get(f"slot_{slot.pk}") for slot in self.slots}


# --- participants ---------------------------------------------------------------------------


class SectorChoices(forms.ModelMultipleChoiceField[Sector]):
    def label_from_instance(self, obj: Sector) -> str:
        return f"{obj.code} {obj.display_name}"


class SlotChoices(forms.ModelMultipleChoiceField[Slot]):
    venue_zone = "UTC"
    reader_zone: str | None = None

    def label_from_instance(self, obj: Slot) -> str:
        return slot_label(obj, self.venue_zone, self.reader_zone)


class ContactChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


MODE_CHOICES = {
    MeetingMode.IN_PERSON: [MeetingMode.IN_PERSON],
    MeetingMode.ONLINE: [MeetingMode.ONLINE],
    MeetingMode.BOTH: [MeetingMode.IN_PERSON, MeetingMode.ONLINE, MeetingMode.BOTH],
}


class ProfileForm(forms.Form):
    """A participant's profile for one event."""

    offers = forms.CharField(
        label=_("What you offer"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Products, services, technology, capacity. Other participants search this."),
    )
    needs = forms.CharField(
        label=_("What you are looking for"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Partners, suppliers, distributors, investors, customers."),
    )
    sectors = SectorChoices(
        label=_("Sectors"),
        queryset=Sector.objects.filter(level="division"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("ISIC divisions. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can meet in"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_interpreter = forms.BooleanField(label=_("We need an interpreter"), required=False)
    mode = forms.ChoiceField(label=_("How you would like to meet"), choices=[])
    online_url = forms.URLField(
        label=_("Your own online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Optional. Otherwise the organisers' link is used for online meetings."),
    )
    unavailable = SlotChoices(
        label=_("Slots when you cannot meet"),
        queryset=Slot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = ContactChoice(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Receives the emails about meeting requests."),
    )

    def __init__(
        self,
        *args: Any,
        participant: Participant,
        contacts: Any,
        reader_zone: str | None,
        **kwargs: Any,
    ) -> None:
        matchmaking = participant.matchmaking
        kwargs.setdefault(
            "initial",
            {
                "offers": participant.offers,
                "needs": participant.needs,
                "sectors": list(participant.sectors.all()),
                "languages": participant.language_codes,
                "needs_interpreter": participant.needs_interpreter,
                "mode": participant.mode,
                "online_url": participant.online_url,
                "unavailable": list(participant.unavailable.all()),
                "contact": participant.contact_id,
            },
        )
        super().__init__(*args, **kwargs)
        unavailable = self.fields["unavailable"]
        assert isinstance(unavailable, SlotChoices)
        unavailable.queryset = Slot.objects.filter(matchmaking=matchmaking).order_by("index")
        unavailable.venue_zone = matchmaking.event.venue_zone
        unavailable.reader_zone = reader_zone
        contact = self.fields["contact"]
        assert isinstance(contact, ContactChoice)
        contact.queryset = contacts
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        labels = dict(MeetingMode.choices)
        allowed = MODE_CHOICES[MeetingMode(matchmaking.mode)]
        mode.choices = [(m.value, labels[m.value]) for m in allowed]
        if self.initial.get("mode") not in allowed:
            self.initial["mode"] = allowed[0].value
        if matchmaking.mode == MeetingMode.IN_PERSON:
            del self.fields["online_url"]
            mode.widget = forms.HiddenInput()
        elif matchmaking.mode == MeetingMode.ONLINE:
            mode.widget = forms.HiddenInput()

    def profile_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "offers": data.get("offers", ""),
            "needs": data.get("needs", ""),
            "languages": ",".join(data.get("languages") or []),
            "needs_interpreter": data.get("needs_interpreter", False),
            "mode": data.get("mode"),
            "online_url": data.get("online_url", ""),
        }


class OrganisationChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class JoinForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("Take part for"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoice)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            self.initial["organisation"] = organisations[0].pk


class AddParticipantForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("Registered organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoice)
        field.queryset = organisations


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you would like to talk about."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("The scheduler places essential and high-priority meetings first."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

"""Forms: events and their parts (times typed in the venue's local time), registration, tools."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.choices import with_hidden_kept
from setu.core.timefmt import zone
from setu.core.widgets import LongSelect
from setu.core.zones import TimeZoneField, country_name, zone_summary
from setu.directory.models import (
    City,
    FocalSector,
    Language,
    Organisation,
    OrganisationKind,
    Sector,
)
from setu.events.models import (
    Country,
    Event,
    Question,
    QuestionKind,
    RegistrationStatus,
    Session,
    TicketCategory,
)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def _local(value: datetime | None, tz_name: str) -> datetime | None:
    """A stored (UTC) moment as the naive venue-local time a datetime-local input shows."""
    if value is None:
        return None
    return value.astimezone(zone(tz_name)).replace(tzinfo=None)


def _venue_aware(value: datetime | None, tz_name: str) -> datetime | None:
    """What the person typed, read as the venue's local time (Django read it as the reader's)."""
    if value is None:
        return None
    naive = value.astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
    return naive.replace(tzinfo=zone(tz_name))


class OrganisationChoices(forms.ModelMultipleChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class SectorChoices(forms.ModelMultipleChoiceField[Sector]):
    def label_from_instance(self, obj: Sector) -> str:
        indent = "— " if obj.level == "division" else ""
        return f"{indent}{obj.code} {obj.display_name}"


class CityChoice(forms.ModelChoiceField[City]):
    def label_from_instance(self, obj: City) -> str:
        return f"{obj.display_name} ({country_name(obj.country)}, {zone_summary(obj.timezone)})"


TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
PARTNER_KINDS = [
    OrganisationKind.INDIAN_STATE,
    OrganisationKind.AGENCY,
    OrganisationKind.CHAMBER,
    OrganisationKind.COMPANY,
    OrganisationKind.ACADEMIC,
    OrganisationKind.PREFECTURE,
    OrganisationKind.SECRETARIAT,
]


class EventForm(forms.ModelForm[Event]):
    """An event's details. Dates and times are typed in the venue's local time."""

    owner = forms.ModelChoiceField(
        label=_("Lead host"), queryset=Organisation.objects.none(), empty_label=None
    )
    co_hosts = OrganisationChoices(
        label=_("Co-hosting member prefectures"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    partners = OrganisationChoices(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Indian state agencies, chambers, companies, universities. Hold Ctrl (⌘ on a Mac) "
            "to choose several."
        ),
    )
    city = CityChoice(label=_("City"), queryset=City.objects.all(), required=False)
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    sectors = SectorChoices(
        label=_("Sectors (ISIC)"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    focal_sectors = forms.ModelMultipleChoiceField(
        label=_("Focal sectors"),
        queryset=FocalSector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language_list = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_("For online events; an event in a city uses the city's time zone."),
    )

    class Meta:
        model = Event
        fields = [
            "kind", "owner", "title_en", "title_ja", "title_hi", "original_language",
            "summary_en", "summary_ja", "summary_hi", "description_en", "description_ja",
            "description_hi", "city", "venue", "online_url", "time_zone", "starts_at", "ends_at",
            "sectors", "focal_sectors", "capacity", "registration_opens_at",
            "registration_closes_at", "requires_approval", "waitlist_enabled", "claim_hours",
            "max_group_size", "visibility",
        ]  # fmt: skip
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "registration_opens_at": LocalDateTimeInput(),
            "registration_closes_at": LocalDateTimeInput(),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_ja": forms.Textarea(attrs={"rows": 5}),
            "description_hi": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "starts_at": _("In the venue's local time."),
            "ends_at": _("In the venue's local time."),
            "registration_closes_at": _("Empty: registration closes when the event starts."),
            "visibility": _(
                "Guests without an account can register only for public events; for the other "
                "levels, people sign in to register. A draft takes no registrations."
            ),
        }

    def __init__(
        self,
        *args: Any,
        lead_hosts: Any,
        partner_orgs: Any,
        can_change_hosts: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # ``partner_orgs``: the organisations the user may see; co-hosts are among them too.
        self.fields["owner"].queryset = lead_hosts  # type: ignore[attr-defined]
        self.fields["co_hosts"].queryset = partner_orgs.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.MEMBER_PREFECTURE
        )
        self.fields["partners"].queryset = partner_orgs.filter(  # type: ignore[attr-defined]
            kind__in=PARTNER_KINDS
        )
        self.fields["title_en"].help_text = _("At least one title is required.")
        event = self.instance
        if not can_change_hosts:
            # co-hosts edit the event, not who hosts it (events.manage_hosts)
            del self.fields["co_hosts"]
        if event.pk:
            del self.fields["owner"]
            links = list(event.links.all())
            self.initial["co_hosts"] = [l.organisation_id for l in links if l.role == "co_host"]  # noqa: E741
            self.initial["partners"] = [l.organisation_id for l in links if l.role == "partner"]  # noqa: E741
            self.initial["language_list"] = event.language_codes
            for name in TIME_FIELDS:
                self.initial[name] = _local(getattr(event, name), event.venue_zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        city = data.get("city")
        tz_name = city.timezone if city else data.get("time_zone") or "UTC"
        for name in TIME_FIELDS:
            if data.get(name) is not None:
                data[name] = _venue_aware(data[name], tz_name)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if not (data.get("title_en") or data.get("title_ja") or data.get("title_hi")):
            self.add_error("title_en", _("Give the event a title in at least one language."))
        if not city and not data.get("online_url"):
            self.add_error("city", _("Choose the city of the venue, or give an online link."))
        data["languages"] = " ".join(data.get("language_list") or [])
        if self.instance.pk:
            # a co-host's form has no co-hosts field: the list is the lead's to change
            for role in ("co_hosts", "partners"):
                if role in self.fields:
                    data[role] = self._with_hidden_links(role, data.get(role) or [])
        return data

    def _with_hidden_links(self, role: str, chosen: list[Organisation]) -> list[Organisation]:
        """Saving never drops a co-host or partner the editor may not see (and so could not
        choose): it was linked by someone who could."""
        field = self.fields[role]
        assert isinstance(field, forms.ModelMultipleChoiceField) and field.queryset is not None
        current = Organisation.objects.filter(
            event_links__event=self.instance,
            event_links__role="co_host" if role == "co_hosts" else "partner",
        )
        return with_hidden_kept(chosen, current=current, offered=field.queryset)

    def event_fields(self) -> dict[str, Any]:
        """The cleaned simple fields, for the service."""
        skip = {"owner", "sectors", "focal_sectors", "co_hosts", "partners", "language_list"}
        names = [name for name in self.Meta.fields if name not in skip] + ["languages"]
        return {name: self.cleaned_data.get(name) for name in names if name in self.cleaned_data}


class VenueTimesForm(forms.ModelForm[Any]):
    """A model form whose ``starts_at``/``ends_at`` are typed in the venue's local time."""

    def __init__(self, *args: Any, venue_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venue_zone = venue_zone
        if self.instance.pk:
            for name in ("starts_at", "ends_at"):
                self.initial[name] = _local(getattr(self.instance, name), venue_zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                data[name] = _venue_aware(data[name], self.venue_zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data


class SessionForm(VenueTimesForm):
    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "title_en", "title_ja", "title_hi", "room", "speakers"]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}


class CategoryForm(forms.ModelForm[TicketCategory]):
    class Meta:
        model = TicketCategory
        fields = ["name_en", "name_ja", "name_hi", "capacity", "position"]


class QuestionForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = ["kind", "label_en", "label_ja", "label_hi", "choices", "required", "position"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


SessionFormSet = forms.modelformset_factory(Session, form=SessionForm, extra=2, can_delete=True)
CategoryFormSet = forms.modelformset_factory(
    TicketCategory, form=CategoryForm, extra=2, can_delete=True
)
QuestionFormSet = forms.modelformset_factory(Question, form=QuestionForm, extra=2, can_delete=True)


def formset_rows(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """(rows to save, ids to delete) from a valid model formset; blank extra forms are skipped."""
    rows: list[dict[str, Any]] = []
    delete_ids: list[int] = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = dict(form.cleaned_data)
        instance = data.pop("id", None)
        if data.pop("DELETE", False):
            if instance is not None:
                delete_ids.append(instance.pk)
            continue
        data["id"] = instance.pk if instance is not None else None
        rows.append(data)
    return rows, delete_ids


# --- registration ---------------------------------------------------------------------------


def colleague_rows(event: Event) -> int:
    """How many colleagues the form offers beside the registrant: the group size limit (at
    most 20), and no more than the seats left; when the event is full (a group then joins the
    waitlist), no more than its capacity. None when one seat remains."""
    people = min(event.max_group_size, 20)
    if event.capacity is not None:
        left = max(0, event.capacity - event.seats_taken)
        people = min(people, left or event.capacity)
    return max(0, people - 1)


class RegistrationForm(forms.Form):
    """Who registers, who attends (one person or a group), the category and the answers."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your email address"))
    attend_myself = forms.BooleanField(
        label=_("I will attend myself"), required=False, initial=True
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "—"), *OrganisationKind.choices],
        required=False,
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", "—"), *Country.choices],
        required=False,
        widget=LongSelect,
    )
    time_zone = TimeZoneField(label=_("Your time zone"))
    category = forms.ModelChoiceField(
        label=_("Ticket category"),
        queryset=TicketCategory.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    # written to the consent ledger with the registration (docs/privacy.md)
    privacy_consent = forms.BooleanField(
        label=_("I have read how my details are used for this event and agree."),
        error_messages={"required": _("Registering needs your agreement to the notice.")},
    )

    def __init__(
        self,
        *args: Any,
        event: Event,
        questions: list[Question],
        categories: list[TicketCategory],
        user: Any = None,
        organisations: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = questions
        self.signed_in = user is not None
        if categories:
            self.fields["category"].queryset = TicketCategory.objects.filter(  # type: ignore[attr-defined]
                pk__in=[c.pk for c in categories]
            )
            self.fields["category"].required = True
        else:
            del self.fields["category"]
        if self.signed_in:
            self.fields["email"].disabled = True
            self.fields["email"].label = _("Your email address")
            self.fields["time_zone"].disabled = True
            del self.fields["organisation_name"]
            del self.fields["organisation_kind"]
            del self.fields["country"]
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            self.fields["organisation"].empty_label = _("— none —")  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
        self.extra_slots = colleague_rows(event)
        for index in range(1, self.extra_slots + 1):
            self.fields[f"person_{index}_name"] = forms.CharField(
                label=_("Colleague %(n)s: name") % {"n": index}, max_length=150, required=False
            )
            self.fields[f"person_{index}_email"] = forms.EmailField(
                label=_("Colleague %(n)s: email") % {"n": index}, required=False
            )
        for question in questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def about_fields(self) -> list[Any]:
        names = ["name", "email", "organisation", "organisation_name", "organisation_kind"]
        return [self[name] for name in [*names, "country", "time_zone"] if name in self.fields]

    def person_fields(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"person_{i}_name"], self[f"person_{i}_email"])
            for i in range(1, self.extra_slots + 1)
        ]

    def question_fields(self) -> list[Any]:
        return [self[f"q_{q.pk}"] for q in self.questions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        people: list[tuple[str, str]] = []
        if data.get("attend_myself") and data.get("name") and data.get("email"):
            people.append((data["name"], data["email"]))
        for index in range(1, self.extra_slots + 1):
            name = (data.get(f"person_{index}_name") or "").strip()
            email = (data.get(f"person_{index}_email") or "").strip()
            if name and not email:
                self.add_error(f"person_{index}_email", _("Give this colleague's email address."))
            elif email and not name:
                self.add_error(f"person_{index}_name", _("Give this colleague's name."))
            elif name and email:
                people.append((name, email))
        if not people and not self.errors:
            raise forms.ValidationError(
                _("Name at least one person who will attend: yourself or a colleague.")
            )
        data["people"] = people
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = data.get(f"q_{question.pk}")
            if question.kind == QuestionKind.YES_NO:
                value = {"yes": True, "no": False}.get(value or "")
            answers[str(question.pk)] = value
        data["answers"] = answers
        return data


def _question_field(question: Question) -> forms.Field:
    label = question.display_label
    required = question.required
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[(c, c) for c in question.choice_list],
            widget=forms.RadioSelect,
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=[(c, c) for c in question.choice_list],
            widget=forms.CheckboxSelectMultiple,
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        )
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- organiser tools ------------------------------------------------------------------------


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


MESSAGE_STATUSES = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.PENDING,
]


class MessageForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=_("Send to"),
        choices=[(s.value, s.label) for s in MESSAGE_STATUSES],
        initial=[RegistrationStatus.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))


EXPORT_COLUMNS: list[tuple[str, Any]] = [
    ("name", _("Name")),
    ("email", _("Email")),
    ("organisation", _("Organisation")),
    ("organisation_kind", _("Kind of organisation")),
    ("country", _("Country")),
    ("category", _("Ticket category")),
    ("status", _("Status")),
    ("waitlist_position", _("Waitlist position")),
    ("registered_by", _("Registered by")),
    ("registered_at", _("Registered")),
    ("checked_in_at", _("Checked in")),
    ("code", _("Ticket code")),
    ("answers", _("Answers")),
]


class ExportForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=EXPORT_COLUMNS,
        initial=["name", "email", "organisation", "country", "status", "checked_in_at"],
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label=_("Registrations"),
        choices=[("", _("All but cancelled")), *RegistrationStatus.choices],
        required=False,
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx"
    )

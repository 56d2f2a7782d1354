from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.core.choices import with_hidden_kept
from setu.directory.models import Organisation, OrganisationKind, Region, Sector
from setu.library import selectors
from setu.library.files import CheckedFile, check_upload, max_upload_bytes
from setu.library.models import (
    Announcement,
    Collection,
    Document,
    DocumentKind,
    MarketBrief,
    NotificationPreference,
)
from setu.library.models.documents import linked_model
from setu.library.search.registry import sources
from setu.library.services import RecordLinks

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

TEXTAREA = {"rows": 3}
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.gif,.webp,.txt,.csv,.md"


def _file_input() -> forms.FileInput:
    return forms.FileInput(attrs={"accept": ACCEPT, "class": "library-upload"})


def related_organisation_choices(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Prefectures, states, agencies, chambers and institutions ``user`` may see: a list short
    enough to pick from (companies are found through the directory and linked from their
    profile)."""
    return (
        Organisation.objects.visible_to(user)
        .exclude(kind=OrganisationKind.COMPANY)
        .order_by("country", "name_en")
    )


class UploadMixin:
    """A file field checked by content (setu.library.files); the result in ``checked``."""

    checked: CheckedFile | None = None
    cleaned_data: dict[str, Any]

    def limit_upload_size(self) -> None:
        """The browser warns about an oversized file before sending it (static/js/library)."""
        field = self.fields["file"]  # type: ignore[attr-defined]
        field.widget.attrs.update(
            {
                "data-max-bytes": str(max_upload_bytes()),
                "data-too-large": _("This file is too large (%s MB). The limit is %l MB."),
                "data-empty": _("The file is empty."),
            }
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        self.checked = None
        if isinstance(upload, UploadedFile):
            self.checked = check_upload(upload)
        return upload


def _multilingual_title(data: dict[str, Any], field: str, message: Any) -> None:
    if not any(data.get(f"{field}_{code}") for code in ("en", "ja", "hi")):
        raise ValidationError(message)


def _keep_hidden(form: forms.ModelForm[Any], name: str) -> list[Organisation]:
    """The organisations chosen in ``name``, plus those of the edited record that the form
    did not offer (hidden from this editor): saving never drops them."""
    chosen = list(form.cleaned_data.get(name) or [])
    if not form.instance.pk:
        return chosen
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField) and field.queryset is not None
    return with_hidden_kept(
        chosen, current=getattr(form.instance, name).all(), offered=field.queryset
    )


class DatedRecordsField(forms.ModelMultipleChoiceField):
    """Events, missions or meetings shown with their date: two meetings of a series share a
    title."""

    def label_from_instance(self, obj: Any) -> str:
        day = (
            obj.starts_on
            if isinstance(obj, linked_model("missions"))
            else timezone.localdate(obj.starts_at)
        )
        return f"{obj} · {day.isoformat()}"


def _records_field(label: Any, field: str) -> DatedRecordsField:
    return DatedRecordsField(
        label=label,
        queryset=linked_model(field)._default_manager.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Those you may see, from two years ago to a year ahead."),
    )


RECORD_LINK_FIELDS = ("events", "missions", "meetings")


class DocumentForm(UploadMixin, forms.ModelForm[Document]):
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=_file_input(),
        help_text=_("PDF, Word, Excel, PowerPoint, an image or a text file."),
    )
    note = forms.CharField(label=_("About this version"), required=False, max_length=300)
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas, e.g. hydrogen, Gujarat, 2026 seminar"),
    )
    owner = forms.ModelChoiceField(
        label=_("Published by"), queryset=Organisation.objects.none(), empty_label=None
    )
    # Not model fields of the form: the service sets and audits them (services.RecordLinks).
    events = _records_field(_("Events"), "events")
    missions = _records_field(_("Joint missions"), "missions")
    meetings = _records_field(_("Council meetings"), "meetings")

    class Meta:
        model = Document
        fields = [
            "kind", "title_en", "title_ja", "title_hi", "summary_en", "summary_ja", "summary_hi",
            "language", "sectors", "focal_sectors", "organisations", "visibility",
        ]  # fmt: skip
        widgets = {
            "summary_en": forms.Textarea(attrs=TEXTAREA),
            "summary_ja": forms.Textarea(attrs=TEXTAREA),
            "summary_hi": forms.Textarea(attrs=TEXTAREA),
            "sectors": forms.SelectMultiple(attrs={"size": 6}),
            "organisations": forms.SelectMultiple(attrs={"size": 6}),
            "focal_sectors": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        user: User | AnonymousUser,
        owners: QuerySet[Organisation] | None = None,
        require_file: bool = False,
        brief: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._offer_records(user)
        self.fields["file"].required = require_file
        self.limit_upload_size()
        sectors = self.fields["sectors"]
        assert isinstance(sectors, forms.ModelMultipleChoiceField)
        sectors.queryset = Sector.objects.filter(level="division")
        organisations = self.fields["organisations"]
        assert isinstance(organisations, forms.ModelMultipleChoiceField)
        organisations.queryset = related_organisation_choices(user)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        if brief:
            del self.fields["kind"]
        else:
            kind.choices = [c for c in DocumentKind.choices if c[0] != DocumentKind.MARKET_BRIEF]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        if owners is None or self.instance.pk:
            del self.fields["owner"]
        else:
            owner.queryset = owners
        if self.instance.pk:
            del self.fields["note"]
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def _offer_records(self, user: User | AnonymousUser) -> None:
        """Only what ``user`` may read: an unreadable id posted anyway is a form error."""
        offered = {
            "events": selectors.linkable_events(user=user),
            "missions": selectors.linkable_missions(user=user),
            "meetings": selectors.linkable_meetings(user=user),
        }
        for name, queryset in offered.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
            if self.instance.pk and not self.is_bound:
                field.initial = [record.pk for record in getattr(self.instance, name).all()]

    def clean_organisations(self) -> list[Organisation]:
        return _keep_hidden(self, "organisations")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _multilingual_title(data, "title", _("Give the document a title in at least one language."))
        return data

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("tags_text", "").split(",")]

    def record_links(self) -> RecordLinks:
        """The chosen events, missions and meetings, plus those of an edited document that
        the form did not offer (the editor may not read them, or they are older): saving
        the form never drops a link the editor could not see."""
        links: dict[str, list[Any]] = {}
        for name in RECORD_LINK_FIELDS:
            links[name] = list(self.cleaned_data.get(name) or [])
            if self.instance.pk:
                field = self.fields[name]
                assert isinstance(field, forms.ModelMultipleChoiceField)
                assert field.queryset is not None
                offered = field.queryset.values("pk")
                links[name] += getattr(self.instance, name).exclude(pk__in=offered)
        return RecordLinks(**links)


class VersionForm(UploadMixin, forms.Form):
    file = forms.FileField(label=_("New version"), widget=_file_input())
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_upload_size()


class BriefForm(forms.ModelForm[MarketBrief]):
    key_figures_text = forms.CharField(
        label=_("Key figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, a label and a value: Installed solar capacity: 19.2 GW"),
    )
    source_url = forms.URLField(
        label=_("source link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = MarketBrief
        fields = ["sector", "state", "as_of", "source_title", "source_url"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        assert isinstance(state, forms.ModelChoiceField)
        state.queryset = Region.objects.filter(country="IN").order_by("name_en")
        if self.instance.pk:
            self.fields["key_figures_text"].initial = "\n".join(
                f"{label}: {value}" for label, value in self.instance.key_figures
            )

    def clean_key_figures_text(self) -> str:
        text: str = self.cleaned_data.get("key_figures_text", "")
        figures = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            label, colon, value = line.partition(":")
            if not colon or not label.strip() or not value.strip():
                raise ValidationError(
                    _("Line %(line)s: write a label, a colon and a value."),
                    params={"line": number},
                )
            figures.append([label.strip()[:100], value.strip()[:100]])
        if len(figures) > 20:
            raise ValidationError(_("Give at most 20 key figures."))
        self.cleaned_data["key_figures"] = figures  # the service sets the model field
        return text


class CollectionForm(forms.ModelForm[Collection]):
    class Meta:
        model = Collection
        fields = [
            "name_en", "name_ja", "name_hi", "description_en", "description_ja",
            "description_hi", "members", "visibility",
        ]  # fmt: skip
        widgets = {
            "description_en": forms.Textarea(attrs=TEXTAREA),
            "description_ja": forms.Textarea(attrs=TEXTAREA),
            "description_hi": forms.Textarea(attrs=TEXTAREA),
            "members": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "members": _("The working group: these organisations read every document filed here."),
            "visibility": _("Who else may see that the collection exists and what it holds."),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = related_organisation_choices(user)

    def clean_members(self) -> list[Organisation]:
        return _keep_hidden(self, "members")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _multilingual_title(data, "name", _("Give the collection a name in at least one language."))
        return data


class FileIntoCollectionForm(forms.Form):
    collection = forms.ModelChoiceField(
        label=_("Collection"), queryset=Collection.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, collections: QuerySet[Collection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["collection"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = collections


class AnnouncementForm(forms.ModelForm[Announcement]):
    owner = forms.ModelChoiceField(
        label=_("Published by"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta:
        model = Announcement
        fields = [
            "title_en", "title_ja", "title_hi", "body_en", "body_ja", "body_hi",
            "original_language", "sectors", "visibility", "push_email",
        ]  # fmt: skip
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 5}),
            "body_ja": forms.Textarea(attrs={"rows": 5}),
            "body_hi": forms.Textarea(attrs={"rows": 5}),
            "sectors": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(
        self, *args: Any, owners: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        sectors = self.fields["sectors"]
        assert isinstance(sectors, forms.ModelMultipleChoiceField)
        sectors.queryset = Sector.objects.filter(level="division")
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        if owners is None or self.instance.pk:
            del self.fields["owner"]
        else:
            owner.queryset = owners
        if self.instance.pushed_at:
            del self.fields["push_email"]  # it went out already

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _multilingual_title(
            data, "title", _("Give the announcement a title in at least one language.")
        )
        for code in ("en", "ja", "hi"):
            if data.get(f"title_{code}") and not data.get(f"body_{code}"):
                self.add_error(
                    f"body_{code}", _("Write the text in the same language as the title.")
                )
        return data


class PreferenceForm(forms.ModelForm[NotificationPreference]):
    sources = forms.MultipleChoiceField(
        label=_("Tell me about"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = NotificationPreference
        fields = ["frequency", "scope", "announcement_emails"]
        widgets = {"frequency": forms.RadioSelect, "scope": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.name, s.label) for s in sources() if s.digest]
        field = self.fields["sources"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        muted = set(self.instance.muted_sources or [])
        field.initial = [name for name, _label in choices if name not in muted]

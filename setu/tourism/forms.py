"""Forms of the destination pages' editors. Texts are per language; the checks that publishing
repeats (alt text, size, days with places) are made here first, so a mistake is named where it
is typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from setu.directory.models import Organisation
from setu.library.files import check_upload
from setu.library.models import FileKind
from setu.tourism.content import PAGE_TEXTS
from setu.tourism.models import LANGUAGES, Destination, Festival, Place, Segment
from setu.tourism.selectors import association_choices, exhibitor_choices
from setu.tourism.services import MAX_DAYS, MIN_DAYS, photo_max_bytes

TEXT = {"rows": 4}
SHORT = {"rows": 2}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_ACCEPT = ".png,.jpg,.jpeg,.webp"


def _per_language(*fields: str) -> list[str]:
    return [f"{field}_{code}" for field in fields for code in LANGUAGES]


class DestinationForm(forms.ModelForm[Destination]):
    class Meta:
        model = Destination
        fields = ["original_language", *_per_language(*PAGE_TEXTS)]
        widgets = {
            **{name: forms.Textarea(attrs=SHORT) for name in _per_language("summary")},
            **{
                name: forms.Textarea(attrs=TEXT)
                for name in _per_language("highlights", "getting_there", "food", "guides")
            },
        }


class PlaceForm(forms.ModelForm[Place]):
    class Meta:
        model = Place
        fields = [
            *_per_language("name", "description", "food"),
            "vegetarian", "jain", "indian_restaurant", "latitude", "longitude",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs=SHORT) for name in _per_language("description", "food")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"name_{code}") for code in LANGUAGES):
            raise ValidationError(_("Give the place a name in at least one language."))
        return data


class FestivalForm(forms.ModelForm[Festival]):
    class Meta:
        model = Festival
        fields = [*_per_language("name", "description"), "starts_on", "ends_on"]
        widgets = {
            **{name: forms.Textarea(attrs=SHORT) for name in _per_language("description")},
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"name_{code}") for code in LANGUAGES):
            raise ValidationError(_("Give the festival a name in at least one language."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The festival ends before it starts."))
        return data


class PlaceChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ItineraryForm(forms.Form):
    """An itinerary of 2 to 5 days; each day visits at least one of the page's places."""

    title_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)
    title_ja = forms.CharField(label=_("title (Japanese)"), max_length=200, required=False)
    title_hi = forms.CharField(label=_("title (Hindi)"), max_length=200, required=False)
    days = forms.TypedChoiceField(
        label=_("number of days"),
        coerce=int,
        choices=[(n, str(n)) for n in range(MIN_DAYS, MAX_DAYS + 1)],
        initial=3,
    )

    def __init__(self, *args: Any, places: QuerySet[Place] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = places if places is not None else Place.objects.none()
        for number in range(1, MAX_DAYS + 1):
            self.fields[f"day_{number}"] = PlaceChoices(
                label=_("Day %s") % number, queryset=offered, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{code}") for code in LANGUAGES):
            raise ValidationError(_("Give the itinerary a title in at least one language."))
        days = data.get("days")
        if days:
            for number in range(1, days + 1):
                if not data.get(f"day_{number}"):
                    self.add_error(
                        f"day_{number}",
                        _("Day %s has no place: choose at least one.") % number,
                    )
        return data

    def day_places(self) -> list[list[Place]]:
        days = self.cleaned_data["days"]
        return [list(self.cleaned_data[f"day_{n}"]) for n in range(1, days + 1)]

    def titles(self) -> dict[str, str]:
        return {f"title_{code}": self.cleaned_data[f"title_{code}"] for code in LANGUAGES}


class PhotoForm(forms.Form):
    """A photo checked by content (as the library's uploads), within the photo size limit."""

    image = forms.FileField(
        label=_("photo (PNG, JPEG or WebP)"),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    alt_en = forms.CharField(label=_("alt text (English)"), max_length=200, required=False)
    alt_ja = forms.CharField(label=_("alt text (Japanese)"), max_length=200, required=False)
    alt_hi = forms.CharField(label=_("alt text (Hindi)"), max_length=200, required=False)
    decorative = forms.BooleanField(
        label=_("decorative: it shows nothing a reader needs to know"), required=False
    )
    credit = forms.CharField(
        label=_("credit"), max_length=200, help_text=_("Who took it, and the licence if any.")
    )

    content_type = ""
    width = 0
    height = 0

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if not isinstance(upload, UploadedFile):
            return upload
        limit = photo_max_bytes()
        size = upload.size or 0
        if size > limit:
            raise ValidationError(
                _("The photo is too large (%(size)s MB). The limit is %(limit)s MB."),
                params={"size": f"{size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}"},
            )
        checked = check_upload(upload)
        if checked.kind != FileKind.IMAGE or checked.extension == ".gif":
            raise ValidationError(_("Choose a photo: a PNG, JPEG or WebP file."))
        from PIL import Image

        upload.seek(0)
        with Image.open(upload) as image:
            self.width, self.height = image.size
        upload.seek(0)
        self.content_type = checked.content_type
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decorative") and not any(
            (data.get(f"alt_{code}") or "").strip() for code in LANGUAGES
        ):
            self.add_error(
                "alt_en",
                _("Say what the photo shows (alt text), or mark it decorative."),
            )
        return data

    def photo_data(self) -> dict[str, Any]:
        names = ["alt_en", "alt_ja", "alt_hi", "decorative", "credit"]
        return {name: self.cleaned_data[name] for name in names}


# -- travel fairs ----------------------------------------------------------------------------


class BoothForm(forms.Form):
    """A booth at a travel fair: its label and its exhibitor, among the organisations the
    user may see."""

    label = forms.CharField(
        label=_("Booth"), max_length=20, help_text=_("As on the floor plan, such as A12.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Exhibitor"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = exhibitor_choices(user)


class TradeProfileForm(forms.Form):
    """What a travel-trade participant offers at the fair's B2B meetings."""

    packages = forms.CharField(
        label=_("Packages offered"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    group_min = forms.IntegerField(label=_("Smallest group"), required=False, min_value=1)
    group_max = forms.IntegerField(label=_("Largest group"), required=False, min_value=1)
    segments = forms.MultipleChoiceField(
        label=_("Segments"),
        required=False,
        choices=Segment.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    associations = forms.ModelMultipleChoiceField(
        label=_("Trade associations"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["associations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = association_choices(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("group_min"), data.get("group_max")
        if low is not None and high is not None and high < low:
            self.add_error("group_max", _("The largest group cannot be smaller than the smallest."))
        return data

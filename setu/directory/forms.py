from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from setu.core.choices import with_hidden_kept
from setu.directory import selectors
from setu.directory.models import Organisation, OrganisationKind, Partnership, Person, Sector

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

LOGO_MAX_BYTES = getattr(settings, "SETU_LOGO_MAX_BYTES", 2 * 1024 * 1024)
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
NOT_AN_IMAGE = _("The logo is not an image we can read (PNG, JPEG, WebP or GIF).")


def validate_logo(upload: UploadedFile) -> None:
    """An image by its content, not its name, and not too large."""
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is too large (%(size)s MB). The limit is %(limit)s MB."),
            params={
                "size": f"{upload.size / 1_048_576:.1f}",
                "limit": f"{LOGO_MAX_BYTES / 1_048_576:.0f}",
            },
        )
    try:
        with Image.open(upload) as image:
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(NOT_AN_IMAGE) from error
    finally:
        upload.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("The logo must be a PNG, JPEG, WebP or GIF image."))


class OrganisationForm(forms.ModelForm[Organisation]):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "kind", "name_en", "name_ja", "name_ja_kana", "name_hi", "original_language",
            "country", "region", "city", "address", "website", "description_en",
            "description_ja", "description_hi", "offers", "needs", "sectors", "employees",
            "capital", "capital_currency", "sme_industry", "logo", "visibility",
        ]  # fmt: skip
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_ja": forms.Textarea(attrs={"rows": 3}),
            "description_hi": forms.Textarea(attrs={"rows": 3}),
            "offers": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "sectors": forms.SelectMultiple(attrs={"size": 8}),
        }
        error_messages = {"logo": {"invalid_image": NOT_AN_IMAGE}}

    def __init__(self, *args: Any, kinds: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sectors = self.fields["sectors"]
        assert isinstance(sectors, forms.ModelMultipleChoiceField)
        sectors.queryset = Sector.objects.filter(level="division")
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        if kinds is not None:
            kind.choices = [(k, label) for k, label in OrganisationKind.choices if k in kinds]
        country = self.fields["country"]
        country.widget = forms.Select(choices=[("JP", _("Japan")), ("IN", _("India"))])

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            validate_logo(logo)
        return logo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("name_en", "name_ja", "name_hi")):
            raise ValidationError(_("Give the organisation a name in at least one language."))
        region = data.get("region")
        if region is not None and data.get("country") and region.country != data["country"]:
            self.add_error("region", _("This region is not in the chosen country."))
        city = data.get("city")
        if city is not None and data.get("country") and city.country != data["country"]:
            self.add_error("city", _("This city is not in the chosen country."))
        return data


def normalise_phone(raw: str, default_region: str) -> str:
    """Parse a phone number as written and return it in E.164, or raise ValidationError."""
    try:
        number = phonenumbers.parse(raw, default_region or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Enter a phone number, e.g. +81 55 237 1111.")) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a valid phone number for its country."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = [
            "organisation", "name_latin", "name_native", "title", "email", "phone",
            "preferred_language", "visibility",
        ]  # fmt: skip

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def clean_phone(self) -> str:
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        organisation = self.cleaned_data.get("organisation")
        return normalise_phone(raw, organisation.country if organisation else "")


class PartnershipForm(forms.ModelForm[Partnership]):
    source_url = forms.URLField(
        label=_("source link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Partnership
        fields = [
            "kind", "level", "title_en", "title_ja", "title_hi", "parties", "cities",
            "signed_on", "signed_precision", "valid_until", "status", "renews", "scope",
            "focal_sectors", "source_title", "source_url", "note", "visibility",
        ]  # fmt: skip
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = self.fields["parties"]
        assert isinstance(parties, forms.ModelMultipleChoiceField)
        parties.queryset = (
            Organisation.objects.visible_to(user)
            .filter(
                kind__in=[
                    OrganisationKind.MEMBER_PREFECTURE,
                    OrganisationKind.PREFECTURE,
                    OrganisationKind.INDIAN_STATE,
                ]
            )
            .order_by("country", "name_en")
        )
        renews = self.fields["renews"]
        assert isinstance(renews, forms.ModelChoiceField)
        # Only agreements the user may see: a hidden one's title would show on this one's page.
        renews.queryset = selectors.renewable_partnerships(user=user, exclude=self.instance)
        # An agreement it already renews that the editor may not see stays linked on save.
        self._hidden_renews_id: int | None = None
        renews_id = self.instance.renews_id
        if renews_id is not None and not renews.queryset.filter(pk=renews_id).exists():
            self._hidden_renews_id = renews_id

    def clean_parties(self) -> list[Organisation]:
        """The chosen parties, plus those of an edited agreement hidden from the editor."""
        chosen = list(self.cleaned_data.get("parties") or [])
        if self.instance.pk is None:
            return chosen
        field = self.fields["parties"]
        assert isinstance(field, forms.ModelMultipleChoiceField) and field.queryset is not None
        current = Organisation.objects.filter(partnerships=self.instance)
        return with_hidden_kept(chosen, current=current, offered=field.queryset)

    def clean_renews(self) -> Partnership | None:
        chosen: Partnership | None = self.cleaned_data.get("renews")
        if chosen is None and self._hidden_renews_id is not None:
            # the instance read for this user has ``renews`` prefetched as None: read the id
            return Partnership.objects.get(pk=self._hidden_renews_id)
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parties = list(data.get("parties") or [])
        countries = {party.country for party in parties}
        if parties and not {"JP", "IN"} <= countries:
            self.add_error("parties", _("An agreement needs a Japanese and an Indian party."))
        signed_on, valid_until = data.get("signed_on"), data.get("valid_until")
        if signed_on and valid_until and valid_until <= signed_on:
            self.add_error("valid_until", _("The end date must come after the signing date."))
        return data

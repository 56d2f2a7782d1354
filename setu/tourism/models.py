"""Destination pages, their places, itineraries, festivals and photos, and arrival figures.

A destination page belongs to one member prefecture (``owner``) and describes its region
(``region``: ISO 3166-2, the page's address ``/visit/JP-22/``). Its officers and the
secretariat edit the working copy, the rows below; readers never see those. Publishing
checks the working copy and freezes it into ``published``, a JSON snapshot of every field in
every language: the public page is read from that one row (docs/decisions/0024), so drafts
stay private and the page costs one query.

Content is held per language (``<field>_en``, ``_ja``, ``_hi``) and shown in the reader's
fallback order (``setu.core.i18n``); ``original_language`` says which one was written first.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.directory.models import Language

LANGUAGES = ("en", "ja", "hi")
LANGUAGE_LABELS = {"en": _("English"), "ja": _("Japanese"), "hi": _("Hindi")}


def _text(label: Any, code: str, *, short: bool = False) -> models.Field[Any, Any]:
    verbose = format_lazy("{} ({})", label, LANGUAGE_LABELS[code])
    if short:
        return models.CharField(verbose, max_length=200, blank=True)
    return models.TextField(verbose, blank=True)


class Destination(models.Model):
    """One member prefecture's page for Indian travellers and travel agents."""

    region = models.OneToOneField(
        "directory.Region",
        on_delete=models.PROTECT,
        related_name="destination",
        verbose_name=_("region"),
    )
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture"),
    )
    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    title_en = _text(_("title"), "en", short=True)
    title_ja = _text(_("title"), "ja", short=True)
    title_hi = _text(_("title"), "hi", short=True)
    summary_en = _text(_("summary"), "en")
    summary_ja = _text(_("summary"), "ja")
    summary_hi = _text(_("summary"), "hi")
    highlights_en = _text(_("highlights"), "en")
    highlights_ja = _text(_("highlights"), "ja")
    highlights_hi = _text(_("highlights"), "hi")
    getting_there_en = _text(_("getting there"), "en")
    getting_there_ja = _text(_("getting there"), "ja")
    getting_there_hi = _text(_("getting there"), "hi")
    food_en = _text(_("food"), "en")
    food_ja = _text(_("food"), "ja")
    food_hi = _text(_("food"), "hi")
    guides_en = _text(_("guides and language help"), "en")
    guides_ja = _text(_("guides and language help"), "ja")
    guides_hi = _text(_("guides and language help"), "hi")
    is_sample = models.BooleanField(_("sample text"), default=False)
    published = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("destination page")
        verbose_name_plural = _("destination pages")

    def __str__(self) -> str:
        return self.display_title or self.region_id

    def get_absolute_url(self) -> str:
        return reverse("tourism:destination", args=[self.region_id])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_at is None or self.updated_at > self.published_at


class Place(models.Model):
    """A place worth the journey, with what an Indian traveller eats there."""

    destination = models.ForeignKey(
        Destination, on_delete=models.CASCADE, related_name="places", verbose_name=_("page")
    )
    name_en = _text(_("name"), "en", short=True)
    name_ja = _text(_("name"), "ja", short=True)
    name_hi = _text(_("name"), "hi", short=True)
    description_en = _text(_("description"), "en")
    description_ja = _text(_("description"), "ja")
    description_hi = _text(_("description"), "hi")
    food_en = _text(_("food nearby"), "en")
    food_ja = _text(_("food nearby"), "ja")
    food_hi = _text(_("food nearby"), "hi")
    vegetarian = models.BooleanField(_("vegetarian meals"), default=False)
    jain = models.BooleanField(_("Jain meals"), default=False)
    indian_restaurant = models.BooleanField(_("Indian restaurant"), default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["destination", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_en="", name_ja="", name_hi=""), name="place_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class Festival(models.Model):
    """A season's festival or event, with its dates when known."""

    destination = models.ForeignKey(
        Destination, on_delete=models.CASCADE, related_name="festivals", verbose_name=_("page")
    )
    name_en = _text(_("name"), "en", short=True)
    name_ja = _text(_("name"), "ja", short=True)
    name_hi = _text(_("name"), "hi", short=True)
    description_en = _text(_("description"), "en")
    description_ja = _text(_("description"), "ja")
    description_hi = _text(_("description"), "hi")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["destination", "starts_on", "id"]
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_en="", name_ja="", name_hi=""), name="festival_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="festival_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class Itinerary(models.Model):
    """A suggested stay of two to five days."""

    destination = models.ForeignKey(
        Destination, on_delete=models.CASCADE, related_name="itineraries", verbose_name=_("page")
    )
    title_en = _text(_("title"), "en", short=True)
    title_ja = _text(_("title"), "ja", short=True)
    title_hi = _text(_("title"), "hi", short=True)

    class Meta:
        ordering = ["destination", "id"]
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")

    def __str__(self) -> str:
        return localized(self, "title")


class ItineraryDay(models.Model):
    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="days")
    number = models.PositiveSmallIntegerField(_("day"))
    places = models.ManyToManyField(Place, related_name="days", verbose_name=_("places"))

    class Meta:
        ordering = ["itinerary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["itinerary", "number"], name="itinerary_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.itinerary} · {self.number}"


class Photo(models.Model):
    """A photo served by the platform, with its credit and its alt text per language.

    A decorative photo (it adds nothing a reader needs) is shown with an empty alt."""

    destination = models.ForeignKey(
        Destination, on_delete=models.CASCADE, related_name="photos", verbose_name=_("page")
    )
    image = models.FileField(_("photo"), upload_to="tourism/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_en = _text(_("alt text"), "en", short=True)
    alt_ja = _text(_("alt text"), "ja", short=True)
    alt_hi = _text(_("alt text"), "hi", short=True)
    decorative = models.BooleanField(
        _("decorative"), default=False, help_text=_("It shows nothing a reader needs to know.")
    )
    credit = models.CharField(_("credit"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["destination", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return localized(self, "alt") or self.credit

    def get_absolute_url(self) -> str:
        return reverse("tourism:photo", args=[self.pk])


class ArrivalFigure(models.Model):
    """Visitors from one country to one region in one month (the national statistics' table)."""

    region = models.ForeignKey(
        "directory.Region", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    country = models.CharField(_("country"), max_length=2)
    visitors = models.PositiveIntegerField(_("visitors"))
    is_sample = models.BooleanField(_("sample figure"), default=False)

    class Meta:
        ordering = ["region", "year", "month", "country"]
        verbose_name = _("arrival figure")
        verbose_name_plural = _("arrival figures")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month", "country"], name="arrival_figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="arrival_figure_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}-{self.month:02d} {self.country}: {self.visitors}"


class Segment(models.TextChoices):
    MICE = "mice", _("MICE (meetings, incentives, conferences, exhibitions)")
    WEDDINGS = "weddings", _("Weddings")
    STUDENTS = "students", _("Students and school trips")
    PILGRIMS = "pilgrims", _("Pilgrims and spiritual travel")
    ADVENTURE = "adventure", _("Adventure")


class TradeProfile(models.Model):
    """What a travel-trade participant of a B2B matchmaking offers: packages, group sizes,
    segments, trade associations. One per matchmaking participant (its offers, needs and
    meetings stay the matchmaking app's)."""

    participant = models.OneToOneField(
        "matchmaking.Participant",
        on_delete=models.CASCADE,
        related_name="trade_profile",
        verbose_name=_("participant"),
    )
    packages = models.TextField(_("packages offered"), blank=True)
    group_min = models.PositiveIntegerField(_("smallest group"), null=True, blank=True)
    group_max = models.PositiveIntegerField(_("largest group"), null=True, blank=True)
    segments = models.JSONField(_("segments"), default=list, blank=True)
    associations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("trade associations"),
        limit_choices_to={"kind": "chamber"},
    )

    class Meta:
        verbose_name = _("travel-trade profile")
        verbose_name_plural = _("travel-trade profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(group_min__isnull=True)
                | Q(group_max__isnull=True)
                | Q(group_max__gte=models.F("group_min")),
                name="trade_profile_group_sizes",
            )
        ]

    def __str__(self) -> str:
        return str(self.participant_id)

    @property
    def segment_labels(self) -> list[str]:
        labels = dict(Segment.choices)
        return [str(labels[code]) for code in self.segments if code in labels]


class Booth(models.Model):
    """An exhibitor's stand at a travel fair or roadshow (an event of kind travel_fair)."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="booths", verbose_name=_("event")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("exhibitor"),
    )
    label = models.CharField(_("booth"), max_length=20)

    class Meta:
        ordering = ["event", "label", "id"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["event", "label"], name="booth_label_unique"),
            models.UniqueConstraint(
                fields=["event", "organisation"], name="booth_exhibitor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.organisation}"

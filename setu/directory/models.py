from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.core.models import OwnedModel, Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class OrganisationKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Consortium secretariat")
    MEMBER_PREFECTURE = "member_prefecture", _("Member prefecture")
    PREFECTURE = "prefecture", _("Japanese prefecture (not a member)")
    INDIAN_STATE = "indian_state", _("Indian state or union territory")
    COMPANY = "company", _("Company")
    ACADEMIC = "academic", _("Academic institution")
    AGENCY = "agency", _("Government agency")
    CHAMBER = "chamber", _("Chamber or association")
    TOUR_OPERATOR = "tour_operator", _("Tour operator")
    TRAVEL_AGENT = "travel_agent", _("Travel agent")
    AIRLINE = "airline", _("Airline")
    HOTEL = "hotel", _("Hotel or ryokan")
    DMO = "dmo", _("Destination marketing organisation")


# The travel trade (tourism): companies of their own kind, so a fair's lists can pick them out.
TRAVEL_TRADE_KINDS = (
    OrganisationKind.TOUR_OPERATOR,
    OrganisationKind.TRAVEL_AGENT,
    OrganisationKind.AIRLINE,
    OrganisationKind.HOTEL,
    OrganisationKind.DMO,
)


class Language(models.TextChoices):
    EN = "en", _("English")
    JA = "ja", _("Japanese")
    HI = "hi", _("Hindi")


class RegionKind(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture")
    STATE = "state", _("State")
    UNION_TERRITORY = "union_territory", _("Union territory")


class Region(models.Model):
    """A first-level subdivision (ISO 3166-2): the 47 prefectures, India's states and UTs."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, primary_key=True)
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100, blank=True)
    name_ja_kana = models.CharField(_("reading (kana)"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class City(models.Model):
    """A city where events and missions happen, with its time zone."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    country = models.CharField(_("country"), max_length=2)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="cities"
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class SectorLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")


class Sector(models.Model):
    """ISIC Rev.4 sections and divisions: the backbone of the sector taxonomy."""

    code = models.CharField(_("ISIC code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=SectorLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="divisions"
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class ClassificationScheme(models.TextChoices):
    JSIC = "jsic", _("Japan Standard Industrial Classification")
    NIC2008 = "nic2008", _("India National Industrial Classification 2008")


class SectorCode(models.Model):
    """A national classification code (JSIC, NIC-2008) mapped onto ISIC divisions."""

    scheme = models.CharField(_("scheme"), max_length=10, choices=ClassificationScheme.choices)
    code = models.CharField(_("code"), max_length=8)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    sectors = models.ManyToManyField(Sector, related_name="national_codes", blank=True)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="sector_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.code}"


class FocalSector(models.Model):
    """A curated group of codes: renewable energy, smart cities, automotive components, ..."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sectors = models.ManyToManyField(Sector, related_name="focal_groups")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("focal sector")
        verbose_name_plural = _("focal sectors")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class SmeIndustry(models.TextChoices):
    """Industry groups of Japan's SME Basic Act, each with its own thresholds."""

    MANUFACTURING = "manufacturing", _("Manufacturing, construction, transport and others")
    WHOLESALE = "wholesale", _("Wholesale")
    SERVICES = "services", _("Services")
    RETAIL = "retail", _("Retail")


class Currency(models.TextChoices):
    JPY = "JPY", "JPY"
    INR = "INR", "INR"
    USD = "USD", "USD"


def _sort_name(*languages: str) -> models.GeneratedField:
    """The name shown to a reader (``setu.core.i18n.localized``), stored for sorting: the first
    non-empty of ``name_<language>`` in the reader's fallback order."""
    *first, last = (f"name_{code}" for code in languages)
    return models.GeneratedField(
        expression=Coalesce(*(NullIf(name, models.Value("")) for name in first), last),
        output_field=models.CharField(max_length=200),
        db_persist=True,
    )


# What the list's visibility rule and its cheap filters read (org_region_sort_<lang>).
_LIST_FILTER_COLUMNS = ("visibility", "is_sme", "focal_groups", "managed_by", "merged_into")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """An organisation is its own owner; its managing prefecture's officers read it too.

        Records merged into another are left out: the surviving record speaks for them.
        """
        return self.filter(organisation_visibility_q(user))


def organisation_visibility_q(user: User | AnonymousUser) -> models.Q:
    """The filter of ``Organisation.objects.visible_to(user)``, to reuse it through a relation
    (``setu.directory.selectors.person_list`` tests a contact's organisation with it)."""
    from setu.core.visibility import visibility_q

    return visibility_q(user, owner_field="id", managed_by_field="managed_by") & models.Q(
        merged_into__isnull=True
    )


class Organisation(models.Model):
    """Who is who in the partnership."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    name_ja_kana = models.CharField(_("reading (kana)"), max_length=200, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 code"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
        db_index=False,  # org_region_list leads with it; a second index misleads SQLite
    )
    city = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("city"),
    )
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_hi = models.TextField(_("description (Hindi)"), blank=True)
    offers = models.TextField(_("offers"), blank=True, help_text=_("What you sell or can provide"))
    needs = models.TextField(_("needs"), blank=True, help_text=_("What you are looking for"))
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organisations", verbose_name=_("sectors")
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    capital = models.DecimalField(
        _("capital"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    capital_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.JPY
    )
    sme_industry = models.CharField(
        _("industry group (SME Basic Act)"),
        max_length=16,
        choices=SmeIndustry.choices,
        blank=True,
    )
    is_sme = models.BooleanField(_("SME"), null=True, blank=True, db_index=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    managed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_organisations",
        limit_choices_to={"kind": OrganisationKind.MEMBER_PREFECTURE},
        verbose_name=_("managed by"),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PARTNERS,
        db_index=True,
    )
    # Duplicate detection: the normalised name (setu.algorithms.names) and its tokens.
    name_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_records",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The list sorts by the reader's column through an index; an expression in ORDER BY would
    # sort every visible row on every page (docs/decisions/0006).
    sort_name_en = _sort_name("en", "ja", "hi")
    sort_name_ja = _sort_name("ja", "en", "hi")
    sort_name_hi = _sort_name("hi", "en", "ja")
    # One bit per focal sector its sectors fall in (setu/directory/focal.py keeps it): the
    # list's focal filter reads it from an index, with no subquery per row.
    focal_groups = models.BigIntegerField(default=0, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_en="", name_ja="", name_hi=""),
                name="organisation_has_a_name",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "country"]),
            # visible_to() answered from the index alone: the list's COUNT reads no table row.
            models.Index(
                fields=["visibility", "managed_by", "merged_into", "id"], name="org_visible"
            ),
            # The list's order, one per reader language; with visibility first for readers who
            # see one visibility only (the public), who would otherwise skip most of the index.
            models.Index(fields=["sort_name_en", "id"], name="org_sort_en"),
            models.Index(fields=["sort_name_ja", "id"], name="org_sort_ja"),
            models.Index(fields=["sort_name_hi", "id"], name="org_sort_hi"),
            models.Index(fields=["visibility", "sort_name_en", "id"], name="org_visible_sort_en"),
            models.Index(fields=["visibility", "sort_name_ja", "id"], name="org_visible_sort_ja"),
            models.Index(fields=["visibility", "sort_name_hi", "id"], name="org_visible_sort_hi"),
            # A list filtered by region, in the reader's order. The other filters' columns ride
            # along: SQLite tests them on the index entry before it reads the table row.
            *(
                models.Index(
                    fields=["region", f"sort_name_{code}", "id", *_LIST_FILTER_COLUMNS],
                    name=f"org_region_sort_{code}",
                )
                for code in ("en", "ja", "hi")
            ),
            # The filtered list (region, SME, focal sector) counted from the index alone.
            models.Index(
                fields=[
                    "region",
                    "is_sme",
                    "visibility",
                    "managed_by",
                    "merged_into",
                    "focal_groups",
                    "id",
                ],
                name="org_region_list",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_member_prefecture(self) -> bool:
        return self.kind == OrganisationKind.MEMBER_PREFECTURE


class NameToken(models.Model):
    """One token of an organisation's normalised name, for the duplicate candidate search and
    the list's name search (a token prefix: on PostgreSQL, LIKE 'word%' reads the
    ``varchar_pattern_ops`` index Django adds beside the plain one of ``db_index``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="name_tokens"
    )
    token = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "token"], name="name_token_unique")
        ]

    def __str__(self) -> str:
        return self.token


class MergeRecord(models.Model):
    """The history of a merge: what the merged record held, who merged it into what, when."""

    merged = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="merge_history_as_merged"
    )
    into = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="merge_history_as_target"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)
    repointed = models.JSONField(default=dict, help_text="references moved, by model")

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.snapshot.get('name_en') or self.merged_id} → {self.into_id}"


class Person(OwnedModel):
    """A contact. The owner is the organisation that keeps the record (usually a prefecture)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    name_latin = models.CharField(_("name (Latin script)"), max_length=150)
    name_native = models.CharField(
        _("name (native script)"),
        max_length=150,
        blank=True,
        help_text=_("Kanji/kana or Devanagari"),
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +81552371111")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_latin", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name_latin

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])


class PartnershipKind(models.TextChoices):
    SISTER_STATE = "sister_state", _("Sister state")
    MOU = "mou", _("Memorandum of understanding")
    BASIC_AGREEMENT = "basic_agreement", _("Basic agreement")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    FRIENDSHIP = "friendship", _("Friendship agreement")


class PartnershipLevel(models.TextChoices):
    PREFECTURE_STATE = "prefecture_state", _("Prefecture and state")
    CITY_CITY = "city_city", _("City and city")
    OTHER = "municipal_association_state", _("Association of municipalities and state")
    COMPANY_COMPANY = "company_company", _("Company and company")
    ACADEMIC_ACADEMIC = "academic_academic", _("University and university")


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    EXPIRED = "expired", _("Expired")
    RENEWED = "renewed", _("Renewed by a later agreement")
    PLANNED = "planned", _("Under negotiation")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Partnership(OwnedModel):
    """An agreement between Japanese and Indian sides (prefecture–state, city–city)."""

    key = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=PartnershipKind.choices)
    level = models.CharField(
        _("level"), max_length=32, choices=PartnershipLevel.choices, default="prefecture_state"
    )
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    title_hi = models.CharField(_("title (Hindi)"), max_length=300, blank=True)
    parties = models.ManyToManyField(
        Organisation, related_name="partnerships", verbose_name=_("parties")
    )
    cities = models.ManyToManyField(City, blank=True, related_name="partnerships")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PartnershipStatus.choices, default="active"
    )
    renews = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )
    scope = models.TextField(_("scope"), blank=True)
    focal_sectors = models.ManyToManyField(FocalSector, blank=True, related_name="partnerships")
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    verified = models.BooleanField(_("verified against the source"), default=True)
    note = models.TextField(_("note"), blank=True)
    expiry_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-signed_on", "id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("directory:partnership", args=[self.pk])

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class ImportBatch(models.Model):
    """An uploaded CSV/XLSX waiting for the preview to be confirmed."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=20)  # "organisations" or "people"
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.target})"

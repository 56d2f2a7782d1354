"""Events, their agenda, ticket categories and questions; registrations, attendees, reminders.

A ``Registration`` is what registers, waits and is promoted as one: a person, or a company's
group. Each person in it is an ``Attendee``, who takes one seat and gets a ticket (QR code).
Seats are counted from attendees whose registration holds seats (``HOLDING``); all seat
changes happen in ``setu.events.registration`` under the event row's lock.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.core.i18n import localized
from setu.core.models import OwnedModel, OwnedQuerySet
from setu.core.principal import principal_for
from setu.core.timefmt import zone
from setu.core.titles import TrilingualTitle
from setu.directory.models import Language, OrganisationKind

if TYPE_CHECKING:
    from datetime import tzinfo

    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class Country(models.TextChoices):
    """Where a registrant's organisation is based, for the statistics."""

    JAPAN = "JP", _("Japan")
    INDIA = "IN", _("India")
    OTHER = "ZZ", _("Other")


class EventKind(models.TextChoices):
    DELEGATION = "delegation", _("Business delegation")
    SEMINAR = "seminar", _("Investment seminar")
    NETWORKING = "networking", _("Industry networking event")
    FESTIVAL = "festival", _("Cultural festival")
    WEBINAR = "webinar", _("Webinar")
    COURSE = "course", _("Course session")
    TRAVEL_FAIR = "travel_fair", _("Travel fair or roadshow")
    OTHER = "other", _("Other")


class EventVisibility(models.TextChoices):
    DRAFT = "draft", _("Draft: the hosts' officers only")
    PRIVATE = "private", _("Private: hosts and partner organisations")
    CONSORTIUM = "consortium", _("Consortium: secretariat and member prefectures")
    PARTNERS = "partners", _("Partners: every organisation in the network")
    PUBLIC = "public", _("Public: everyone")


class HostRole(models.TextChoices):
    CO_HOST = "co_host", _("Co-host")
    PARTNER = "partner", _("Partner organisation")


class EventQuerySet(OwnedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Events ``user`` may read.

        Public to everyone; partners to the network; consortium to staff. Private events to
        the members of the host and partner organisations; drafts to the hosts' officers. The
        secretariat, which may manage every event, reads them all.
        """
        principal = principal_for(user)
        # public, partners and consortium: the core policy's shared levels
        allowed = Q(visibility__in=sorted(principal.shared_levels()))
        if principal.is_secretariat:
            return self.filter(allowed | Q(visibility__in=["private", "draft"]))
        if principal.officer_org_ids:
            co_hosting = EventOrganisation.objects.filter(
                event=OuterRef("pk"),
                role=HostRole.CO_HOST,
                organisation__in=principal.officer_org_ids,
            )
            allowed |= Q(owner__in=principal.officer_org_ids) | Q(Exists(co_hosting))
        if principal.org_ids:
            linked = EventOrganisation.objects.filter(
                event=OuterRef("pk"), organisation__in=principal.org_ids
            )
            allowed |= Q(visibility=EventVisibility.PRIVATE) & (
                Q(owner__in=principal.org_ids) | Q(Exists(linked))
            )
        return self.filter(allowed)


class Event(TrilingualTitle, OwnedModel):
    """An event hosted by member prefectures. ``owner`` is the lead host prefecture."""

    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    summary_ja = models.CharField(_("summary (Japanese)"), max_length=300, blank=True)
    summary_hi = models.CharField(_("summary (Hindi)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_hi = models.TextField(_("description (Hindi)"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    # Events add "draft" to the shared visibilities.
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=EventVisibility.choices,
        default=EventVisibility.DRAFT,
        db_index=True,
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        through="EventOrganisation",
        related_name="events",
        blank=True,
    )
    city = models.ForeignKey(
        "directory.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("city"),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Kolkata",
        help_text=_("The venue's time zone; taken from the city when there is one."),
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    sectors = models.ManyToManyField(
        "directory.Sector", blank=True, related_name="events", verbose_name=_("sectors")
    )
    focal_sectors = models.ManyToManyField(
        "directory.FocalSector",
        blank=True,
        related_name="events",
        verbose_name=_("focal sectors"),
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=20,
        blank=True,
        help_text=_("Codes separated by spaces, e.g. 'en ja'."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats in total; empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need the organiser's approval"))
    waitlist_enabled = models.BooleanField(_("waitlist when full"), default=True)
    claim_hours = models.PositiveSmallIntegerField(
        _("hours to claim a freed seat"),
        default=0,
        help_text=_(
            "0: a freed seat goes straight to the next person waiting. Otherwise they have this "
            "many hours to claim it before it passes on."
        ),
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("largest group"), default=10, help_text=_("How many people one registration may bring.")
    )
    # The last waitlist position handed out; read and incremented under the event row's lock.
    waitlist_counter = models.PositiveIntegerField(default=0, editable=False)
    # For display: people holding seats and people waiting, stored under the event row's lock
    # by every seat change (setu.events.registration). Allocation always counts the attendees.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    waiting_count = models.PositiveIntegerField(_("people waiting"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()  # type: ignore[misc]  # adds co-hosts and drafts

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_ja="", title_hi=""), name="event_has_a_title"
            ),
        ]
        indexes = [models.Index(fields=["visibility", "starts_at"])]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def venue_zone(self) -> str:
        """The IANA zone times are shown in: the city's, else the event's own."""
        if self.city_id is not None and self.city is not None and self.city.timezone:
            return self.city.timezone
        return self.time_zone

    @property
    def venue_tz(self) -> tzinfo:
        return zone(self.venue_zone)

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()

    def get_language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.language_codes if code in labels]

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and self.city_id is None


class EventOrganisation(models.Model):
    """A co-host (another member prefecture) or a partner organisation of an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="event_links"
    )
    role = models.CharField(_("role"), max_length=16, choices=HostRole.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="event_org_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class TicketCategory(models.Model):
    """A kind of seat with its own optional limit: Japanese company, Indian company, government."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="categories")
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100, blank=True)
    name_hi = models.CharField(_("name (Hindi)"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty: only the event's total applies.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # For display, like Event.seats_taken.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Session(TrilingualTitle):
    """One item of the agenda."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.display_title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes or no")


class Question(models.Model):
    """A question the event asks each registration."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    label_ja = models.CharField(_("question (Japanese)"), max_length=300, blank=True)
    label_hi = models.CharField(_("question (Hindi)"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For choice questions: one choice per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return localized(self, "label")

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email not confirmed yet")
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered: claim it")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Offer lapsed")


# Statuses whose attendees take seats.
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# Statuses after which the registration is over and its people may register again.
ENDED = (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED, RegistrationStatus.EXPIRED)


def new_token() -> str:
    return secrets.token_urlsafe(24)


# Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Registration(models.Model):
    """One registration: a person, or a group that waits and is promoted as one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    category = models.ForeignKey(
        TicketCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("ticket category"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    base_url = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    claim_expires_at = models.DateTimeField(_("claim by"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="registration_waitlist_position_once",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["status", "claim_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("events:registration", args=[self.token])

    @property
    def holds_seats(self) -> bool:
        return self.status in HOLDING

    @property
    def is_over(self) -> bool:
        return self.status in ENDED

    def status_badge(self) -> str:
        """The badge modifier for this status."""
        return {
            RegistrationStatus.CONFIRMED: "badge--ok",
            RegistrationStatus.WAITLISTED: "badge--warn",
            RegistrationStatus.OFFERED: "badge--warn",
            RegistrationStatus.PENDING: "badge--warn",
            RegistrationStatus.UNCONFIRMED: "badge--warn",
        }.get(self.status, "badge--danger")  # type: ignore[call-overload]


class Attendee(models.Model):
    """A person who takes one seat and carries one ticket."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendees"
    )
    # Denormalised from the registration so that "one active ticket per person" is a constraint.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_tickets",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    code = models.CharField(_("ticket code"), max_length=16, unique=True, default=new_code)
    # False once the person or their registration is out (cancelled, declined, lapsed).
    active = models.BooleanField(default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(active=True),
                name="attendee_once_per_event",
            )
        ]
        indexes = [models.Index(fields=["event", "active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_code(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"


class ReminderKind(models.TextChoices):
    WEEK = "7d", _("7 days before")
    DAY = "1d", _("1 day before")


class Reminder(models.Model):
    """A reminder enqueued for one registration. The unique row makes sending idempotent."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=4, choices=ReminderKind.choices)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.kind}"


class CalendarFeed(models.Model):
    """The secret token of a person's own calendar feed of their registrations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


def attendee_kwargs(**values: Any) -> dict[str, Any]:
    """Attendee fields with the email normalised (the uniqueness constraint compares it)."""
    values["email"] = values["email"].strip().lower()
    return values

"""Registration, the waitlist, claims and check-in: every seat change under the event row's lock.

Each write here starts by locking the event row (``SELECT ... FOR UPDATE`` on PostgreSQL; on
SQLite the immediate transaction already serialises writers). Under that lock the seats taken
are counted and the waitlist walked (``setu.events.waitlist``), so two requests can never hand
out the same seat. Waitlist positions come from a counter on the locked event row: 1, 2, 3, ...
without gaps or duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setu.core import audit
from setu.core.bidi import strip_bidi_controls
from setu.core.i18n import one_full_stop
from setu.core.timefmt import current_reader_zone, dual_time
from setu.events import emails
from setu.events.models import (
    CODE_ALPHABET,
    HOLDING,
    Attendee,
    Event,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from setu.events.outbound import registration_told
from setu.events.waitlist import Entry, FreeSeats, newcomer_fits, promotable

if TYPE_CHECKING:
    from setu.accounts.models import User
    from setu.directory.models import Organisation

S = RegistrationStatus


@dataclass(frozen=True)
class Person:
    """Someone who takes a seat."""

    name: str
    email: str
    user: User | None = None


@dataclass(frozen=True)
class Registrant:
    """Who registers (and is written to): a signed-in user, or a guest."""

    name: str
    email: str
    user: User | None = None
    organisation: Organisation | None = None
    organisation_name: str = ""
    organisation_kind: str = ""
    country: str = ""
    language: str = "en"
    time_zone: str = "Asia/Tokyo"


# --- the lock and the seats ---------------------------------------------------------------


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout fires


@contextmanager
def _busy_means_try_again() -> Iterator[None]:
    """A lock wait that ran out becomes a ``ValidationError`` asking to try again."""
    try:
        yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise ValidationError(
            _("Too many people are registering right now; please try again."), code="busy"
        ) from error


def _locked_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends. Call inside ``transaction.atomic``.

    On PostgreSQL the transaction waits at most ``SETU_LOCK_TIMEOUT_MS`` for any lock from here
    on; when the wait runs out the caller gets a ``ValidationError`` asking to try again and the
    transaction is rolled back. (On SQLite the wait is the busy timeout, at ``BEGIN``.)
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET takes no parameters; the value is an integer from the settings.
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.SETU_LOCK_TIMEOUT_MS)}")
    with _busy_means_try_again():
        # FOR UPDATE OF the event row only; the owner is read along for the audit entries.
        return (
            Event.objects.select_related("owner").select_for_update(of=("self",)).get(pk=event_id)
        )


def _locked_pair(registration: Registration) -> tuple[Event, Registration]:
    """The event row, then the registration's, locked in that order (every writer takes them so,
    which keeps two writers from deadlocking), with the registration read afresh."""
    event = _locked_event(registration.event_id)
    with _busy_means_try_again():
        return event, Registration.objects.select_for_update().get(pk=registration.pk)


def free_seats(event: Event, categories: list[TicketCategory] | None = None) -> FreeSeats:
    """Seats free now, in total and per ticket category. Precondition: the event row is locked."""
    held = (
        Attendee.objects.filter(event=event, active=True, registration__status__in=HOLDING)
        .values("registration__category")
        .annotate(n=Count("id"))
    )
    held_by_category = {row["registration__category"]: row["n"] for row in held}
    total_held = sum(held_by_category.values())
    return FreeSeats(
        total=None if event.capacity is None else event.capacity - total_held,
        by_category={
            category.pk: None
            if category.capacity is None
            else category.capacity - held_by_category.get(category.pk, 0)
            for category in (
                categories if categories is not None else TicketCategory.objects.filter(event=event)
            )
        },
    )


def _queue(event: Event) -> list[Entry]:
    waiting = (
        Registration.objects.filter(event=event, status=S.WAITLISTED)
        .annotate(size=Count("attendees", filter=Q(attendees__active=True)))
        .order_by("waitlist_position", "id")
        .values_list("pk", "size", "category_id")
    )
    return [Entry(pk, size, category) for pk, size, category in waiting]


def _end(registration: Registration, status: str, now: datetime) -> None:
    """Close a registration: its people release their seats and may register again."""
    registration.status = status
    registration.cancelled_at = now
    registration.claim_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "claim_expires_at"])
    Attendee.objects.filter(registration=registration, active=True).update(
        active=False, cancelled_at=now
    )


def _expire_lapsed_offers(event: Event, now: datetime, *, eager: bool = False) -> int:
    """Offers whose claim time has passed lapse; their seats go back. Precondition: locked.

    Offers exist only at events with a claim window; elsewhere this is skipped unless
    ``eager`` (the cron command's sweep catches offers left from an earlier window).
    """
    if not (event.claim_hours or eager):
        return 0
    lapsed = list(
        Registration.objects.filter(event=event, status=S.OFFERED, claim_expires_at__lte=now)
    )
    for registration in lapsed:
        _end(registration, S.EXPIRED, now)
        audit.record(
            registration, "events.registration.offer_lapsed", actor=None, owner=event.owner
        )
        emails.notify(registration, "lapsed")
        registration_told("cancelled", registration, reason="offer_lapsed")
    return len(lapsed)


def _promote_waiting(event: Event, now: datetime) -> list[Registration]:
    """Give free seats to the waitlist, in order (see waitlist.py), and store the new counts.

    Every write that may free seats ends here. Precondition: the event row is locked.
    """
    if event.starts_at <= now:
        refresh_counts(event)
        return []
    ids = promotable(free_seats(event), _queue(event))
    promoted = list(Registration.objects.filter(pk__in=ids).order_by("waitlist_position"))
    for registration in promoted:
        if event.claim_hours:
            registration.status = S.OFFERED
            registration.offered_at = now
            registration.claim_expires_at = min(
                now + timedelta(hours=event.claim_hours), event.starts_at
            )
            kind = "offered"
        else:
            registration.status = S.CONFIRMED
            registration.confirmed_at = now
            kind = "promoted"
        registration.save(
            update_fields=["status", "offered_at", "claim_expires_at", "confirmed_at"]
        )
        audit.record(
            registration,
            "events.registration.promoted",
            actor=None,
            owner=event.owner,
            changes={"status": [S.WAITLISTED, registration.status]},
        )
        emails.notify(registration, kind)
        registration_told("promoted", registration)
    refresh_counts(event)
    return promoted


def _decide(
    event: Event, size: int, category_id: int | None, categories: list[TicketCategory] | None
) -> str:
    """Where a new or approved registration goes: "confirmed", or "waitlisted" at the end.

    It takes seats only if that jumps nobody already waiting. Raises ``ValidationError`` when
    the event is full and keeps no waitlist. Precondition: the event row is locked.
    """
    newcomer = Entry(0, size, category_id)  # 0: not a saved registration's id
    free = free_seats(event, categories)
    # Reading the line is needed only when the seats free now would fit the newcomer.
    if all(free.fits(size, category_id)) and newcomer_fits(free, _queue(event), newcomer):
        return S.CONFIRMED
    if event.waitlist_enabled:
        return S.WAITLISTED
    raise ValidationError(_("The event is full, and it keeps no waitlist."), code="full")


def _next_position(event: Event, people: int = 0) -> int:
    """The next waitlist position, from the counter on the locked event row: no gaps, no twins.

    ``people`` joining the line are added to the stored count of people waiting.
    """
    event.waitlist_counter += 1
    event.waiting_count += people
    Event.objects.filter(pk=event.pk).update(
        waitlist_counter=event.waitlist_counter, waiting_count=event.waiting_count
    )
    return event.waitlist_counter


def refresh_counts(event: Event) -> None:
    """Store the seats taken and people waiting on the event and its ticket categories.

    Precondition: the event row is locked (or nothing else writes, as in the demo loader).
    """
    rows = (
        Attendee.objects.filter(
            event=event, active=True, registration__status__in=[*HOLDING, S.WAITLISTED]
        )
        .values("registration__status", "registration__category")
        .annotate(people=Count("id"))
        .order_by()
    )
    taken = waiting = 0
    by_category: dict[int | None, int] = {}
    for row in rows:
        if row["registration__status"] == S.WAITLISTED:
            waiting += row["people"]
        else:
            taken += row["people"]
            category_id = row["registration__category"]
            by_category[category_id] = by_category.get(category_id, 0) + row["people"]
    if (event.seats_taken, event.waiting_count) != (taken, waiting):
        event.seats_taken, event.waiting_count = taken, waiting
        Event.objects.filter(pk=event.pk).update(seats_taken=taken, waiting_count=waiting)
    for category in TicketCategory.objects.filter(event=event):
        if category.seats_taken != by_category.get(category.pk, 0):
            category.seats_taken = by_category.get(category.pk, 0)
            category.save(update_fields=["seats_taken"])


def _place(event: Event, registration: Registration, now: datetime) -> None:
    """Confirm a saved (approved, or email-confirmed) registration, or put it in line."""
    size = Attendee.objects.filter(registration=registration, active=True).count()
    registration.status = _decide(event, size, registration.category_id, None)
    if registration.status == S.CONFIRMED:
        registration.confirmed_at = now
    else:
        registration.waitlist_position = _next_position(event)
    registration.save(update_fields=["status", "confirmed_at", "waitlist_position"])
    refresh_counts(event)
    emails.notify(registration, registration.status)


# --- checks -------------------------------------------------------------------------------


def _when(moment: datetime, event: Event) -> str:
    return dual_time(moment, event.venue_zone, current_reader_zone(), with_date=True)


def check_registration_open(event: Event, now: datetime | None = None) -> None:
    """Raise ``ValidationError`` when ``event`` does not take registrations at ``now``."""
    now = now or timezone.now()
    if event.visibility == "draft":
        raise ValidationError(_("This event is a draft: registration opens when it is published."))
    if event.starts_at <= now:
        raise ValidationError(_("This event has already started or taken place."), code="past")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            _("Registration opens on %(when)s.")
            % {"when": _when(event.registration_opens_at, event)},
            code="not_open",
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise ValidationError(
            _("Registration closed on %(when)s.")
            % {"when": _when(event.registration_closes_at, event)},
            code="closed",
        )


def _check_group_fits_at_all(event: Event, category: TicketCategory | None, size: int) -> None:
    """A group larger than the whole event (or its category) would block the waitlist forever."""
    limits = [event.capacity]
    if category is not None:
        limits.append(category.capacity)
    for limit in limits:
        if limit is not None and size > limit:
            raise ValidationError(
                ngettext(
                    "This event has %(limit)s seat for your ticket category; a group of "
                    "%(size)s cannot fit.",
                    "This event has %(limit)s seats for your ticket category; a group of "
                    "%(size)s cannot fit.",
                    limit,
                )
                % {"limit": limit, "size": size},
                code="too_big",
            )


def clean_answers(questions: Sequence[Question], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by question id, checked against each question; unknown ids are dropped.

    Raises ``ValidationError`` naming each question that is missing or wrong.
    """
    answers: dict[str, Any] = {}
    errors: list[str] = []
    for question in questions:
        key = str(question.pk)
        value = raw.get(key)
        label = question.display_label
        if question.kind == QuestionKind.MULTIPLE:
            values = [str(v) for v in (value or [])] if isinstance(value, list | tuple) else []
            if any(v not in question.choice_list for v in values):
                errors.append(_("“%(q)s”: choose from the list.") % {"q": label})
                continue
            value = values
            empty = not values
        elif question.kind == QuestionKind.YES_NO:
            value = value if isinstance(value, bool) else None
            empty = value is None
        else:
            value = str(value or "").strip()
            if question.kind == QuestionKind.SINGLE and value and value not in question.choice_list:
                errors.append(_("“%(q)s”: choose from the list.") % {"q": label})
                continue
            if len(value) > 2000:
                errors.append(_("“%(q)s”: at most 2,000 characters.") % {"q": label})
                continue
            empty = not value
        if empty:
            if question.required:
                errors.append(_("“%(q)s” needs an answer.") % {"q": label})
            continue
        answers[key] = value
    if errors:
        raise ValidationError(errors, code="answers")
    return answers


def _check_people(event: Event, people: Sequence[Person]) -> list[str]:
    if not people:
        raise ValidationError(_("Name at least one person who will attend."), code="nobody")
    if len(people) > event.max_group_size:
        raise ValidationError(
            ngettext(
                "One registration may bring at most %(n)s person.",
                "One registration may bring at most %(n)s people.",
                event.max_group_size,
            )
            % {"n": event.max_group_size},
            code="group_size",
        )
    emails_seen: list[str] = []
    for person in people:
        email = person.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("“%(email)s” is not a valid email address.") % {"email": person.email},
                code="email",
            ) from None
        if not person.name.strip():
            raise ValidationError(
                _("Give the name of the person with the address %(email)s.") % {"email": email},
                code="name",
            )
        if email in emails_seen:
            raise ValidationError(
                _("%(email)s is listed twice.") % {"email": email}, code="duplicate"
            )
        emails_seen.append(email)
    return emails_seen


# --- writes -------------------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *,
    event: Event,
    registrant: Registrant,
    people: Sequence[Person],
    category: TicketCategory | None = None,
    answers: Mapping[str, Any] | None = None,
    base_url: str = "",
    now: datetime | None = None,
) -> Registration:
    """Register ``people`` (one, or a group) for ``event``.

    A signed-in registrant is placed at once: confirmed, or waitlisted when full (or pending
    when the event needs approval). A guest's registration is ``unconfirmed`` and counts for
    nothing until the guest opens the emailed link (``registration_confirm_email``). Raises
    ``ValidationError`` with a message in the active language; nothing is saved then.
    """
    now = now or timezone.now()
    # What the event asks for is read before taking the lock, to keep the lock short.
    categories = list(TicketCategory.objects.filter(event_id=event.pk))
    questions = list(Question.objects.filter(event_id=event.pk))
    if categories and category is None:
        raise ValidationError({"category": _("Choose a ticket category.")})
    if category is not None and category.event_id != event.pk:
        raise ValidationError({"category": _("That ticket category is not one of this event's.")})
    clean = clean_answers(questions, answers or {})
    addresses = _check_people(event, people)
    # Colleagues who have an account see the registration under "My registrations" too.
    accounts = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(email__in=addresses, is_active=True)
    }

    event = _locked_event(event.pk)
    check_registration_open(event, now)
    _check_group_fits_at_all(event, category, len(people))
    if _expire_lapsed_offers(event, now):
        _promote_waiting(event, now)  # the lapsed seats go to those already waiting
    existing = list(
        Attendee.objects.filter(event=event, active=True, email__in=addresses).values_list(
            "email", "registration_id", "registration__status"
        )
    )
    # An earlier registration never confirmed by email holds nothing: a new one replaces it.
    stale = {rid for _email, rid, status in existing if status == S.UNCONFIRMED}
    if stale:
        Registration.objects.filter(pk__in=stale).delete()
    taken = sorted(email for email, _rid, status in existing if status != S.UNCONFIRMED)
    if taken:
        raise ValidationError(
            _("%(emails)s is already registered for this event.") % {"emails": ", ".join(taken)},
            code="already_registered",
        )

    user = registrant.user
    status: str = S.UNCONFIRMED
    position: int | None = None
    confirmed_at: datetime | None = None
    kind = "confirm_email"
    if user is not None and event.requires_approval:
        status, kind = S.PENDING, "received"
    elif user is not None:
        status = kind = _decide(event, len(people), category.pk if category else None, categories)
        if status == S.CONFIRMED:
            confirmed_at = now
            Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + len(people))
            if category is not None:
                TicketCategory.objects.filter(pk=category.pk).update(
                    seats_taken=F("seats_taken") + len(people)
                )
        else:
            position = _next_position(event, people=len(people))
    organisation = registrant.organisation
    registration = Registration.objects.create(
        event=event,
        category=category,
        status=status,
        waitlist_position=position,
        booked_by=user,
        name=registrant.name.strip(),
        email=registrant.email.strip().lower(),
        organisation=organisation,
        organisation_name=registrant.organisation_name.strip()
        or (str(organisation) if organisation else ""),
        organisation_kind=registrant.organisation_kind
        or (organisation.kind if organisation else ""),
        country=(registrant.country or (organisation.country if organisation else "")).upper()[:2],
        language=registrant.language,
        time_zone=registrant.time_zone,
        answers=clean,
        base_url=base_url,
        email_confirmed_at=now if user is not None else None,
        confirmed_at=confirmed_at,
    )
    # The checks above ran under the event lock, so the unique constraint cannot fire here.
    Attendee.objects.bulk_create(
        Attendee(
            registration=registration,
            event=event,
            user=person.user or accounts.get(address),
            name=strip_bidi_controls(person.name.strip()),  # bulk: no pre_save
            email=address,
        )
        for person, address in zip(people, addresses, strict=True)
    )
    emails.notify(registration, kind)
    audit.record(
        registration,
        "events.registration.created",
        actor=user,
        owner=event.owner,
        changes={"status": [None, registration.status], "people": [None, len(people)]},
    )
    if registration.status != S.UNCONFIRMED:  # a guest's counts once the email is confirmed
        registration_told("created", registration)
    return registration


@transaction.atomic
def registration_confirm_email(
    *, registration: Registration, now: datetime | None = None
) -> Registration:
    """A guest opened the emailed link: now the registration counts (placed, or pending)."""
    now = now or timezone.now()
    event, registration = _locked_pair(registration)
    if registration.status != S.UNCONFIRMED:
        return registration  # opening the link twice changes nothing
    if event.starts_at <= now:
        raise ValidationError(_("This event has already started or taken place."), code="past")
    if _expire_lapsed_offers(event, now):
        _promote_waiting(event, now)  # the lapsed seats go to those already waiting
    registration.email_confirmed_at = now
    if event.requires_approval:
        registration.status = S.PENDING
        registration.save(update_fields=["email_confirmed_at", "status"])
        emails.notify(registration, "received")
    else:
        registration.save(update_fields=["email_confirmed_at"])
        _place(event, registration, now)
    audit.record(
        registration,
        "events.registration.email_confirmed",
        actor=None,
        owner=event.owner,
        changes={"status": [S.UNCONFIRMED, registration.status]},
    )
    registration_told("created", registration)
    return registration


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: User | None, now: datetime | None = None
) -> list[Registration]:
    """Cancel a whole registration; freed seats go to the waitlist. Returns who was promoted."""
    now = now or timezone.now()
    event, registration = _locked_pair(registration)
    if registration.is_over or registration.status == S.UNCONFIRMED:
        raise ValidationError(_("This registration is already cancelled."), code="over")
    if event.ends_at <= now:
        raise ValidationError(_("This event is over; its registrations stay as they were."))
    before = registration.status
    _end(registration, S.CANCELLED, now)
    audit.record(
        registration,
        "events.registration.cancelled",
        actor=actor,
        owner=event.owner,
        changes={"status": [before, S.CANCELLED]},
    )
    emails.notify(registration, "cancelled")
    registration_told("cancelled", registration, reason="cancelled")
    _expire_lapsed_offers(event, now)
    return _promote_waiting(event, now)


@transaction.atomic
def attendee_cancel(
    *, attendee: Attendee, actor: User | None, now: datetime | None = None
) -> list[Registration]:
    """Take one person out of a group; the last one out cancels the registration."""
    now = now or timezone.now()
    event = _locked_event(attendee.event_id)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    registration = attendee.registration
    if not attendee.active:
        raise ValidationError(_("This person's place is already cancelled."), code="over")
    if Attendee.objects.filter(registration=registration, active=True).count() == 1:
        return registration_cancel(registration=registration, actor=actor, now=now)
    if event.ends_at <= now:
        raise ValidationError(_("This event is over; its registrations stay as they were."))
    attendee.active = False
    attendee.cancelled_at = now
    attendee.save(update_fields=["active", "cancelled_at"])
    audit.record(
        registration,
        "events.attendee.cancelled",
        actor=actor,
        owner=event.owner,
        changes={"attendee": [attendee.email, None]},
    )
    _expire_lapsed_offers(event, now)
    return _promote_waiting(event, now)


@transaction.atomic
def registration_claim(
    *, registration: Registration, actor: User | None, now: datetime | None = None
) -> Registration:
    """Take up an offered seat. A lapsed offer passes the seat on instead (status ``expired``)."""
    now = now or timezone.now()
    event, registration = _locked_pair(registration)
    if registration.status != S.OFFERED:
        raise ValidationError(_("There is no seat offer to claim on this registration."))
    if registration.claim_expires_at and registration.claim_expires_at <= now:
        _expire_lapsed_offers(event, now, eager=True)
        _promote_waiting(event, now)
        registration.refresh_from_db()
        return registration
    registration.status = S.CONFIRMED
    registration.confirmed_at = now
    registration.claim_expires_at = None
    registration.save(update_fields=["status", "confirmed_at", "claim_expires_at"])
    audit.record(
        registration,
        "events.registration.claimed",
        actor=actor,
        owner=event.owner,
        changes={"status": [S.OFFERED, S.CONFIRMED]},
    )
    emails.notify(registration, "confirmed")
    registration_told("promoted", registration, claimed=True)
    return registration


@transaction.atomic
def registration_approve(
    *, registration: Registration, actor: User, now: datetime | None = None
) -> Registration:
    """An organiser approves a pending registration: confirmed if seats allow, else waitlisted."""
    now = now or timezone.now()
    event, registration = _locked_pair(registration)
    if registration.status != S.PENDING:
        raise ValidationError(_("Only a registration awaiting approval can be approved."))
    if _expire_lapsed_offers(event, now):
        _promote_waiting(event, now)  # the lapsed seats go to those already waiting
    _place(event, registration, now)
    audit.record(
        registration,
        "events.registration.approved",
        actor=actor,
        owner=event.owner,
        changes={"status": [S.PENDING, registration.status]},
    )
    return registration


@transaction.atomic
def registration_decline(
    *, registration: Registration, actor: User, now: datetime | None = None
) -> list[Registration]:
    """An organiser declines a registration that is pending, waiting or offered a seat."""
    now = now or timezone.now()
    event, registration = _locked_pair(registration)
    if registration.status not in (S.PENDING, S.WAITLISTED, S.OFFERED):
        raise ValidationError(
            _("Only a registration that is pending, waiting or offered a seat can be declined.")
        )
    before = registration.status
    _end(registration, S.DECLINED, now)
    audit.record(
        registration,
        "events.registration.declined",
        actor=actor,
        owner=event.owner,
        changes={"status": [before, S.DECLINED]},
    )
    emails.notify(registration, "declined")
    registration_told("cancelled", registration, reason="declined")
    return _promote_waiting(event, now)


@transaction.atomic
def registration_promote(
    *, registration: Registration, actor: User, now: datetime | None = None
) -> Registration:
    """An organiser confirms a waiting registration by hand, out of order; never overbooks."""
    now = now or timezone.now()
    event, registration = _locked_pair(registration)
    if registration.status != S.WAITLISTED:
        raise ValidationError(_("Only a registration on the waitlist can be promoted."))
    if _expire_lapsed_offers(event, now):
        _promote_waiting(event, now)  # the lapsed seats go to those already waiting
    size = Attendee.objects.filter(registration=registration, active=True).count()
    total_ok, category_ok = free_seats(event).fits(size, registration.category_id)
    if not (total_ok and category_ok):
        raise ValidationError(
            ngettext(
                "Not enough free seats for this registration (%(size)s person). Raise the "
                "capacity or wait for a cancellation.",
                "Not enough free seats for this registration (%(size)s people). Raise the "
                "capacity or wait for a cancellation.",
                size,
            )
            % {"size": size}
        )
    registration.status = S.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["status", "confirmed_at"])
    refresh_counts(event)
    audit.record(
        registration,
        "events.registration.promoted_by_hand",
        actor=actor,
        owner=event.owner,
        changes={"status": [S.WAITLISTED, S.CONFIRMED]},
    )
    emails.notify(registration, "promoted")
    registration_told("promoted", registration)
    return registration


def offers_expire(*, now: datetime | None = None) -> int:
    """Lapse every overdue seat offer and pass the seats on; for cron. Returns offers lapsed."""
    now = now or timezone.now()
    event_ids = set(
        Registration.objects.filter(status=S.OFFERED, claim_expires_at__lte=now).values_list(
            "event_id", flat=True
        )
    )
    lapsed = 0
    for event_id in sorted(event_ids):
        with transaction.atomic():
            event = _locked_event(event_id)
            lapsed += _expire_lapsed_offers(event, now, eager=True)
            _promote_waiting(event, now)
    return lapsed


def seats_after_capacity_change(event: Event, now: datetime | None = None) -> list[Registration]:
    """After capacity grew, hand the new seats to the waitlist. Precondition: locked."""
    return _promote_waiting(event, now or timezone.now())


# --- check-in -----------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """A typed or scanned ticket code, made canonical: "k7qm3-xhdp2 " → "K7QM3XHDP2"."""
    text = raw.strip().upper().replace("-", "").replace(" ", "")
    text = text.translate(str.maketrans("OILU", "011V"))
    return text if text and all(ch in CODE_ALPHABET for ch in text) else ""


@dataclass(frozen=True)
class CheckIn:
    ok: bool
    message: str
    attendee: Attendee | None = None


@transaction.atomic
def attendee_check_in(
    *, event: Event, code: str, actor: User, now: datetime | None = None
) -> CheckIn:
    """Check in the ticket ``code`` at ``event``; refuses a second check-in and other events'."""
    now = now or timezone.now()
    canonical = normalise_code(code)
    attendee = (
        Attendee.objects.select_for_update(of=("self",))
        .select_related("registration", "event")
        .filter(code=canonical)
        .first()
        if canonical
        else None
    )
    if attendee is None:
        return CheckIn(False, _("No ticket has the code %(code)s.") % {"code": code.strip()[:20]})
    if attendee.event_id != event.pk:
        return CheckIn(
            False,
            one_full_stop(
                _("This ticket is for another event: %(event)s.") % {"event": attendee.event}
            ),
            attendee,
        )
    registration = attendee.registration
    if not attendee.active or registration.status != S.CONFIRMED:
        status = registration.get_status_display() if attendee.active else _("Cancelled")
        return CheckIn(
            False,
            _("%(name)s has no confirmed seat (%(status)s).")
            % {"name": attendee.name, "status": status},
            attendee,
        )
    if attendee.checked_in_at is not None:
        when = dual_time(attendee.checked_in_at, event.venue_zone, current_reader_zone())
        return CheckIn(
            False,
            _("%(name)s was already checked in at %(time)s.")
            % {"name": attendee.name, "time": when},
            attendee,
        )
    attendee.checked_in_at = now
    attendee.checked_in_by = actor
    attendee.save(update_fields=["checked_in_at", "checked_in_by"])
    audit.record(registration, "events.attendee.checked_in", actor=actor, owner=event.owner)
    welcome = one_full_stop(_("Welcome, %(name)s.") % {"name": attendee.name})
    return CheckIn(True, welcome, attendee)

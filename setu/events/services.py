"""Writes to events: details, hosts, agenda, ticket categories, questions, messages, feeds.

Registration and seats live in ``setu.events.registration``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setu.accounts.tasks import send_email
from setu.core import audit
from setu.directory.models import FocalSector, Organisation, OrganisationKind, Sector
from setu.events.hooks import event_saved
from setu.events.models import (
    HOLDING,
    Attendee,
    CalendarFeed,
    Event,
    EventOrganisation,
    EventVisibility,
    HostRole,
    Question,
    Registration,
    Session,
    TicketCategory,
    new_token,
)
from setu.events.outbound import event_published
from setu.events.registration import _locked_event, seats_after_capacity_change

if TYPE_CHECKING:
    from setu.accounts.models import User

AUDITED_FIELDS = [
    "kind", "title_en", "title_ja", "title_hi", "summary_en", "summary_ja", "summary_hi",
    "original_language", "visibility", "city_id", "venue", "online_url", "time_zone",
    "starts_at", "ends_at", "languages", "capacity", "registration_opens_at",
    "registration_closes_at", "requires_approval", "waitlist_enabled", "claim_hours",
    "max_group_size",
]  # fmt: skip


def _snapshot(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in AUDITED_FIELDS}


def _check(event: Event) -> None:
    """The rules a whole event must meet; raises ``ValidationError`` naming the field."""
    errors: dict[str, str] = {}
    if not (event.title_en or event.title_ja or event.title_hi):
        errors["title_en"] = _("Give the event a title in at least one language.")
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if event.city_id is None and not event.online_url:
        errors["city"] = _("Choose the city of the venue, or give an online link.")
    closes = event.registration_closes_at
    if closes and event.ends_at and closes > event.ends_at:
        errors["registration_closes_at"] = _("Registration must close before the event ends.")
    opens = event.registration_opens_at
    if opens and closes and opens >= closes:
        errors["registration_opens_at"] = _("Registration must open before it closes.")
    if event.max_group_size < 1:
        errors["max_group_size"] = _("A registration brings at least one person.")
    if errors:
        raise ValidationError(errors)


def _set_links(
    event: Event, co_hosts: Iterable[Organisation], partners: Iterable[Organisation]
) -> None:
    co_host_list = [org for org in co_hosts if org.pk != event.owner_id]
    for org in co_host_list:
        if org.kind != OrganisationKind.MEMBER_PREFECTURE:
            raise ValidationError({"co_hosts": _("Co-hosts must be member prefectures.")})
    partner_list = [org for org in partners if org.pk != event.owner_id and org not in co_host_list]
    EventOrganisation.objects.filter(event=event).delete()
    EventOrganisation.objects.bulk_create(
        [
            EventOrganisation(event=event, organisation=o, role=HostRole.CO_HOST)
            for o in co_host_list
        ]
        + [
            EventOrganisation(event=event, organisation=o, role=HostRole.PARTNER)
            for o in partner_list
        ]
    )


def _held(event: Event) -> dict[int | None, int]:
    rows = (
        Attendee.objects.filter(event=event, active=True, registration__status__in=HOLDING)
        .values("registration__category")
        .annotate(n=Count("id"))
    )
    return {row["registration__category"]: row["n"] for row in rows}


@transaction.atomic
def event_create(
    *,
    actor: User,
    owner: Organisation,
    fields: Mapping[str, Any],
    co_hosts: Sequence[Organisation] = (),
    partners: Sequence[Organisation] = (),
    sectors: Sequence[Sector] = (),
    focal_sectors: Sequence[FocalSector] = (),
) -> Event:
    """Create an event led by ``owner``, a member prefecture (a draft unless told otherwise)."""
    if owner.kind != OrganisationKind.MEMBER_PREFECTURE:
        raise ValidationError({"owner": _("The lead host must be a member prefecture.")})
    event = Event(owner=owner, created_by=actor, **fields)
    if event.city is not None:
        event.time_zone = event.city.timezone
    _check(event)
    event.save()
    _set_links(event, co_hosts, partners)
    event.sectors.set(sectors)
    event.focal_sectors.set(focal_sectors)
    audit.record(
        event,
        "events.event.created",
        actor=actor,
        changes=audit.field_changes({}, _snapshot(event)),
    )
    event_saved(event=event)  # clash notices (coordination) and whatever else listens
    if event.visibility != EventVisibility.DRAFT:
        event_published(event)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User,
    fields: Mapping[str, Any],
    co_hosts: Sequence[Organisation] | None = None,
    partners: Sequence[Organisation] = (),
    sectors: Sequence[Sector] = (),
    focal_sectors: Sequence[FocalSector] = (),
) -> Event:
    """Change an event. Capacity never drops below the seats already taken.

    ``co_hosts=None`` keeps the co-host list; a changed list needs ``events.manage_hosts``
    (the lead's officers, the secretariat): co-hosts edit the event but not who hosts it.
    """
    event = _locked_event(event.pk)
    before = _snapshot(event)
    current = list(
        Organisation.objects.filter(
            event_links__event=event, event_links__role=HostRole.CO_HOST
        ).order_by("pk")
    )
    before["co_hosts"] = [org.pk for org in current]
    if co_hosts is None:
        co_hosts = current
    elif {org.pk for org in co_hosts} - {event.owner_id} != set(
        before["co_hosts"]
    ) and not actor.has_perm("events.manage_hosts", event):
        raise ValidationError(
            {"co_hosts": _("Only the lead prefecture and the secretariat change the co-hosts.")}
        )
    for name, value in fields.items():
        setattr(event, name, value)
    if event.city is not None:
        event.time_zone = event.city.timezone
    _check(event)
    taken = sum(_held(event).values())
    if event.capacity is not None and event.capacity < taken:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(taken)s seat is already taken: the capacity cannot be lower. Cancel "
                    "or decline registrations first.",
                    "%(taken)s seats are already taken: the capacity cannot be lower. Cancel "
                    "or decline registrations first.",
                    taken,
                )
                % {"taken": taken}
            }
        )
    event.save()
    _set_links(event, co_hosts, partners)
    event.sectors.set(sectors)
    event.focal_sectors.set(focal_sectors)
    after = _snapshot(event)
    after["co_hosts"] = sorted(org.pk for org in co_hosts if org.pk != event.owner_id)
    changes = audit.field_changes(before, after)
    if changes:
        audit.record(event, "events.event.changed", actor=actor, changes=changes)
    event_saved(event=event)  # clash notices (coordination) and whatever else listens
    if before["visibility"] == EventVisibility.DRAFT != event.visibility:
        event_published(event)
    seats_after_capacity_change(event)
    return event


@transaction.atomic
def categories_save(
    *,
    event: Event,
    actor: User,
    rows: Sequence[Mapping[str, Any]],
    delete_ids: Sequence[int] = (),
) -> None:
    """Replace the ticket categories: ``rows`` hold id (or None), names, capacity, position."""
    event = _locked_event(event.pk)
    held = _held(event)
    existing = {c.pk: c for c in TicketCategory.objects.filter(event=event)}
    for pk in delete_ids:
        doomed = existing.get(pk)
        if doomed is None:
            continue
        try:
            with transaction.atomic():
                doomed.delete()
        except ProtectedError:
            raise ValidationError(
                _("“%(name)s” has registrations and cannot be removed.") % {"name": doomed}
            ) from None
    for row in rows:
        row_id = row.get("id")
        category = existing.get(row_id) if row_id else TicketCategory(event=event)
        if category is None:
            raise ValidationError(_("That ticket category is not one of this event's."))
        for name in ("name_en", "name_ja", "name_hi", "capacity", "position"):
            setattr(category, name, row.get(name, getattr(category, name)))
        taken = held.get(category.pk, 0) if category.pk else 0
        if category.capacity is not None and category.capacity < taken:
            raise ValidationError(
                ngettext(
                    "“%(name)s”: %(taken)s seat is already taken; the limit cannot be lower.",
                    "“%(name)s”: %(taken)s seats are already taken; the limit cannot be lower.",
                    taken,
                )
                % {"name": category.name_en, "taken": taken}
            )
        category.save()
    audit.record(event, "events.event.categories_changed", actor=actor)
    seats_after_capacity_change(event)


@transaction.atomic
def sessions_save(
    *, event: Event, actor: User, rows: Sequence[Mapping[str, Any]], delete_ids: Sequence[int] = ()
) -> None:
    """Replace agenda items: ``rows`` hold id (or None), times, titles, room and speakers."""
    existing = {s.pk: s for s in Session.objects.filter(event=event)}
    Session.objects.filter(event=event, pk__in=list(delete_ids)).delete()
    for row in rows:
        pk = row.get("id")
        session = existing.get(pk) if pk else Session(event=event)
        if session is None:
            raise ValidationError(_("That session is not one of this event's."))
        for name in (
            "starts_at",
            "ends_at",
            "title_en",
            "title_ja",
            "title_hi",
            "room",
            "speakers",
        ):
            setattr(session, name, row.get(name, getattr(session, name, "")))
        if session.ends_at <= session.starts_at:
            raise ValidationError(_("Each session must end after it starts."))
        session.save()
    audit.record(event, "events.event.agenda_changed", actor=actor)


@transaction.atomic
def questions_save(
    *, event: Event, actor: User, rows: Sequence[Mapping[str, Any]], delete_ids: Sequence[int] = ()
) -> None:
    """Replace registration questions. Answers already given stay with their registrations."""
    existing = {q.pk: q for q in Question.objects.filter(event=event)}
    Question.objects.filter(event=event, pk__in=list(delete_ids)).delete()
    for row in rows:
        pk = row.get("id")
        question = existing.get(pk) if pk else Question(event=event)
        if question is None:
            raise ValidationError(_("That question is not one of this event's."))
        for name in ("kind", "label_en", "label_ja", "label_hi", "choices", "required", "position"):
            setattr(question, name, row.get(name, getattr(question, name, "")))
        if not (question.label_en or question.label_ja or question.label_hi):
            raise ValidationError(_("Each question needs its text in at least one language."))
        if question.kind in ("single", "multiple") and len(question.choice_list) < 2:
            raise ValidationError(
                _("“%(q)s”: a choice question needs at least two choices, one per line.")
                % {"q": question.display_label}
            )
        question.save()
    audit.record(event, "events.event.questions_changed", actor=actor)


def message_recipients(*, event: Event, statuses: Sequence[str]) -> list[str]:
    """Registrants' and attendees' addresses of registrations in ``statuses``, once each."""
    registrations = Registration.objects.filter(event=event, status__in=list(statuses))
    addresses = set(registrations.values_list("email", flat=True))
    addresses |= set(
        Attendee.objects.filter(registration__in=registrations, active=True).values_list(
            "email", flat=True
        )
    )
    return sorted(addresses)


@transaction.atomic
def event_message_send(
    *, event: Event, actor: User, subject: str, body: str, statuses: Sequence[str]
) -> int:
    """Email the registrants in ``statuses``, one task per address (the worker sends them)."""
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."))
    recipients = message_recipients(event=event, statuses=statuses)
    if not recipients:
        raise ValidationError(_("No registrant matches the statuses you chose."))
    for address in recipients:
        transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[address]))
    audit.record(
        event,
        "events.event.message_sent",
        actor=actor,
        changes={"subject": [None, subject], "recipients": [None, len(recipients)]},
    )
    return len(recipients)


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The user's personal feed token, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret for the personal feed: the old link stops working."""
    feed = calendar_feed_for(user=user)
    feed.token = new_token()
    feed.save(update_fields=["token"])
    audit.record(user, "events.feed.reset", actor=user)
    return feed

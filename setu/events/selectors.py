"""Reads: event lists, the event page, registrations, statistics. Every read starts visible."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from setu.core.access import get_visible_or_404
from setu.core.i18n import localized
from setu.core.principal import principal_for
from setu.core.visibility import organisation_readable
from setu.directory.models import City, FocalSector, Organisation, OrganisationKind, Sector
from setu.events.models import (
    ENDED,
    Attendee,
    Country,
    Event,
    EventOrganisation,
    HostRole,
    Registration,
    RegistrationStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


@dataclass
class SeatFigures:
    """An event's seats taken and people waiting (as stored on the event row by every seat
    change), and the reader's own live registration there, if any."""

    taken: int = 0
    waiting: int = 0
    my_status: str = ""
    my_token: str = ""

    def left(self, capacity: int | None) -> int | None:
        return None if capacity is None else max(0, capacity - self.taken)


def attach_seat_figures(events: list[Event], user: User | AnonymousUser) -> None:
    """Set ``event.figures`` (``SeatFigures``) on each event; one query for a signed-in reader's
    own registrations, none for an anonymous one."""
    figures = {
        event.pk: SeatFigures(taken=event.seats_taken, waiting=event.waiting_count)
        for event in events
    }
    for event in events:
        event.figures = figures[event.pk]  # type: ignore[attr-defined]
    user_id = principal_for(user).user_id
    if not events or user_id is None:
        return
    live = Registration.objects.filter(event_id__in=list(figures)).exclude(
        status__in=[*ENDED, RegistrationStatus.UNCONFIRMED]
    )
    columns = ("event_id", "status", "token")
    # A union of two narrow lookups, each on its own index (the reader's registrations, the
    # reader's tickets), instead of an OR that would scan busy events' registrations.
    mine = (
        live.filter(booked_by_id=user_id)
        .order_by()
        .values_list(*columns)
        .union(live.filter(attendees__user_id=user_id).order_by().values_list(*columns))
    )
    for event_id, status, token in mine:
        figures[event_id].my_status, figures[event_id].my_token = status, token


@dataclass(frozen=True)
class EventFilters:
    when: str = "upcoming"  # "upcoming" or "past"
    city: str = ""  # City.key
    kind: str = ""
    sector: str = ""  # "f:<focal key>" or "s:<ISIC code>"
    host: int | None = None  # a member prefecture's id
    language: str = ""
    q: str = ""


def event_list(
    *, user: User | AnonymousUser, filters: EventFilters | None = None, now: datetime | None = None
) -> QuerySet[Event]:
    """Events ``user`` may read, filtered, with their lead host, city and co-hosts.

    Counting it stays cheap (no annotations); call ``attach_seat_figures`` on a page of it.
    """
    filters = filters or EventFilters()
    now = now or timezone.now()
    events = (
        Event.objects.visible_to(user)
        .select_related("owner", "city")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=EventOrganisation.objects.filter(role=HostRole.CO_HOST).select_related(
                    "organisation"
                ),
                to_attr="co_host_links",
            )
        )
    )
    if filters.when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    elif filters.when == "upcoming":
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    if filters.city:
        events = events.filter(city__key=filters.city)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.sector.startswith("f:"):
        events = events.filter(focal_sectors__key=filters.sector[2:])
    elif filters.sector.startswith("s:"):
        code = filters.sector[2:]
        tagged = Event.sectors.through.objects.filter(event=OuterRef("pk")).filter(
            Q(sector__code=code) | Q(sector__parent__code=code)
        )
        events = events.filter(Exists(tagged))
    if filters.host:
        co_hosted = EventOrganisation.objects.filter(
            event=OuterRef("pk"), organisation_id=filters.host, role=HostRole.CO_HOST
        )
        events = events.filter(Q(owner_id=filters.host) | Q(Exists(co_hosted)))
    if filters.language:
        events = events.filter(languages__contains=filters.language)
    if filters.q:
        events = events.filter(
            Q(title_en__icontains=filters.q)
            | Q(title_ja__icontains=filters.q)
            | Q(title_hi__icontains=filters.q)
        )
    return events


def access_event(*, user: User | AnonymousUser, pk: Any) -> Event:
    """The event with ``pk`` if ``user`` may read it, else 404.

    The event carries ``user_co_hosts``: whether one of the user's prefectures co-hosts it,
    which the ``events.run_event`` rule reads instead of querying again.
    """
    officer_ids = principal_for(user).officer_org_ids
    co_hosting = EventOrganisation.objects.filter(
        event=OuterRef("pk"), role=HostRole.CO_HOST, organisation__in=officer_ids
    )
    events = (
        Event.objects.visible_to(user)
        .select_related("owner", "city")
        .annotate(user_co_hosts=Exists(co_hosting) if officer_ids else Value(False))
    )
    return get_visible_or_404(events, pk)


def event_page(*, user: User | AnonymousUser, pk: Any) -> Event:
    """The event page's record: everything it shows, in a fixed number of queries."""
    events = (
        Event.objects.visible_to(user)
        .select_related("owner", "city")
        .prefetch_related(
            Prefetch("links", queryset=EventOrganisation.objects.select_related("organisation")),
            "sessions",
            "categories",
        )
    )
    event = get_visible_or_404(events, pk)
    attach_seat_figures([event], user)
    return event


def sector_tags(event: Event) -> list[Choice]:
    """The event's focal sectors, then its ISIC sectors, in one query (for the event page)."""
    as_text = CharField()
    focal = (
        FocalSector.objects.filter(events=event)
        .order_by()
        .annotate(g=Value("focal"), k=F("key"), o=Cast("position", as_text))
        .values_list("g", "k", "o", "name_en", "name_ja", "name_hi")
    )
    sectors = (
        Sector.objects.filter(events=event)
        .order_by()
        .annotate(g=Value("sector"), k=F("code"), o=F("code"))
        .values_list("g", "k", "o", "name_en", "name_ja", "name_hi")
    )
    tags = [Choice(*row) for row in focal.union(sectors, all=True)]
    return sorted(tags, key=lambda tag: (tag.group != "focal", tag.order.zfill(6)))


@dataclass(frozen=True)
class Choice:
    """An option of the listing's filters (a city, a host prefecture, a focal sector)."""

    group: str
    key: str
    order: str
    name_en: str
    name_ja: str
    name_hi: str

    @property
    def display_name(self) -> str:
        return localized(self, "name")


CHOICES_SECONDS = 60


def filter_choices(*, user: User | AnonymousUser) -> dict[str, list[Choice]]:
    """The listing's filter options in one query: cities with events the reader may see, the
    member prefectures, the focal sectors.

    Cached for a minute per kind of reader (what they may see depends only on their
    organisations and roles): a new event's city may take that long to appear in the list.
    """
    principal = principal_for(user)
    key = "events:choices:" + ",".join(
        [*sorted(principal.roles), *map(str, sorted(principal.org_ids))]
    )
    cached: dict[str, list[Choice]] | None = cache.get(key)
    if cached is None:
        cached = _filter_choices(user)
        cache.set(key, cached, CHOICES_SECONDS)
    return cached


def _filter_choices(user: User | AnonymousUser) -> dict[str, list[Choice]]:
    names = ("name_en", "name_ja", "name_hi")

    def part(queryset: QuerySet[Any], group: str, key: Any, order: Any) -> QuerySet[Any]:
        return (
            queryset.order_by()
            .annotate(choice_group=Value(group), choice_key=key, choice_order=order)
            .values_list("choice_group", "choice_key", "choice_order", *names)
        )

    as_text = CharField()
    cities = part(
        City.objects.filter(pk__in=Event.objects.visible_to(user).values("city")),
        "city",
        F("key"),
        Concat("country", "name_en", output_field=as_text),
    )
    hosts = part(
        Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE),
        "host",
        Cast("pk", as_text),
        Coalesce("region_id", Value(""), output_field=as_text),
    )
    focal = part(FocalSector.objects.all(), "focal", F("key"), Cast("position", as_text))
    groups: dict[str, list[Choice]] = {"city": [], "host": [], "focal": []}
    for row in cities.union(hosts, focal, all=True):
        groups[row[0]].append(Choice(*row))
    for choices in groups.values():
        choices.sort(key=lambda choice: (choice.order.zfill(6), choice.name_en))
    return groups


def host_ids(event: Event) -> set[int]:
    """The lead and co-host prefectures' ids (from prefetched links when there are any)."""
    cache = getattr(event, "_host_ids", None)
    if cache is not None:
        return set(cache)
    if hasattr(event, "_prefetched_objects_cache") and "links" in event._prefetched_objects_cache:
        links = [link for link in event.links.all() if link.role == HostRole.CO_HOST]
        ids = {link.organisation_id for link in links}
    else:
        ids = set(
            EventOrganisation.objects.filter(event=event, role=HostRole.CO_HOST).values_list(
                "organisation_id", flat=True
            )
        )
    ids.add(event.owner_id)
    event._host_ids = frozenset(ids)  # type: ignore[attr-defined]
    return ids


def _linked(event: Event, role: str, user: User | AnonymousUser) -> list[Organisation]:
    """The event's co-hosts or partners that ``user`` may see: a private company named as a
    partner of a public event is not shown to the public."""
    return [
        link.organisation
        for link in event.links.all()
        if link.role == role and organisation_readable(user, link.organisation)
    ]


def co_hosts(event: Event, *, user: User | AnonymousUser) -> list[Organisation]:
    return _linked(event, HostRole.CO_HOST, user)


def partners(event: Event, *, user: User | AnonymousUser) -> list[Organisation]:
    return _linked(event, HostRole.PARTNER, user)


def events_managed_by(*, user: User | AnonymousUser) -> QuerySet[Event]:
    """Events whose organiser tools ``user`` may use: hosts' officers and the secretariat."""
    principal = principal_for(user)
    if principal.is_secretariat:
        return Event.objects.all()
    if not principal.officer_org_ids:
        return Event.objects.none()
    co_hosting = EventOrganisation.objects.filter(
        event=OuterRef("pk"), role=HostRole.CO_HOST, organisation__in=principal.officer_org_ids
    )
    return Event.objects.filter(Q(owner__in=principal.officer_org_ids) | Q(Exists(co_hosting)))


def lead_host_choices(*, user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Member prefectures ``user`` may name as an event's lead host."""
    principal = principal_for(user)
    prefectures = Organisation.objects.visible_to(user).filter(
        kind=OrganisationKind.MEMBER_PREFECTURE
    )
    if principal.is_secretariat:
        return prefectures
    return prefectures.filter(pk__in=principal.officer_org_ids)


# --- registrations ------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationFilters:
    status: str = ""
    category: int | None = None
    checked_in: str = ""  # "yes", "no" or ""
    q: str = ""


def registration_list(
    *, event: Event, filters: RegistrationFilters | None = None
) -> QuerySet[Registration]:
    """An event's registrations for its organisers. Call after checking ``events.run_event``."""
    filters = filters or RegistrationFilters()
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("category", "organisation")
        .prefetch_related("attendees")
        .order_by("created_at", "id")
    )
    if filters.status == RegistrationStatus.WAITLISTED:
        registrations = registrations.filter(status=filters.status).order_by("waitlist_position")
    elif filters.status:
        registrations = registrations.filter(status=filters.status)
    else:
        registrations = registrations.exclude(status=RegistrationStatus.UNCONFIRMED)
    if filters.category:
        registrations = registrations.filter(category_id=filters.category)
    if filters.checked_in in ("yes", "no"):
        checked = Attendee.objects.filter(
            registration=OuterRef("pk"), active=True, checked_in_at__isnull=False
        )
        registrations = registrations.filter(
            Exists(checked) if filters.checked_in == "yes" else ~Exists(checked)
        )
    if filters.q:
        registrations = registrations.filter(
            Q(name__icontains=filters.q)
            | Q(email__icontains=filters.q)
            | Q(organisation_name__icontains=filters.q)
            | Q(attendees__name__icontains=filters.q)
            | Q(attendees__email__icontains=filters.q)
        ).distinct()
    return registrations


def access_registration(*, token: str) -> Registration:
    """A registration by its secret token (the personal page's link), else 404."""
    registrations = Registration.objects.select_related("event", "event__city", "category")
    registration = registrations.filter(token=token).first() if token else None
    if registration is None or registration.status == RegistrationStatus.UNCONFIRMED:
        from django.http import Http404

        raise Http404
    return registration


def my_registrations(*, user: User) -> QuerySet[Registration]:
    """Registrations ``user`` made, or is an attendee of, newest events first."""
    return (
        Registration.objects.filter(Q(booked_by=user) | Q(attendees__user=user))
        .exclude(status=RegistrationStatus.UNCONFIRMED)
        .select_related("event", "event__city", "category")
        .distinct()
        .order_by("-event__starts_at", "-id")
    )


def waitlist_place(registration: Registration) -> int | None:
    """The registration's place in line now (1 = next), or None when it is not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        waitlist_position__lt=registration.waitlist_position,
    ).count()
    return ahead + 1


# --- counts and statistics ------------------------------------------------------------------


@dataclass
class Counts:
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    checked_in: int = 0


def event_counts(event: Event) -> Counts:
    """People (not registrations) confirmed, waiting, pending approval, and checked in."""
    rows = (
        Attendee.objects.filter(event=event, active=True)
        .values("registration__status")
        .annotate(n=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False)))
    )
    counts = Counts()
    for row in rows:
        status, n = row["registration__status"], row["n"]
        if status == RegistrationStatus.CONFIRMED:
            counts.confirmed += n
            counts.checked_in += row["checked"]
        elif status in (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED):
            counts.waitlisted += n
        elif status == RegistrationStatus.PENDING:
            counts.pending += n
    return counts


@dataclass
class StatRow:
    label: str
    registered: int = 0
    waitlisted: int = 0
    checked_in: int = 0
    no_shows: int = 0


@dataclass
class Statistics:
    by_kind: list[StatRow] = field(default_factory=list)
    by_country: list[StatRow] = field(default_factory=list)
    total: StatRow = field(default_factory=lambda: StatRow(label=""))
    event_over: bool = False


def event_statistics(*, event: Event, now: datetime | None = None) -> Statistics:
    """Registered, waitlisted, checked in and no-shows, by organisation kind and by country.

    Counted in people. No-shows are confirmed people not checked in, once the event has ended.
    """
    now = now or timezone.now()
    over = event.ends_at < now
    rows = (
        Attendee.objects.filter(event=event, active=True)
        .values("registration__organisation_kind", "registration__country", "registration__status")
        .annotate(n=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False)))
    )
    kinds = dict(OrganisationKind.choices)
    by_kind: dict[str, StatRow] = defaultdict(lambda: StatRow(label=""))
    by_country: dict[str, StatRow] = defaultdict(lambda: StatRow(label=""))
    total = StatRow(label="")
    for row in rows:
        kind = row["registration__organisation_kind"] or ""
        country = row["registration__country"] or ""
        for bucket in (by_kind[kind], by_country[country], total):
            status, n, checked = row["registration__status"], row["n"], row["checked"]
            if status == RegistrationStatus.CONFIRMED:
                bucket.registered += n
                bucket.checked_in += checked
                if over:
                    bucket.no_shows += n - checked
            elif status in (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED):
                bucket.waitlisted += n
    for key, row_ in by_kind.items():
        row_.label = str(kinds.get(key, "—")) if key else "—"
    countries = dict(Country.choices)
    for key, row_ in by_country.items():
        row_.label = str(countries.get(key, key)) if key else "—"
    return Statistics(
        by_kind=sorted(by_kind.values(), key=lambda r: (-r.registered, r.label)),
        by_country=sorted(by_country.values(), key=lambda r: (-r.registered, r.label)),
        total=total,
        event_over=over,
    )


# --- calendar ------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    events: list[Event] = field(default_factory=list)


def month_grid(
    *, user: User | AnonymousUser, month: date, filters: EventFilters
) -> list[list[Day]]:
    """Weeks (Monday first) of ``month``, each day with the events on it (venue's dates)."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    # A day's margin either side: venue zones run from UTC-12 to UTC+14.
    start = datetime.combine(first - timedelta(days=1), time.min, UTC)
    end = datetime.combine(last + timedelta(days=2), time.min, UTC)
    events = (
        event_list(user=user, filters=replace(filters, when="all"))
        .filter(starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at", "id")
    )
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        tz = event.venue_tz
        day = max(event.starts_at.astimezone(tz).date(), first)
        until = min((event.ends_at - timedelta(seconds=1)).astimezone(tz).date(), last)
        while day <= until:
            by_day[day].append(event)
            day += timedelta(days=1)
    return [
        [Day(day=d, in_month=d.month == month.month, events=by_day.get(d, [])) for d in week]
        for week in weeks
    ]

"""Reads for the marketplace: who may join, browsing and filtering, recommendations with their
reasons in words, a participant's requests, and the organisers' overview.

Each function reads a fixed number of queries, whatever the number of participants.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.algorithms import matching_score as scoring
from setu.core.principal import principal_for
from setu.directory.models import (
    Language,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    PartnershipLevel,
    PartnershipStatus,
    Sector,
)
from setu.events.models import ENDED, Event, Registration, RegistrationStatus
from setu.matchmaking.models import (
    ACTIVE_REQUEST_STATUSES,
    Matchmaking,
    MeetingRequest,
    Participant,
    RequestStatus,
    Side,
)
from setu.privacy.consent import without_withdrawn
from setu.privacy.models import Purpose

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


# --- joining --------------------------------------------------------------------------------


def has_confirmed_registration(*, user: User | AnonymousUser, event: Event) -> bool:
    """A confirmed registration the user booked, or holds an active ticket of."""
    if not user.is_authenticated:
        return False
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .filter(Q(booked_by=user) | Q(attendees__user=user, attendees__active=True))
        .exists()
    )


def _live_registrations(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event).exclude(
        status__in=[*ENDED, RegistrationStatus.UNCONFIRMED]
    )


def has_live_registration(*, organisation: Organisation, event: Event) -> bool:
    """Whether someone registered for the event for ``organisation`` (and has not cancelled)."""
    return _live_registrations(event).filter(organisation=organisation).exists()


def _active_organisation_ids(matchmaking: Matchmaking) -> QuerySet[Participant, Any]:
    return Participant.objects.filter(matchmaking=matchmaking, active=True).values(
        "organisation_id"
    )


def joinable_organisations(
    *, user: User | AnonymousUser, matchmaking: Matchmaking
) -> list[Organisation]:
    """The user's organisations not yet taking part, if the user may join at all."""
    org_ids = principal_for(user).org_ids
    if not org_ids or not has_confirmed_registration(user=user, event=matchmaking.event):
        return []
    return list(
        Organisation.objects.filter(pk__in=org_ids)
        .exclude(pk__in=_active_organisation_ids(matchmaking))
        .order_by("name_en", "id")
    )


def registered_organisations(*, matchmaking: Matchmaking) -> QuerySet[Organisation]:
    """Organisations registered for the event and not taking part: organisers may add them."""
    registered = _live_registrations(matchmaking.event).filter(organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(Exists(registered))
        .exclude(pk__in=_active_organisation_ids(matchmaking))
        .order_by("name_en", "id")
    )


# --- browsing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketFilters:
    sector: str = ""  # an ISIC code: a division, or a section for all its divisions
    country: str = ""
    kind: str = ""
    q: str = ""


def market_list(
    *, matchmaking: Matchmaking, filters: MarketFilters | None = None
) -> QuerySet[Participant]:
    """Active participants, filtered, with their organisation, region and sectors."""
    filters = filters or MarketFilters()
    participants = (
        Participant.objects.filter(matchmaking=matchmaking, active=True)
        .select_related("organisation", "organisation__region")
        .prefetch_related("sectors")
        .order_by("organisation__name_en", "id")
    )
    # a contact who withdrew consent for the matchmaking profile is no longer shown
    participants = without_withdrawn(participants, Purpose.MATCHMAKING, user_field="contact")
    if filters.sector:
        tagged = Participant.sectors.through.objects.filter(participant=OuterRef("pk")).filter(
            Q(sector__code=filters.sector) | Q(sector__parent__code=filters.sector)
        )
        participants = participants.filter(Exists(tagged))
    if filters.country:
        participants = participants.filter(organisation__country=filters.country)
    if filters.kind:
        participants = participants.filter(organisation__kind=filters.kind)
    # Every word must appear somewhere; Japanese has no spaces, so a word is a substring.
    for word in filters.q.split()[:8]:
        participants = participants.filter(
            Q(offers__icontains=word)
            | Q(needs__icontains=word)
            | Q(organisation__name_en__icontains=word)
            | Q(organisation__name_ja__icontains=word)
            | Q(organisation__name_hi__icontains=word)
        )
    return participants


@dataclass
class FilterOptions:
    sectors: list[Sector]
    countries: list[tuple[str, str]]
    kinds: list[tuple[str, str]]


COUNTRY_NAMES = {"JP": gettext_lazy("Japan"), "IN": gettext_lazy("India")}


def country_name(code: str) -> str:
    name = COUNTRY_NAMES.get(code)
    return str(name) if name else code


def filter_options(*, matchmaking: Matchmaking) -> FilterOptions:
    """The sectors and countries the active participants have, in two queries."""
    active = Participant.objects.filter(matchmaking=matchmaking, active=True)
    sectors = list(Sector.objects.filter(pk__in=active.values("sectors")).order_by("code"))
    countries = sorted(set(active.values_list("organisation__country", flat=True)))
    return FilterOptions(
        sectors=sectors,
        countries=[(code, country_name(code)) for code in countries],
        kinds=[(value, str(label)) for value, label in OrganisationKind.choices],
    )


def open_requests_with(participant: Participant | None) -> dict[int, MeetingRequest]:
    """The participant's open (pending or accepted) requests, by the other participant's id."""
    if participant is None:
        return {}
    rows = MeetingRequest.objects.filter(
        Q(requester=participant) | Q(recipient=participant), status__in=ACTIVE_REQUEST_STATUSES
    )
    return {r.recipient_id if r.requester_id == participant.pk else r.requester_id: r for r in rows}


def sent_count(participant: Participant) -> int:
    """Requests the participant has sent that count against the limit."""
    return MeetingRequest.objects.filter(
        requester=participant, status__in=ACTIVE_REQUEST_STATUSES
    ).count()


# --- recommendations ------------------------------------------------------------------------


def partnered_regions(*, user: User | AnonymousUser) -> dict[frozenset[str], tuple[str, ...]]:
    """Pairs of regions of different countries with a prefecture–state agreement in force,
    and its kinds, from the agreements the user may read. One query."""
    agreements = Partnership.objects.visible_to(user).filter(
        level=PartnershipLevel.PREFECTURE_STATE, status=PartnershipStatus.ACTIVE
    )
    rows = Partnership.parties.through.objects.filter(
        partnership__in=agreements, organisation__region__isnull=False
    ).values_list(
        "partnership_id", "partnership__kind", "organisation__region_id", "organisation__country"
    )
    parties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    kinds: dict[int, str] = {}
    for partnership_id, kind, region, country in rows:
        parties[partnership_id].append((region, country))
        kinds[partnership_id] = kind
    pairs: dict[frozenset[str], set[str]] = defaultdict(set)
    for partnership_id, regions in parties.items():
        for region_a, country_a in regions:
            for region_b, country_b in regions:
                if country_a < country_b:
                    pairs[frozenset({region_a, region_b})].add(kinds[partnership_id])
    return {pair: tuple(sorted(found)) for pair, found in pairs.items()}


def profile_of(participant: Participant) -> scoring.Profile:
    """The plain data the score reads (sectors from the prefetched ``sectors``)."""
    return scoring.Profile(
        id=participant.pk,
        side=participant.side,
        region=participant.organisation.region_id,
        sectors=frozenset(sector.code for sector in participant.sectors.all()),
        offers=participant.offers,
        needs=participant.needs,
        languages=frozenset(participant.language_codes),
    )


class ReasonLike(Protocol):
    """A reason of ``matching_score`` or of ``recommend``: its kind and what it is about."""

    @property
    def kind(self) -> str: ...

    @property
    def items(self) -> tuple[str, ...]: ...


AGREEMENT_WORDS = {
    PartnershipKind.SISTER_STATE.value: gettext_lazy("a sister-state agreement"),
    PartnershipKind.MOU.value: gettext_lazy("a memorandum of understanding"),
    PartnershipKind.BASIC_AGREEMENT.value: gettext_lazy("a basic agreement"),
    PartnershipKind.LETTER_OF_INTENT.value: gettext_lazy("a letter of intent"),
    PartnershipKind.FRIENDSHIP.value: gettext_lazy("a friendship agreement"),
}
AGREEMENT_ORDER = list(AGREEMENT_WORDS)


def _agreement(kinds: tuple[str, ...]) -> str:
    """The strongest kind of agreement, in words (a sister-state agreement before an MoU)."""
    best = min(kinds, key=lambda k: AGREEMENT_ORDER.index(k) if k in AGREEMENT_ORDER else 99)
    words = AGREEMENT_WORDS.get(best)
    return str(words) if words is not None else _("an agreement")


def language_names(codes: tuple[str, ...] | list[str]) -> str:
    labels = dict(Language.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def _words(items: tuple[str, ...]) -> str:
    return ", ".join(items)


def describe(
    reason: scoring.Reason | ReasonLike,
    *,
    me: Participant,
    other: Participant,
    sectors: dict[str, Sector],
) -> str:
    """One reason in words, in the active language, as the reader (``me``) sees it."""
    if reason.kind == scoring.SECTORS:
        names = [sectors[code].display_name if code in sectors else code for code in reason.items]
        return _("Both in %(sectors)s") % {"sectors": "; ".join(names)}
    if reason.kind == scoring.THEY_NEED:
        return _("They need what you offer: %(words)s") % {"words": _words(reason.items)}
    if reason.kind == scoring.YOU_NEED:
        return _("They offer what you need: %(words)s") % {"words": _words(reason.items)}
    if reason.kind == scoring.PARTNERSHIP:
        mine, theirs = me.organisation.region, other.organisation.region
        values = {
            "agreement": _agreement(reason.items),
            "mine": mine.display_name if mine else "",
            "theirs": theirs.display_name if theirs else "",
        }
        if me.side == Side.JP:
            return (
                _("Your prefecture (%(mine)s) and their state (%(theirs)s) have %(agreement)s")
                % values
            )
        if me.side == Side.IN:
            return (
                _("Your state (%(mine)s) and their prefecture (%(theirs)s) have %(agreement)s")
                % values
            )
        return _("%(mine)s and %(theirs)s have %(agreement)s") % values
    if reason.kind == scoring.LANGUAGE:
        return _("You both speak %(languages)s") % {"languages": language_names(reason.items)}
    return reason.kind


@dataclass(frozen=True)
class Quote:
    """A need and the offer that answers it, each quoted as written, with labels in the
    reader's language and the language each quote is written in (for ``lang=``)."""

    label: str
    need_label: str
    need: str
    need_language: str
    offer_label: str
    offer: str
    offer_language: str


@dataclass
class Recommendation:
    participant: Participant
    points: float | None
    reasons: list[str] = field(default_factory=list)
    request: MeetingRequest | None = None
    quotes: list[Quote] = field(default_factory=list)


def sector_index(participants: list[Participant]) -> dict[str, Sector]:
    """The participants' sectors by code (from their prefetched ``sectors``)."""
    return {sector.code: sector for p in participants for sector in p.sectors.all()}


def active_participants(matchmaking: Matchmaking) -> list[Participant]:
    """Everyone taking part, with organisation, region and sectors: two queries."""
    return list(
        Participant.objects.filter(matchmaking=matchmaking, active=True)
        .select_related("organisation", "organisation__region")
        .prefetch_related("sectors")
    )


def recommendations(
    *,
    matchmaking: Matchmaking,
    me: Participant,
    user: User | AnonymousUser,
    limit: int | None = None,
    requested: dict[int, MeetingRequest] | None = None,
    participants: list[Participant] | None = None,
) -> list[Recommendation]:
    """Participants ``me`` may meet, ranked by ``matching_score``, with the reasons in words
    and the open request with each, if any (``requested``: from ``open_requests_with``, when
    the caller has it already; ``participants``: the active ones with their sectors, likewise).
    Four queries, whatever the number of participants.
    """
    if participants is None:
        participants = active_participants(matchmaking)
    by_id = {participant.pk: participant for participant in participants}
    me = by_id.get(me.pk, me)
    matches = scoring.recommend(
        profile_of(me),
        [profile_of(p) for p in participants],
        rule=matchmaking.pair_rule,
        partnered=partnered_regions(user=user),
        limit=limit,
    )
    sectors = sector_index(participants)
    if requested is None:
        requested = open_requests_with(me)
    return [
        Recommendation(
            participant=by_id[match.other_id],
            points=match.points,
            reasons=[
                describe(reason, me=me, other=by_id[match.other_id], sectors=sectors)
                for reason in match.reasons
            ],
            request=requested.get(match.other_id),
        )
        for match in matches
    ]


def match_reasons(*, me: Participant, other: Participant, user: User | AnonymousUser) -> list[str]:
    """Why ``other`` fits ``me``, in words (for the profile page); both with sectors loaded."""
    match = scoring.score_pair(profile_of(me), profile_of(other), partnered_regions(user=user))
    sectors = sector_index([me, other])
    return [
        describe(reason, me=me, other=other, sectors=sectors)
        for reason in match.reasons
        if reason.kind != scoring.LANGUAGE or len(match.reasons) > 1
    ]


# --- a participant's requests ---------------------------------------------------------------


@dataclass
class MyRequests:
    received: list[MeetingRequest]
    sent: list[MeetingRequest]
    accepted: list[MeetingRequest]

    @property
    def waiting(self) -> int:
        return sum(1 for r in self.received if r.status == RequestStatus.PENDING)


def my_requests(*, participant: Participant) -> MyRequests:
    """Received (waiting for an answer first), sent, and accepted either way. One query."""
    rows = list(
        MeetingRequest.objects.filter(Q(requester=participant) | Q(recipient=participant))
        .select_related(
            "requester__organisation",
            "recipient__organisation",
        )
        .order_by("-created_at", "-id")
    )
    received = [r for r in rows if r.recipient_id == participant.pk]
    received.sort(key=lambda r: r.status != RequestStatus.PENDING)  # stable: newest first within
    return MyRequests(
        received=received,
        sent=[r for r in rows if r.requester_id == participant.pk],
        accepted=[r for r in rows if r.status == RequestStatus.ACCEPTED],
    )


# --- the organisers' overview ---------------------------------------------------------------


# Withdrawn requests do not count as sent or received.
COUNTED_STATUSES = [s for s in RequestStatus.values if s != RequestStatus.WITHDRAWN]


def _count(direction: str, **filters: Any) -> Coalesce:
    rows = (
        MeetingRequest.objects.filter(**{direction: OuterRef("pk")}, **filters)
        .order_by()
        .values(direction)
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def participant_overview(*, matchmaking: Matchmaking) -> QuerySet[Participant]:
    """Every participant (active first) with requests sent, received and accepted (either
    way); withdrawn requests are not counted."""
    return (
        Participant.objects.filter(matchmaking=matchmaking)
        .select_related("organisation", "contact")
        .annotate(
            sent_total=_count("requester", status__in=COUNTED_STATUSES),
            received_total=_count("recipient", status__in=COUNTED_STATUSES),
            accepted_sent=_count("requester", status=RequestStatus.ACCEPTED),
            accepted_received=_count("recipient", status=RequestStatus.ACCEPTED),
        )
        .order_by("-active", "organisation__name_en", "id")
    )

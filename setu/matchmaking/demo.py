"""Demo matchmaking: B2B meetings at the Bengaluru auto components networking event.

Two meeting blocks of 12 slots (the event's evening, and the next morning for those who stay),
8 tables, 24 participants from the demo companies of both sides, and about 60 requests in
every status. Five Indian companies exist only here; like every demo company they are
fictional and say so. The demo logins member@ and partner@ take part, so their pages show
requests to answer.

The organiser's first scheduler run is queued, so the worker leaves a draft to review.

Idempotent: found again by the event's title; organisations by name, participants by
organisation, requests by their pair; nothing is created twice.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Role, User
from setu.core.models import Visibility
from setu.directory.models import City, Organisation, OrganisationKind, Person, Sector
from setu.events.models import ENDED, Attendee, Event, Registration, RegistrationStatus
from setu.events.registration import refresh_counts
from setu.matchmaking.grid import DayHours
from setu.matchmaking.models import (
    ACTIVE_REQUEST_STATUSES,
    Interpreter,
    Matchmaking,
    MeetingRequest,
    Participant,
    RequestStatus,
    Slot,
)
from setu.matchmaking.services import setup as services
from setu.matchmaking.services.schedule import schedule_run_start

EVENT_TITLE = "Auto Components Networking Evening, Bengaluru"
FICTIONAL_NOTE = "Fictional organisation in Setu's demo data."
DEMO_LOGINS = {
    "Kofu Hydrogen Systems K.K.": "member@demo.setu.example",
    "Western India Clean Energy Chamber": "partner@demo.setu.example",
}

# Indian companies only this demo needs: (name, region, city key, ISIC divisions)
EXTRA_COMPANIES = [
    ("Mysuru Precision Castings Pvt Ltd", "IN-KA", "in-bengaluru", ["24", "29"]),
    ("Hosur EV Drivetrain Pvt Ltd", "IN-TN", "in-chennai", ["27", "29"]),
    ("Kaveri Agro Foods Pvt Ltd", "IN-KA", "in-bengaluru", ["10"]),
    ("Vadodara Green Hydrogen Pvt Ltd", "IN-GJ", "in-ahmedabad", ["35", "20"]),
    ("Pune Factory Automation Pvt Ltd", "IN-MH", "in-pune", ["28", "62"]),
]

# organisation → (offers, needs, languages)
PROFILES: dict[str, tuple[str, str, str]] = {
    "Kofu Hydrogen Systems K.K.": (
        "PEM electrolysers, hydrogen refuelling stations and fuel cell stacks. "
        "PEM形水電解装置、水素ステーション、燃料電池スタック。",
        "Distributors and EPC partners for electrolysers in India; solar park developers "
        "planning green hydrogen pilots.",
        "en,ja",
    ),
    "Fujikawa Precision Dies K.K.": (
        "Precision press dies and die casting moulds for brake and engine components. "
        "精密プレス金型、ダイカスト金型。",
        "Indian die casting and forging plants looking for tooling; a local repair partner.",
        "ja,en",
    ),
    "Enshu Auto Parts Co., Ltd.": (
        "Brake components, EV motor housings and aluminium die-cast parts for two-wheelers.",
        "Indian castings suppliers, EV drivetrain makers and a Gujarat assembly site.",
        "ja,en",
    ),
    "Suruga Green Tea Processing K.K.": (
        "Matcha and green tea extracts for beverages and food processing. 抹茶、緑茶エキス。",
        "Food and beverage makers, importers and distributors of tea.",
        "ja,en",
    ),
    "Tateyama Smart Grid Co., Ltd.": (
        "Smart meters, grid automation and battery storage control systems.",
        "Utilities, solar parks and smart city integrators needing grid automation.",
        "ja,en",
    ),
    "Etchu Aluminium Sash K.K.": (
        "Aluminium extrusions and sashes for buildings and EV battery enclosures.",
        "Construction companies, EV battery pack makers, aluminium recyclers.",
        "ja,en",
    ),
    "Daisen Foods K.K.": (
        "Freeze-dried vegetables and ready-to-eat Japanese food. フリーズドライ食品。",
        "Importers, food processing partners and cold chain logistics in India.",
        "ja",
    ),
    "Sendai Cloudworks Inc.": (
        "Cloud software for factory data: machine monitoring, predictive maintenance.",
        "Factory automation integrators, IT engineers for a Bengaluru development centre.",
        "en,ja",
    ),
    "Morioka Ironworks Co., Ltd.": (
        "Cast iron parts, machining of brake discs and pump housings.",
        "Machine tools, a castings partner in India, automotive component buyers.",
        "ja",
    ),
    "Kishu Citrus Foods K.K.": (
        "Citrus juice concentrates, yuzu and mikan products. ゆず、みかん加工品。",
        "Food processing partners, beverage makers and distributors in Maharashtra.",
        "ja,en",
    ),
    "San'in Institute of Technology": (
        "Joint research in materials and hydrogen, internships for engineering students.",
        "Indian universities and companies for joint research and internships.",
        "en,ja",
    ),
    "Namma Mobility Components Pvt Ltd": (
        "EV drivetrain assembly, wiring harnesses and brake components for two-wheelers.",
        "Brake components, motor housings and die casting technology from Japan.",
        "en,hi",
    ),
    "Sahyadri Smart Infra Pvt Ltd": (
        "Smart city integration, water and grid projects across Maharashtra.",
        "Smart meters, grid automation and battery storage systems.",
        "en,hi",
    ),
    "Sabarmati Solar Energy Ltd": (
        "Utility-scale solar parks, solar power purchase agreements and EPC.",
        "Electrolysers and hydrogen storage for a green hydrogen pilot at our solar park; "
        "grid automation.",
        "en,hi",
    ),
    "Coromandel Food Processors Pvt Ltd": (
        "Fruit pulp, juice concentrates, food processing and cold chain in Tamil Nadu.",
        "Freeze-dried food technology, matcha and tea extracts, Japanese food brands.",
        "en",
    ),
    "Deccan Data Systems Pvt Ltd": (
        "IT engineers, cloud software development and data platforms.",
        "Japanese software companies needing a development centre; factory data projects.",
        "en,hi",
    ),
    "Western India Clean Energy Chamber": (
        "Introductions to clean energy companies and state agencies in Maharashtra.",
        "Japanese hydrogen, fuel cell and electrolysers makers for our member companies.",
        "en,hi",
    ),
    "Uttar Pradesh Investment Facilitation Cell": (
        "Land, incentives and single-window clearance for investors in Uttar Pradesh.",
        "Japanese manufacturers of hydrogen and automotive components planning a plant.",
        "en,hi",
    ),
    "Bengaluru Institute of Applied Sciences": (
        "Research in EV batteries and materials; graduate engineers.",
        "Joint research partners and internships in Japan.",
        "en",
    ),
    "Mysuru Precision Castings Pvt Ltd": (
        "Aluminium die casting and machining for automotive components.",
        "Die casting moulds, press dies and brake components technology.",
        "en",
    ),
    "Hosur EV Drivetrain Pvt Ltd": (
        "EV motors and drivetrain assembly for two- and three-wheelers.",
        "Motor housings, aluminium die-cast parts, battery enclosures.",
        "en,hi",
    ),
    "Kaveri Agro Foods Pvt Ltd": (
        "Fruit and vegetable processing, cold chain and distribution in Karnataka.",
        "Freeze-dried food technology and citrus products.",
        "en",
    ),
    "Vadodara Green Hydrogen Pvt Ltd": (
        "Green hydrogen project development and offtake in Gujarat.",
        "PEM electrolysers, fuel cell stacks and hydrogen refuelling stations.",
        "en,hi",
    ),
    "Pune Factory Automation Pvt Ltd": (
        "Factory automation, robotics integration and machine monitoring.",
        "Cloud software for factory data and predictive maintenance; machine tools.",
        "en",
    ),
}

MESSAGES = [
    "We would like to discuss a pilot project with you.",
    "Could we meet to talk about supply for our new line?",
    "We are looking for a partner in your region and would value a meeting.",
    "",
    "Interested in a technology licence — 20 minutes would be great.",
    "御社の製品について詳しく伺いたく、面談をお願いいたします。",
]


def _organiser(event: Event) -> User | None:
    return (
        User.objects.filter(
            memberships__organisation_id=event.owner_id,
            memberships__role=Role.PREFECTURE_OFFICER,
        )
        .order_by("id")
        .first()
    )


def _days(event: Event) -> list[DayHours]:
    first: date = event.starts_at.astimezone(event.venue_tz).date()
    return [
        DayHours(first, time(18, 30), time(21, 30)),
        DayHours(first + timedelta(days=1), time(10, 0), time(13, 15), "11:30-11:45"),
    ]


def _settings(event: Event) -> dict[str, Any]:
    now = timezone.now().replace(second=0, microsecond=0)
    return {
        "slot_minutes": 15,
        "tables": 8,
        "table_names": "",
        "mode": "both",
        "online_url": "https://meet.example.org/setu-bengaluru-b2b",
        "requests_open_at": now - timedelta(days=7),
        "requests_close_at": event.starts_at - timedelta(days=2),
        "max_requests": 10,
        "pair_rule": "cross",
    }


def _matchmaking(event: Event) -> tuple[Matchmaking | None, int]:
    existing = Matchmaking.objects.filter(event=event).first()
    actor = _organiser(event)
    try:
        result = services.matchmaking_save(
            event=event,
            actor=actor,  # type: ignore[arg-type]  # None only when the demo users are missing
            fields=_settings(event),
            days=_days(event),
        )
    except ValidationError:
        return existing, 0  # a published schedule holds the slots where they are
    return result.matchmaking, int(result.created)


def _extra_companies(sectors: dict[str, Sector]) -> tuple[dict[str, Organisation], int]:
    cities = {city.key: city for city in City.objects.all()}
    found: dict[str, Organisation] = {}
    created = 0
    for name, region, city, codes in EXTRA_COMPANIES:
        org, new = Organisation.objects.update_or_create(
            name_en=name,
            kind=OrganisationKind.COMPANY,
            defaults={
                "country": region[:2],
                "region_id": region,
                "city": cities.get(city),
                "visibility": Visibility.PARTNERS,
                "description_en": FICTIONAL_NOTE,
                "original_language": "en",
                "capital_currency": "INR",
                "offers": PROFILES[name][0],
                "needs": PROFILES[name][1],
            },
        )
        if new:
            org.sectors.set([sectors[c] for c in codes if c in sectors])
        found[name] = org
        created += new
    return found, created


def _register(event: Event, organisation: Organisation) -> int:
    """A confirmed registration for the organisation, unless it has a live one already."""
    live = Registration.objects.filter(event=event, organisation=organisation).exclude(
        status__in=[*ENDED, RegistrationStatus.UNCONFIRMED]
    )
    login = DEMO_LOGINS.get(organisation.name_en)
    user = User.objects.filter(email=login).first() if login else None
    if live.exists():
        return 0
    person = Person.objects.filter(organisation=organisation).order_by("id").first()
    if user is not None:
        name, email = user.full_name or user.email, user.email
    elif person is not None and person.email:
        name, email = person.name_latin, person.email
    else:
        slug = "".join(c for c in organisation.name_en.lower() if c.isalnum())[:30]
        name, email = f"Delegate, {organisation.name_en}", f"b2b@{slug}.example"
    if Attendee.objects.filter(event=event, email=email, active=True).exists():
        return 0
    now = timezone.now()
    registration = Registration.objects.create(
        event=event,
        status=RegistrationStatus.CONFIRMED,
        booked_by=user,
        name=name,
        email=email,
        organisation=organisation,
        organisation_name=organisation.display_name,
        organisation_kind=organisation.kind,
        country=organisation.country,
        language=user.language if user else ("ja" if organisation.country == "JP" else "en"),
        time_zone=user.time_zone if user else event.venue_zone,
        email_confirmed_at=now,
        confirmed_at=now,
    )
    Attendee.objects.create(
        registration=registration, event=event, user=user, name=name, email=email
    )
    return 1


def _participant(matchmaking: Matchmaking, organisation: Organisation) -> tuple[Participant, int]:
    found = Participant.objects.filter(matchmaking=matchmaking, organisation=organisation).first()
    if found is not None:
        return found, 0
    offers, needs, languages = PROFILES[organisation.name_en]
    login = DEMO_LOGINS.get(organisation.name_en)
    participant = Participant.objects.create(
        matchmaking=matchmaking,
        organisation=organisation,
        contact=User.objects.filter(email=login).first() if login else None,
        side=services.side_for(organisation),
        offers=offers,
        needs=needs,
        languages=languages,
        needs_interpreter="en" not in languages.split(","),
    )
    participant.sectors.set(organisation.sectors.filter(level="division"))
    return participant, 1


def _away(participants: list[Participant], slots: list[Slot]) -> None:
    """Some participants miss the second morning's first block or the evening's start."""
    if len(slots) < 24:
        return
    morning, evening = slots[12:18], slots[0:3]
    for index, participant in enumerate(participants):
        if index % 7 == 3:
            participant.unavailable.set(morning)
        elif index % 9 == 5:
            participant.unavailable.set(evening)


STATUS_MIX = (
    [RequestStatus.ACCEPTED] * 28
    + [RequestStatus.PENDING] * 18
    + [RequestStatus.DECLINED] * 9
    + [RequestStatus.WITHDRAWN] * 5
)


def _requests(matchmaking: Matchmaking, participants: list[Participant]) -> int:
    """About 60 requests between the two sides, seeded, within each requester's limit."""
    if MeetingRequest.objects.filter(matchmaking=matchmaking).exists():
        return 0
    rng = random.Random(2026)  # noqa: S311  # demo data, not security
    japanese = [p for p in participants if p.side == "JP"]
    indian = [p for p in participants if p.side == "IN"]
    by_name = {p.organisation.name_en: p for p in participants}
    member = by_name.get("Kofu Hydrogen Systems K.K.")
    partner = by_name.get("Western India Clean Energy Chamber")
    pairs: list[tuple[Participant, Participant, str]] = []
    # The demo logins see a bit of everything.
    fixed = [
        ("Sabarmati Solar Energy Ltd", "Kofu Hydrogen Systems K.K.", RequestStatus.PENDING),
        ("Vadodara Green Hydrogen Pvt Ltd", "Kofu Hydrogen Systems K.K.", RequestStatus.PENDING),
        ("Kofu Hydrogen Systems K.K.", "Uttar Pradesh Investment Facilitation Cell", "accepted"),
        ("Kofu Hydrogen Systems K.K.", "Sahyadri Smart Infra Pvt Ltd", RequestStatus.PENDING),
        ("Western India Clean Energy Chamber", "Kofu Hydrogen Systems K.K.", "accepted"),
        ("Tateyama Smart Grid Co., Ltd.", "Western India Clean Energy Chamber", "pending"),
        ("Western India Clean Energy Chamber", "San'in Institute of Technology", "declined"),
    ]
    for from_name, to_name, fixed_status in fixed:
        if from_name in by_name and to_name in by_name:
            pairs.append((by_name[from_name], by_name[to_name], fixed_status))
    taken = {MeetingRequest.key_for(a.pk, b.pk) for a, b, _ in pairs}
    candidates = [(a, b) for a in japanese for b in indian if a not in (member,)]
    rng.shuffle(candidates)
    statuses = list(STATUS_MIX)
    rng.shuffle(statuses)
    sent: dict[int, int] = {}
    for a, b in candidates:
        if len(pairs) >= 60 or not statuses:
            break
        key = MeetingRequest.key_for(a.pk, b.pk)
        if key in taken or partner in (a, b):
            continue
        requester, recipient = (a, b) if rng.random() < 0.55 else (b, a)
        if sent.get(requester.pk, 0) >= matchmaking.max_requests - 2:
            continue
        sent[requester.pk] = sent.get(requester.pk, 0) + 1
        taken.add(key)
        pairs.append((requester, recipient, statuses.pop()))
    now = timezone.now()
    rows = []
    for index, (requester, recipient, status) in enumerate(pairs):
        rows.append(
            MeetingRequest(
                matchmaking=matchmaking,
                requester=requester,
                recipient=recipient,
                pair_key=MeetingRequest.key_for(requester.pk, recipient.pk),
                message=MESSAGES[index % len(MESSAGES)],
                priority=rng.choices([1, 2, 3], weights=[6, 3, 1])[0],
                status=status,
                answer="Happy to meet."
                if status == RequestStatus.ACCEPTED and index % 3 == 0
                else "",
                created_by=requester.contact,
                answered_at=now
                if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED)
                else None,
            )
        )
    # bulk_create skips save(), so pair_key is set above; open pairs are unique by construction.
    assert len({r.pair_key for r in rows if r.status in ACTIVE_REQUEST_STATUSES}) == len(
        [r for r in rows if r.status in ACTIVE_REQUEST_STATUSES]
    )
    MeetingRequest.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def load(by_key: dict[str, Organisation]) -> int:
    """Create the demo matchmaking (idempotent); returns the number of records created."""
    event = Event.objects.filter(title_en=EVENT_TITLE).first()
    if event is None:
        return 0
    matchmaking, created = _matchmaking(event)
    if matchmaking is None:
        return created
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    extra, new_orgs = _extra_companies(sectors)
    created += new_orgs
    organisations = [by_key[name] for name in PROFILES if name in by_key] + [
        extra[name] for name in PROFILES if name in extra and name not in by_key
    ]
    participants: list[Participant] = []
    new_participants: list[Participant] = []
    for organisation in organisations:
        created += _register(event, organisation)
        participant, new = _participant(matchmaking, organisation)
        participants.append(participant)
        if new:
            new_participants.append(participant)
    created += len(new_participants)
    refresh_counts(event)
    _away(new_participants, list(matchmaking.slots.order_by("index")))
    created += _requests(matchmaking, participants)
    created += _interpreters(matchmaking)
    created += _first_run(matchmaking, event)
    _embed(participants)
    return created


# Fictional interpreters: one Japanese–Hindi, one Japanese–English, away for the first slot.
DEMO_INTERPRETERS = (
    ("Aiko Demo (fictional interpreter)", "ja,hi"),
    ("Ravi Demo (fictional interpreter)", "ja,en"),
)


def _interpreters(matchmaking: Matchmaking) -> int:
    if Interpreter.objects.filter(matchmaking=matchmaking).exists():
        return 0
    first = matchmaking.slots.order_by("index").first()
    for name, languages in DEMO_INTERPRETERS:
        interpreter = Interpreter.objects.create(
            matchmaking=matchmaking, name=name, languages=languages
        )
        if first is not None:
            interpreter.unavailable.add(first)
    return len(DEMO_INTERPRETERS)


def _embed(participants: list[Participant]) -> None:
    """Queue the profiles' vectors for the recommendations: the worker (`make run` starts it)
    makes them a few seconds later; profiles with current vectors are skipped there."""
    for participant in participants:
        services.profile_embedding_queue(participant=participant)


def _first_run(matchmaking: Matchmaking, event: Event) -> int:
    """Queue the scheduler once, as the organiser would: the worker (`make run` starts it)
    turns the accepted requests into a draft for the organiser to review and publish."""
    organiser = _organiser(event)
    if organiser is None or matchmaking.runs.exists():
        return 0
    schedule_run_start(matchmaking=matchmaking, actor=organiser)
    return 1

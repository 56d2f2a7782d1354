"""A year of fictional results for the demo network, relative to the day the demo loads.

Three past events (Shizuoka's B2B day in Pune, Tottori's buyers' meet in Chennai, Toyama's
seminar in Bengaluru) with attendance, held B2B meetings and follow-ups; two past missions
(Shizuoka's to Gujarat and Maharashtra, Yamanashi's to Mumbai) with budget lines and meetings;
leads in every stage from them and by hand, deals (one an investment), MoUs, answered surveys,
event costs and monthly exchange rates. Every title says "(demo)"; the companies are the
directory demo's fictional ones. Idempotent: nothing is created twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Role, User
from setu.coordination.models import (
    ItineraryItem,
    ItineraryKind,
    Mission,
    MissionParticipant,
    MissionStatus,
)
from setu.coordination.services.budget import budget_line_save
from setu.core.models import ExchangeRate, Visibility
from setu.directory.models import City, Organisation, Partnership, PartnershipLevel
from setu.events.models import (
    Attendee,
    Event,
    EventKind,
    EventOrganisation,
    HostRole,
    Registration,
    RegistrationStatus,
)
from setu.matchmaking.models import (
    FollowUp,
    Matchmaking,
    Meeting,
    MeetingRequest,
    Outcome,
    Participant,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Side,
    Slot,
)
from setu.results import kpi_summary
from setu.results.models import (
    EventCost,
    Lead,
    LeadKind,
    MouLink,
    OriginKind,
    Stage,
    StageChange,
    Survey,
    SurveyInvitation,
    SurveyStatus,
)
from setu.results.services import deal_save, lead_create, lead_move
from setu.results.surveys import new_token

IST = ZoneInfo("Asia/Kolkata")
SOURCE = "Illustrative demo rate; replace it with the published reference rate."
# Monthly illustrative rates over the year: (base, quote, rate).
RATES = [("JPY", "INR", Decimal("0.5800")), ("USD", "JPY", Decimal("150.00"))]


@dataclass
class EventSpec:
    owner: str
    title_en: str
    title_ja: str
    kind: str
    city: str
    days_ago: int
    co_hosts: list[str]
    japanese: list[str]
    indian: list[str]
    meetings: list[tuple[str, str, int]]  # (Japanese, Indian, interest 0–2)
    costs: list[tuple[str, int]]


EVENTS = [
    EventSpec(
        "JP-22",
        "Pune Auto Components B2B Day (demo)",
        "プネー自動車部品商談会（デモ）",
        EventKind.NETWORKING,
        "in-pune",
        290,
        ["JP-19"],
        [
            "Enshu Auto Parts Co., Ltd.",
            "Fujikawa Precision Dies K.K.",
            "Kofu Hydrogen Systems K.K.",
        ],
        ["Namma Mobility Components Pvt Ltd", "Sahyadri Smart Infra Pvt Ltd"],
        [
            ("Enshu Auto Parts Co., Ltd.", "Namma Mobility Components Pvt Ltd", 2),
            ("Enshu Auto Parts Co., Ltd.", "Sahyadri Smart Infra Pvt Ltd", 1),
            ("Fujikawa Precision Dies K.K.", "Namma Mobility Components Pvt Ltd", 2),
            ("Kofu Hydrogen Systems K.K.", "Sahyadri Smart Infra Pvt Ltd", 0),
        ],
        [("Venue and catering, Pune", 900_000), ("Interpreters, one day", 240_000)],
    ),
    EventSpec(
        "JP-31",
        "Chennai Food Processing Buyers' Meet (demo)",
        "チェンナイ食品加工バイヤー商談会（デモ）",
        EventKind.NETWORKING,
        "in-chennai",
        180,
        ["JP-22"],
        ["Daisen Foods K.K.", "Suruga Green Tea Processing K.K."],
        ["Coromandel Food Processors Pvt Ltd"],
        [
            ("Daisen Foods K.K.", "Coromandel Food Processors Pvt Ltd", 2),
            ("Suruga Green Tea Processing K.K.", "Coromandel Food Processors Pvt Ltd", 1),
        ],
        [("Venue, Chennai", 650_000)],
    ),
    EventSpec(
        "JP-16",
        "Bengaluru Smart-Grid Investment Seminar (demo)",
        "ベンガルール・スマートグリッド投資セミナー（デモ）",
        EventKind.SEMINAR,
        "in-bengaluru",
        100,
        [],
        ["Tateyama Smart Grid Co., Ltd.", "Sendai Cloudworks Inc."],
        ["Deccan Data Systems Pvt Ltd", "Namma Mobility Components Pvt Ltd"],
        [
            ("Tateyama Smart Grid Co., Ltd.", "Deccan Data Systems Pvt Ltd", 2),
            ("Sendai Cloudworks Inc.", "Deccan Data Systems Pvt Ltd", 1),
        ],
        [
            ("Seminar hall and catering, Bengaluru", 1_100_000),
            ("Simultaneous interpretation", 420_000),
        ],
    ),
]


@dataclass
class MissionSpec:
    owner: str
    title_en: str
    title_ja: str
    days_ago: int
    length: int
    participants: list[str]
    budget: list[tuple[str, int, str]]
    visits: list[tuple[int, str, str, str]]  # (day, kind, Indian organisation, title)
    delegates: list[tuple[str, str, str]] = field(default_factory=list)  # (org, name, email)


MISSIONS = [
    MissionSpec(
        "JP-22",
        "Gujarat and Maharashtra auto and solar mission (demo)",
        "グジャラート・マハーラーシュトラ自動車・太陽光ミッション（デモ）",
        240,
        5,
        ["JP-19"],
        [
            ("Interpreters, five days", 520_000, "equal"),
            ("Seminar venue, Ahmedabad", 800_000, "equal"),
            ("Chartered bus", 300_000, "equal"),
        ],
        [
            (1, ItineraryKind.VISIT, "Sabarmati Solar Energy Ltd", "Visit: Sabarmati Solar Energy"),
            (3, ItineraryKind.B2B, "Namma Mobility Components Pvt Ltd", "B2B: Namma Mobility"),
            (4, ItineraryKind.SITE_VISIT, "Sahyadri Smart Infra Pvt Ltd", "Site visit: Sahyadri"),
        ],
        [
            ("Enshu Auto Parts Co., Ltd.", "Takeshi Suzuki (demo)", "t.suzuki@enshu-parts.example"),
            ("Suruga Green Tea Processing K.K.", "Aiko Mori (demo)", "mori@suruga-tea.example"),
        ],
    ),
    MissionSpec(
        "JP-19",
        "Hydrogen and clean-energy mission to Mumbai (demo)",
        "ムンバイ水素・クリーンエネルギー・ミッション（デモ）",
        130,
        4,
        ["JP-22", "JP-16"],
        [
            ("Interpreters, four days", 400_000, "equal"),
            ("Reception, Mumbai", 650_000, "equal"),
        ],
        [
            (1, ItineraryKind.VISIT, "Western India Clean Energy Chamber", "Visit: WICEC"),
            (2, ItineraryKind.B2B, "Sahyadri Smart Infra Pvt Ltd", "B2B: Sahyadri Smart Infra"),
        ],
        [
            (
                "Kofu Hydrogen Systems K.K.",
                "Hiroshi Mochizuki (demo)",
                "h.mochizuki@kofu-h2.example",
            ),
        ],
    ),
]


@dataclass
class LeadSpec:
    owner: str
    kind: str
    title: str
    company: str
    counterpart: str | None
    origin: tuple[str, str]  # ("event"|"meeting"|"mission"|"itinerary"|"manual", key)
    path: list[tuple[str, int]]  # (stage, days ago) after "identified"
    value: int | Decimal | None = None
    currency: str = "JPY"
    next_step: str = ""
    due_in: int | None = None
    visibility: str = Visibility.CONSORTIUM
    deal: dict[str, Any] | None = None
    note: str = ""
    back: tuple[str, str, int] | None = None  # a move back: (stage, reason, days ago)


PUNE, CHENNAI, BENGALURU = (spec.title_en for spec in EVENTS)
GUJARAT, MUMBAI = (spec.title_en for spec in MISSIONS)
ENSHU, FUJIKAWA, KOFU = (
    "Enshu Auto Parts Co., Ltd.",
    "Fujikawa Precision Dies K.K.",
    "Kofu Hydrogen Systems K.K.",
)
NAMMA, SAHYADRI = "Namma Mobility Components Pvt Ltd", "Sahyadri Smart Infra Pvt Ltd"

LEADS = [
    LeadSpec(
        "JP-22",
        LeadKind.TRADE,
        "Brake components for Namma Mobility (demo)",
        ENSHU,
        NAMMA,
        ("meeting", f"{ENSHU}|{NAMMA}"),
        [("meeting_held", 288), ("proposal", 260), ("negotiation", 230), ("won", 205)],
        value=45_000_000,
        next_step="Second order",
        due_in=40,
        deal={"value": Decimal("48000000"), "currency": "JPY", "days_ago": 205},
    ),
    LeadSpec(
        "JP-22",
        LeadKind.TRADE,
        "Die-cast housings for Sahyadri (demo)",
        ENSHU,
        SAHYADRI,
        ("meeting", f"{ENSHU}|{SAHYADRI}"),
        [("meeting_held", 288), ("proposal", 200), ("negotiation", 60)],
        value=25_000_000,
        next_step="Send the revised quotation",
        due_in=-6,
    ),
    LeadSpec(
        "JP-22",
        LeadKind.TRADE,
        "Green tea extract for Coromandel (demo)",
        "Suruga Green Tea Processing K.K.",
        "Coromandel Food Processors Pvt Ltd",
        ("event", CHENNAI),
        [("contacted", 170), ("proposal", 120)],
        value=6_500_000,
        currency="INR",
        next_step="Samples to Chennai",
        due_in=12,
    ),
    LeadSpec(
        "JP-22",
        LeadKind.INVESTMENT,
        "Namma Mobility plant in Hamamatsu (demo)",
        NAMMA,
        None,
        ("itinerary", f"{GUJARAT}|{NAMMA}"),
        [("meeting_held", 236), ("proposal", 190), ("negotiation", 120), ("won", 75)],
        value=1_000_000_000,
        next_step="Groundbreaking ceremony",
        due_in=30,
        note="Site: Hamamatsu Technopolis (fictional).",
        deal={
            "value": Decimal("1200000000"),
            "currency": "JPY",
            "days_ago": 75,
            "investment_amount": Decimal("1200000000"),
            "jobs_planned": 85,
            "site": "Hamamatsu Technopolis, lot 7 (fictional)",
        },
    ),
    LeadSpec(
        "JP-22",
        LeadKind.INVESTMENT,
        "Sabarmati Solar office in Shizuoka (demo)",
        "Sabarmati Solar Energy Ltd",
        None,
        ("itinerary", f"{GUJARAT}|Sabarmati Solar Energy Ltd"),
        [("contacted", 230)],
        value=150_000_000,
        next_step="Call about office space",
        due_in=-20,
    ),
    LeadSpec(
        "JP-22",
        LeadKind.TRADE,
        "Gear blanks for a Pune distributor (demo)",
        ENSHU,
        None,
        ("manual", ""),
        [("contacted", 300), ("proposal", 250), ("lost", 210)],
        value=8_000_000,
        note="Lost on price against a local supplier.",
    ),
    LeadSpec(
        "JP-22",
        LeadKind.TRADE,
        "Tea ceremony sets for Mumbai retail (demo)",
        "Suruga Green Tea Processing K.K.",
        None,
        ("manual", ""),
        [("contacted", 320), ("dormant", 200)],
        value=2_000_000,
        currency="INR",
    ),
    LeadSpec(
        "JP-19",
        LeadKind.TRADE,
        "Electrolyser stacks for WICEC members (demo)",
        KOFU,
        "Western India Clean Energy Chamber",
        ("itinerary", f"{MUMBAI}|Western India Clean Energy Chamber"),
        [("meeting_held", 128)],
        value=60_000_000,
        next_step="Technical workshop",
        due_in=-3,
    ),
    LeadSpec(
        "JP-19",
        LeadKind.TRADE,
        "Precision dies for Namma Mobility (demo)",
        FUJIKAWA,
        NAMMA,
        ("meeting", f"{FUJIKAWA}|{NAMMA}"),
        [("meeting_held", 287), ("proposal", 240), ("won", 150)],
        value=15_000_000,
        deal={"value": Decimal("18000000"), "currency": "JPY", "days_ago": 150},
    ),
    LeadSpec(
        "JP-19",
        LeadKind.TRADE,
        "Hydrogen refuelling kit for Sahyadri (demo)",
        KOFU,
        SAHYADRI,
        ("manual", ""),
        [],
        value=12_000_000,
        next_step="First call",
        due_in=7,
        visibility=Visibility.PRIVATE,
    ),
    LeadSpec(
        "JP-16",
        LeadKind.TRADE,
        "Smart-meter gateways for Deccan Data (demo)",
        "Tateyama Smart Grid Co., Ltd.",
        "Deccan Data Systems Pvt Ltd",
        ("event", BENGALURU),
        [("meeting_held", 99), ("proposal", 80), ("negotiation", 50), ("won", 20)],
        value=Decimal(300_000),
        currency="USD",
        deal={"value": Decimal("350000"), "currency": "USD", "days_ago": 20},
    ),
    LeadSpec(
        "JP-16",
        LeadKind.INVESTMENT,
        "Deccan Data development centre in Toyama (demo)",
        "Deccan Data Systems Pvt Ltd",
        None,
        ("event", BENGALURU),
        [("contacted", 95), ("proposal", 70), ("negotiation", 40)],
        value=300_000_000,
        next_step="Visit to Toyama",
        due_in=25,
        back=("proposal", "The company asked for a second site option (demo).", 30),
    ),
    LeadSpec(
        "JP-16",
        LeadKind.TRADE,
        "Grid analytics pilot with a Bengaluru institute (demo)",
        "Tateyama Smart Grid Co., Ltd.",
        "Bengaluru Institute of Applied Sciences",
        ("event", BENGALURU),
        [("contacted", 90)],
        next_step="Draft the pilot plan",
        due_in=-10,
    ),
    LeadSpec(
        "JP-31",
        LeadKind.TRADE,
        "Dried fruit snacks for Coromandel (demo)",
        "Daisen Foods K.K.",
        "Coromandel Food Processors Pvt Ltd",
        ("meeting", "Daisen Foods K.K.|Coromandel Food Processors Pvt Ltd"),
        [("meeting_held", 179), ("proposal", 150), ("won", 90)],
        value=8_000_000,
        currency="INR",
        deal={"value": Decimal("9000000"), "currency": "INR", "days_ago": 90},
    ),
    LeadSpec(
        "JP-30",
        LeadKind.TRADE,
        "Citrus concentrate for Chennai bottlers (demo)",
        "Kishu Citrus Foods K.K.",
        None,
        ("manual", ""),
        [("contacted", 60), ("proposal", 30)],
        value=4_000_000,
        currency="INR",
        next_step="Price list",
        due_in=14,
    ),
]


def _officer(org: Organisation) -> User | None:
    return User.objects.filter(
        memberships__organisation=org, memberships__role=Role.PREFECTURE_OFFICER
    ).first()


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0), IST)


@transaction.atomic
def load_results_demo(by_key: dict[str, Organisation]) -> int:
    """Create the demo results that are missing; return how many top-level records were new."""
    if Lead.objects.filter(title=LEADS[0].title).exists():
        return 0
    needed = {spec.owner for spec in EVENTS} | {"JP-19", "JP-22", "JP-16", "JP-31", "JP-30"}
    if not needed <= by_key.keys() or any(
        name not in by_key for spec in EVENTS for name in (*spec.japanese, *spec.indian)
    ):
        return 0
    created = _rates()
    events = {spec.title_en: _event(spec, by_key) for spec in EVENTS}
    missions = {spec.title_en: _mission(spec, by_key) for spec in MISSIONS}
    created += len(events) + len(missions)
    leads = [_lead(spec, by_key, events, missions) for spec in LEADS]
    created += len(leads)
    created += _mous(by_key, leads, missions)
    created += _surveys(events, missions)
    # The leads were dated with ``update`` (no signals): the KPI summary is counted afresh.
    kpi_summary.mark_all_stale()
    return created


def _rates() -> int:
    created = 0
    first = timezone.localdate().replace(day=1)
    for months_back in range(13):
        year, month = divmod(first.year * 12 + first.month - 1 - months_back, 12)
        valid_on = date(year, month + 1, 1)
        for base, quote, rate in RATES:
            drift = Decimal(1) + Decimal(months_back % 4 - 2) / Decimal(100)
            _rate, new = ExchangeRate.objects.get_or_create(
                base=base,
                quote=quote,
                valid_on=valid_on,
                defaults={"rate": (rate * drift).quantize(Decimal("0.0001")), "source": SOURCE},
            )
            created += new
    return created


# --- events, with attendance and held B2B meetings ---------------------------------------------


def _event(spec: EventSpec, by_key: dict[str, Organisation]) -> Event:
    starts = _at(spec.days_ago, 10)
    city = City.objects.get(key=spec.city)
    event = Event.objects.create(
        owner=by_key[spec.owner],
        kind=spec.kind,
        title_en=spec.title_en,
        title_ja=spec.title_ja,
        summary_en="A past event of the demo network, with its results.",
        city=city,
        time_zone="Asia/Kolkata",
        venue="Demo venue",
        starts_at=starts,
        ends_at=starts + timedelta(hours=7),
        capacity=80,
        requires_approval=False,
        visibility="consortium",
    )
    for code in spec.co_hosts:
        EventOrganisation.objects.create(
            event=event, organisation=by_key[code], role=HostRole.CO_HOST
        )
    for index, name in enumerate((*spec.japanese, *spec.indian)):
        organisation = by_key[name]
        registration = Registration.objects.create(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            name=f"Delegate {index + 1} (demo)",
            email=f"delegate{index + 1}.{event.pk}@demo.setu.example",
            organisation=organisation,
            organisation_name=organisation.name_en,
            country=organisation.country,
            language="ja" if organisation.country == "JP" else "en",
            confirmed_at=starts - timedelta(days=10),
        )
        Attendee.objects.create(
            registration=registration,
            event=event,
            name=registration.name,
            email=registration.email,
            checked_in_at=starts + timedelta(minutes=15 + index),
        )
    for title, amount in spec.costs:
        EventCost.objects.create(event=event, title=title, amount_jpy=amount)
    _b2b(event, spec, by_key)
    return event


def _b2b(event: Event, spec: EventSpec, by_key: dict[str, Organisation]) -> None:
    matchmaking = Matchmaking.objects.create(event=event, tables=6)
    participants = {
        name: Participant.objects.create(
            matchmaking=matchmaking,
            organisation=by_key[name],
            side=Side.JP if name in spec.japanese else Side.IN,
        )
        for name in (*spec.japanese, *spec.indian)
    }
    run = ScheduleRun.objects.create(
        matchmaking=matchmaking,
        status=RunStatus.PUBLISHED,
        progress=100,
        finished_at=event.starts_at - timedelta(days=3),
        published_at=event.starts_at - timedelta(days=3),
    )
    for index, (japanese, indian, interest) in enumerate(spec.meetings):
        start = event.starts_at + timedelta(hours=1, minutes=30 * index)
        slot = Slot.objects.create(
            matchmaking=matchmaking,
            index=index,
            starts_at=start,
            ends_at=start + timedelta(minutes=20),
        )
        request = MeetingRequest.objects.create(
            matchmaking=matchmaking,
            requester=participants[japanese],
            recipient=participants[indian],
            status=RequestStatus.ACCEPTED,
        )
        meeting = Meeting.objects.create(
            run=run, request=request, slot=slot, table=index % 6, outcome=Outcome.HELD
        )
        FollowUp.objects.create(
            meeting=meeting,
            participant=participants[japanese],
            interest=interest,
            next_step="Send a quotation" if interest else "",
        )
    ScheduleRun.objects.filter(pk=run.pk).update(
        requests_count=len(spec.meetings), placed=len(spec.meetings), upper_bound=len(spec.meetings)
    )


# --- missions, with budget lines and meetings ----------------------------------------------------


def _mission(spec: MissionSpec, by_key: dict[str, Organisation]) -> Mission:
    owner = by_key[spec.owner]
    first = timezone.localdate() - timedelta(days=spec.days_ago)
    mission = Mission.objects.create(
        owner=owner,
        title_en=spec.title_en,
        title_ja=spec.title_ja,
        summary_en="A past mission of the demo network, with its results.",
        starts_on=first,
        ends_on=first + timedelta(days=spec.length - 1),
        status=MissionStatus.COMPLETED,
        visibility=Visibility.CONSORTIUM,
    )
    for code in spec.participants:
        MissionParticipant.objects.create(mission=mission, organisation=by_key[code])
    actor = _officer(owner)
    if actor is not None:
        for title, amount, split in spec.budget:
            budget_line_save(
                mission=mission, actor=actor, title=title, amount_jpy=amount, split=split
            )
    for day, kind, name, title in spec.visits:
        start = datetime.combine(first + timedelta(days=day - 1), time(10, 0), IST)
        ItineraryItem.objects.create(
            mission=mission,
            kind=kind,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            title_en=f"{title} (demo)",
            organisation=by_key.get(name),
            held=True,
            outcome="Interested in a follow-up meeting.",
        )
    from setu.coordination.models import Delegate

    for name, person, email in spec.delegates:
        organisation = by_key[name]
        Delegate.objects.create(
            mission=mission,
            prefecture=organisation.managed_by or owner,
            organisation=organisation,
            name=person,
            email=email,
        )
    return mission


# --- leads, moved through their stages on past days ----------------------------------------------


def _origin(
    spec: LeadSpec,
    by_key: dict[str, Organisation],
    events: dict[str, Event],
    missions: dict[str, Mission],
) -> dict[str, Any]:
    kind, key = spec.origin
    if kind == "event":
        return {"origin_kind": OriginKind.EVENT, "origin_event": events[key]}
    if kind == "meeting":
        japanese, indian = key.split("|")
        meeting = Meeting.objects.filter(
            request__requester__organisation=by_key[japanese],
            request__recipient__organisation=by_key[indian],
            run__matchmaking__event__in=list(events.values()),
        ).first()
        assert meeting is not None
        return {"origin_kind": OriginKind.MEETING, "origin_meeting": meeting}
    if kind == "itinerary":
        title, name = key.split("|")
        item = ItineraryItem.objects.filter(
            mission=missions[title], organisation=by_key[name]
        ).first()
        return {
            "origin_kind": OriginKind.MISSION,
            "origin_mission": missions[title],
            "origin_itinerary_item": item,
        }
    return {"origin_kind": OriginKind.MANUAL}


def _lead(
    spec: LeadSpec,
    by_key: dict[str, Organisation],
    events: dict[str, Event],
    missions: dict[str, Mission],
) -> Lead:
    owner = by_key[spec.owner]
    actor = _officer(owner)
    started = spec.path[0][1] + 5 if spec.path else 20
    data: dict[str, Any] = {
        "kind": spec.kind,
        "title": spec.title,
        "company": by_key[spec.company],
        "counterpart": by_key[spec.counterpart] if spec.counterpart else None,
        "sector": by_key[spec.company].sectors.first(),
        "expected_value": Decimal(spec.value) if spec.value is not None else None,
        "currency": spec.currency,
        "probability": 30,
        "next_step": spec.next_step,
        "next_step_due": timezone.localdate() + timedelta(days=spec.due_in)
        if spec.due_in is not None
        else None,
        "notes": spec.note,
        "visibility": spec.visibility,
        **_origin(spec, by_key, events, missions),
    }
    lead = lead_create(actor=actor, owner=owner, data=data)
    _backdate(lead, started)
    path = list(spec.path)
    if spec.back is not None:
        stage, reason, days_ago = spec.back
        path.append((stage, days_ago))
    for index, (stage, days_ago) in enumerate(path):
        if stage == Stage.WON and spec.deal is not None:
            deal = dict(spec.deal)
            closed = timezone.localdate() - timedelta(days=deal.pop("days_ago"))
            deal_save(lead=lead, actor=actor, data={**deal, "closed_on": closed})
        else:
            reason = ""
            if spec.back is not None and index == len(path) - 1:
                reason = spec.back[1]
            lead_move(lead=lead, actor=actor, to_stage=stage, reason=reason)
        _backdate(lead, days_ago)
    if spec.back is not None:  # back on track after the setback
        lead_move(lead=lead, actor=actor, to_stage=spec.path[-1][0])
        _backdate(lead, max(spec.back[2] - 10, 1))
    return lead


def _backdate(lead: Lead, days_ago: int) -> None:
    """Put the lead's latest stage change (and its creation, the first time) on a past day."""
    at = _at(days_ago, 11)
    last = StageChange.objects.filter(lead=lead).order_by("-at", "-id").first()
    if last is not None:
        StageChange.objects.filter(pk=last.pk).update(at=at)
    Lead.objects.filter(pk=lead.pk).update(stage_changed_at=at, updated_at=at)
    if StageChange.objects.filter(lead=lead).count() == 1:
        Lead.objects.filter(pk=lead.pk).update(created_at=at)


# --- MoUs and surveys -----------------------------------------------------------------------------


def _mous(by_key: dict[str, Organisation], leads: list[Lead], missions: dict[str, Mission]) -> int:
    supply = Partnership.objects.create(
        owner=by_key["JP-22"],
        kind="mou",
        level=PartnershipLevel.COMPANY_COMPANY,
        title_en="Supply MoU: Enshu Auto Parts and Namma Mobility Components (demo)",
        title_ja="供給に関する覚書：遠州オートパーツとナンマ・モビリティ（デモ）",
        signed_on=timezone.localdate() - timedelta(days=215),
        scope="Brake components, three years (fictional).",
        verified=False,
        note="Fictional agreement in Setu's demo data.",
        visibility=Visibility.CONSORTIUM,
    )
    supply.parties.set([by_key[ENSHU], by_key[NAMMA]])
    MouLink.objects.create(partnership=supply, lead=leads[0])
    research = Partnership.objects.create(
        owner=by_key["JP-19"],
        kind="mou",
        level=PartnershipLevel.COMPANY_COMPANY,
        title_en="Hydrogen cooperation MoU: Kofu Hydrogen Systems and WICEC (demo)",
        title_ja="水素協力に関する覚書：甲府水素システムと西インド・クリーンエネルギー会議所（デモ）",
        signed_on=timezone.localdate() - timedelta(days=127),
        verified=False,
        note="Fictional agreement in Setu's demo data.",
        visibility=Visibility.CONSORTIUM,
    )
    research.parties.set([by_key[KOFU], by_key["Western India Clean Energy Chamber"]])
    MouLink.objects.create(partnership=research, mission=missions[MUMBAI])
    MouLink.objects.create(partnership=research, lead=leads[7])
    return 2


# (event or mission title, company, usefulness, meetings that led somewhere, business, value)
ANSWERS: list[tuple[str, str, int, int, str, int | None]] = [
    (PUNE, ENSHU, 5, 2, "", None),
    (PUNE, FUJIKAWA, 4, 1, "", None),
    (PUNE, KOFU, 2, 0, "", None),
    (PUNE, NAMMA, 5, 2, "", None),
    (CHENNAI, "Daisen Foods K.K.", 4, 1, "", None),
    (GUJARAT, ENSHU, 5, 1, "", None),
    (
        GUJARAT,
        "Suruga Green Tea Processing K.K.",
        3,
        0,
        "Samples of matcha for an Ahmedabad café chain",
        1_500_000,
    ),
]


def _surveys(events: dict[str, Event], missions: dict[str, Mission]) -> int:
    created = 0
    records: list[tuple[str, Event | None, Mission | None]] = [
        (PUNE, events[PUNE], None),
        (CHENNAI, events[CHENNAI], None),
        (GUJARAT, None, missions[GUJARAT]),
        (BENGALURU, events[BENGALURU], None),
    ]
    from setu.results.surveys import survey_answer

    for title, event, mission in records:
        record: Any = event or mission
        survey = Survey.objects.create(
            owner_id=record.owner_id, event=event, mission=mission, send_after_days=56
        )
        created += 1
        if title == BENGALURU:  # 100 days ago: sent, answers still coming in
            pass
        ended = (
            timezone.localdate(event.ends_at) if event is not None else mission.ends_on  # type: ignore[union-attr]
        )
        sent_at = datetime.combine(ended + timedelta(days=56), time(9, 0), IST)
        companies = _participant_ids(event, mission)
        for organisation_id, language in companies:
            SurveyInvitation.objects.create(
                survey=survey,
                organisation_id=organisation_id,
                email=f"survey.{organisation_id}@demo.setu.example",
                language=language,
                token=new_token(),
                sent_at=sent_at,
            )
        Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.SENT, sent_at=sent_at)
        for answer_title, company, usefulness, meetings, business, value in ANSWERS:
            if answer_title != title:
                continue
            invitation = SurveyInvitation.objects.filter(
                survey=survey, organisation__name_en=company
            ).first()
            if invitation is None:
                continue
            survey_answer(
                invitation=invitation,
                data={
                    "usefulness": usefulness,
                    "meetings_led_somewhere": meetings,
                    "expected_business": business,
                    "expected_value": Decimal(value) if value is not None else None,
                    "currency": "INR" if value is not None else "",
                },
            )
            SurveyInvitation.objects.filter(pk=invitation.pk).update(
                answered_at=sent_at + timedelta(days=4)
            )
    return created


def _participant_ids(event: Event | None, mission: Mission | None) -> list[tuple[int, str]]:
    rows: Any
    if event is not None:
        rows = Registration.objects.filter(event=event, organisation__kind="company").values_list(
            "organisation_id", "language"
        )
    else:
        from setu.coordination.models import Delegate

        rows = Delegate.objects.filter(mission=mission, organisation__kind="company").values_list(
            "organisation_id", "organisation__original_language"
        )
    return list(
        dict.fromkeys((pk, lang if lang in ("en", "ja", "hi") else "en") for pk, lang in rows)
    )

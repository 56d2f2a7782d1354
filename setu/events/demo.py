"""Demo events: a co-hosted investment seminar in Mumbai that filled up and has a waitlist, a
networking evening in Bengaluru that needs approval, a cultural festival in New Delhi, a webinar,
and a past delegation to Kofu with check-ins and one no-show. The events are illustrative; the
people registered are the directory demo's fictional contacts.

Idempotent: events are found again by their English title and lead host, and a person already
holding a place at an event is not registered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import User
from setu.core.timefmt import zone
from setu.directory.models import City, FocalSector, Organisation, Person, Sector
from setu.events.models import (
    Attendee,
    Event,
    EventOrganisation,
    HostRole,
    Question,
    Registration,
    RegistrationStatus,
    Session,
    TicketCategory,
)
from setu.events.registration import refresh_counts


@dataclass
class DemoEvent:
    key: str  # the lead host's region code
    title_en: str
    title_ja: str
    title_hi: str
    kind: str
    city: str | None
    days_from_today: int
    local_start: time
    hours: float
    capacity: int | None
    summary_en: str
    summary_ja: str = ""
    description_en: str = ""
    description_ja: str = ""
    original_language: str = "en"
    co_hosts: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    focal: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    languages: str = "en"
    visibility: str = "public"
    venue: str = ""
    online_url: str = ""
    time_zone: str = "Asia/Kolkata"
    requires_approval: bool = False
    claim_hours: int = 0
    categories: list[tuple[str, str, int | None]] = field(default_factory=list)
    sessions: list[tuple[str, str, str, float, float, str, str]] = field(default_factory=list)


EVENTS = [
    DemoEvent(
        key="JP-19",
        title_en="Hydrogen and Clean Energy Investment Seminar, Mumbai",
        title_ja="水素・クリーンエネルギー投資セミナー（ムンバイ）",
        title_hi="हाइड्रोजन और स्वच्छ ऊर्जा निवेश सेमिनार, मुंबई",
        kind="seminar",
        city="in-mumbai",
        days_from_today=24,
        local_start=time(10, 0),
        hours=6,
        capacity=12,
        summary_en="Yamanashi, Shizuoka and Toyama present their hydrogen and grid clusters to "
        "Indian investors and manufacturers, with Maharashtra's investment desk.",
        summary_ja="山梨・静岡・富山の3県が、水素と送配電の産業集積をインドの投資家・メーカーに"
        "紹介します。マハラシュトラ州投資窓口と共催。",
        description_en="A half-day seminar for Indian companies looking at green hydrogen, "
        "fuel cells and grid equipment made by regional Japanese SMEs, followed by B2B "
        "meetings. Interpretation English–Japanese. (Illustrative demo event.)",
        description_ja="グリーン水素、燃料電池、送配電機器に関心を持つインド企業向けの半日セミナーと"
        "個別商談会です。英日通訳付き。（デモ用の架空イベント）",
        original_language="ja",
        co_hosts=["JP-22", "JP-16"],
        partners=["IN-MH", "Western India Clean Energy Chamber"],
        focal=["renewable_energy"],
        sectors=["35", "28"],
        languages="en ja",
        venue="Hotel Trident, Nariman Point",
        claim_hours=48,
        categories=[
            ("Japanese company", "日本企業", 5),
            ("Indian company", "インド企業", 5),
            ("Government and agencies", "政府・関係機関", 2),
        ],
        sessions=[
            ("Opening remarks", "開会挨拶", "Ballroom", 0, 0.5, "Kenji Watanabe (Yamanashi)", ""),
            (
                "Yamanashi's hydrogen valley: power-to-gas in practice",
                "山梨の水素バレー：P2Gの実際",
                "Ballroom",
                0.5,
                1.5,
                "Hiroshi Mochizuki, Kofu Hydrogen Systems",
                "",
            ),
            (
                "Maharashtra's green hydrogen policy and incentives",
                "マハラシュトラ州のグリーン水素政策",
                "Ballroom",
                1.5,
                2.5,
                "Maharashtra investment desk",
                "",
            ),
            ("B2B meetings", "個別商談会", "Rooms 1–4", 3, 6, "", ""),
        ],
    ),
    DemoEvent(
        key="JP-22",
        title_en="Auto Components Networking Evening, Bengaluru",
        title_ja="自動車部品ネットワーキング・イブニング（ベンガルール）",
        title_hi="ऑटो कंपोनेंट्स नेटवर्किंग शाम, बेंगलुरु",
        kind="networking",
        city="in-bengaluru",
        days_from_today=38,
        local_start=time(18, 30),
        hours=3,
        capacity=60,
        summary_en="Shizuoka's parts makers meet Karnataka's mobility companies over dinner.",
        summary_ja="静岡の部品メーカーとカルナータカのモビリティ企業の交流会（夕食付き）。",
        focal=["automotive_components"],
        sectors=["29"],
        partners=["IN-KA", "Namma Mobility Components Pvt Ltd"],
        languages="en ja",
        visibility="partners",
        venue="ITC Gardenia, Residency Road",
        requires_approval=True,
    ),
    DemoEvent(
        key="JP-31",
        title_en="Japan Festival New Delhi",
        title_ja="ジャパン・フェスティバル・ニューデリー",
        title_hi="जापान महोत्सव नई दिल्ली",
        kind="festival",
        city="in-new-delhi",
        days_from_today=52,
        local_start=time(11, 0),
        hours=8,
        capacity=400,
        summary_en="Food, crafts, taiko and anime from Tottori and Miyagi; free entry with "
        "registration.",
        summary_ja="鳥取・宮城の食、工芸、和太鼓、アニメ。入場無料（要事前登録）。",
        co_hosts=["JP-04"],
        partners=["IN-DL"],
        languages="en hi ja",
        venue="Dilli Haat, INA",
        focal=["food_processing"],
        sessions=[
            ("Taiko performance", "和太鼓演奏", "Main stage", 1, 1.75, "Tottori Taiko Club", ""),
            ("Sake and green tea tasting", "日本酒・緑茶の試飲", "Pavilion B", 2, 4, "", ""),
        ],
    ),
    DemoEvent(
        key="JP-16",
        title_en="Webinar: Setting up a company in Japan's regions",
        title_ja="ウェビナー：日本の地方で会社を設立するには",
        title_hi="वेबिनार: जापान के क्षेत्रों में कंपनी स्थापित करना",
        kind="webinar",
        city=None,
        days_from_today=11,
        local_start=time(16, 0),
        hours=1.5,
        capacity=300,
        summary_en="Toyama's investment office on incorporation, visas, subsidies and finding "
        "staff, for Indian IT and engineering firms.",
        focal=["information_technology"],
        sectors=["62"],
        languages="en",
        online_url="https://meet.example.org/setu-toyama-webinar",
        time_zone="Asia/Tokyo",
    ),
    DemoEvent(
        key="JP-19",
        title_en="Smart City Business Delegation to Kofu",
        title_ja="スマートシティ・ビジネス訪問団（甲府）",
        title_hi="स्मार्ट सिटी व्यापार प्रतिनिधिमंडल, कोफू",
        kind="delegation",
        city="jp-kofu",
        days_from_today=-20,
        local_start=time(9, 30),
        hours=7,
        capacity=15,
        summary_en="Indian smart-city companies visit Kofu's grid and water utilities.",
        summary_ja="インドのスマートシティ関連企業が甲府の電力・水道インフラを視察。",
        partners=["Sahyadri Smart Infra Pvt Ltd"],
        focal=["smart_cities"],
        languages="en ja",
        venue="Yamanashi Prefectural Government, Kofu",
        visibility="consortium",
        time_zone="Asia/Tokyo",
    ),
]

# (event title, directory person email or demo login, status, category index, checked in)
REGISTRATIONS: list[tuple[str, str, str, int | None, bool]] = [
    (EVENTS[0].title_en, "h.mochizuki@kofu-h2.example", "confirmed", 0, False),
    (EVENTS[0].title_en, "t.suzuki@enshu-parts.example", "confirmed", 0, False),
    (EVENTS[0].title_en, "hayashi@tateyama-grid.example", "confirmed", 0, False),
    (EVENTS[0].title_en, "fukasawa@fujikawa-dies.example", "confirmed", 0, False),
    (EVENTS[0].title_en, "sato@sendai-cloud.example", "confirmed", 0, False),
    (EVENTS[0].title_en, "kavita@sabarmati-solar.example", "confirmed", 1, False),
    (EVENTS[0].title_en, "rohan@sahyadri-infra.example", "confirmed", 1, False),
    (EVENTS[0].title_en, "ananya.rao@namma-mobility.example", "confirmed", 1, False),
    (EVENTS[0].title_en, "farah@deccan-data.example", "confirmed", 1, False),
    (EVENTS[0].title_en, "priya@wicec.example", "confirmed", 1, False),
    (EVENTS[0].title_en, "alok.mishra@upifc.example", "confirmed", 2, False),
    (EVENTS[0].title_en, "suresh@coromandel-foods.example", "waitlisted", 1, False),
    (EVENTS[0].title_en, "partner@demo.setu.example", "waitlisted", 1, False),
    (EVENTS[0].title_en, "chiba@morioka-iron.example", "waitlisted", 0, False),
    (EVENTS[1].title_en, "t.suzuki@enshu-parts.example", "confirmed", None, False),
    (EVENTS[1].title_en, "ananya.rao@namma-mobility.example", "confirmed", None, False),
    (EVENTS[1].title_en, "chiba@morioka-iron.example", "pending", None, False),
    (EVENTS[2].title_en, "yamane@daisen-foods.example", "confirmed", None, False),
    (EVENTS[2].title_en, "suresh@coromandel-foods.example", "confirmed", None, False),
    (EVENTS[2].title_en, "member@demo.setu.example", "confirmed", None, False),
    (EVENTS[3].title_en, "farah@deccan-data.example", "confirmed", None, False),
    (EVENTS[3].title_en, "partner@demo.setu.example", "confirmed", None, False),
    (EVENTS[4].title_en, "rohan@sahyadri-infra.example", "confirmed", None, True),
    (EVENTS[4].title_en, "kavita@sabarmati-solar.example", "confirmed", None, True),
    (EVENTS[4].title_en, "farah@deccan-data.example", "confirmed", None, True),
    (EVENTS[4].title_en, "alok.mishra@upifc.example", "confirmed", None, False),  # no-show
]


def _local(day: date, at: time, tz_name: str) -> datetime:
    return datetime.combine(day, at, zone(tz_name))


def _event(spec: DemoEvent, by_key: dict[str, Organisation], today: date) -> tuple[Event, bool]:
    city = City.objects.filter(key=spec.city).first() if spec.city else None
    tz_name = city.timezone if city else spec.time_zone
    starts = _local(today + timedelta(days=spec.days_from_today), spec.local_start, tz_name)
    event, created = Event.objects.update_or_create(
        title_en=spec.title_en,
        owner=by_key[spec.key],
        defaults={
            "kind": spec.kind,
            "title_ja": spec.title_ja,
            "title_hi": spec.title_hi,
            "summary_en": spec.summary_en,
            "summary_ja": spec.summary_ja,
            "description_en": spec.description_en,
            "description_ja": spec.description_ja,
            "original_language": spec.original_language,
            "city": city,
            "venue": spec.venue,
            "online_url": spec.online_url,
            "time_zone": tz_name,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=spec.hours),
            "languages": spec.languages,
            "capacity": spec.capacity,
            "registration_closes_at": starts - timedelta(days=1),
            "requires_approval": spec.requires_approval,
            "claim_hours": spec.claim_hours,
            "visibility": spec.visibility,
        },
    )
    links = [(code, HostRole.CO_HOST) for code in spec.co_hosts] + [
        (name, HostRole.PARTNER) for name in spec.partners
    ]
    for name, role in links:
        if name in by_key:
            EventOrganisation.objects.update_or_create(
                event=event, organisation=by_key[name], defaults={"role": role}
            )
    event.focal_sectors.set(FocalSector.objects.filter(key__in=spec.focal))
    event.sectors.set(Sector.objects.filter(code__in=spec.sectors))
    if created:
        for position, (name_en, name_ja, capacity) in enumerate(spec.categories):
            TicketCategory.objects.create(
                event=event, name_en=name_en, name_ja=name_ja, capacity=capacity, position=position
            )
        for title_en, title_ja, room, start_h, end_h, speakers, _ in spec.sessions:
            Session.objects.create(
                event=event,
                title_en=title_en,
                title_ja=title_ja,
                room=room,
                speakers=speakers,
                starts_at=starts + timedelta(hours=start_h),
                ends_at=starts + timedelta(hours=end_h),
            )
        if spec.kind == "seminar":
            Question.objects.create(
                event=event,
                kind="single",
                label_en="Which topic interests you most?",
                label_ja="最も関心のあるテーマは？",
                choices="Green hydrogen\nFuel cells\nGrid equipment",
                required=True,
            )
            Question.objects.create(
                event=event,
                kind="yes_no",
                label_en="Do you need a visa invitation letter?",
                label_ja="ビザ招へい状が必要ですか？",
            )
    return event, created


def _who(email: str) -> tuple[str, Organisation | None, User | None]:
    user = User.objects.filter(email=email).first()
    person = Person.objects.select_related("organisation").filter(email=email).first()
    if person is not None:
        return person.name_latin, person.organisation, user
    organisation = None
    if user is not None:
        membership = user.memberships.select_related("organisation").first()
        organisation = membership.organisation if membership else None
    return (user.full_name if user else email), organisation, user


def _register(
    event: Event, email: str, status: str, category: TicketCategory | None, checked_in: bool
) -> bool:
    if Attendee.objects.filter(event=event, email=email, active=True).exists():
        return False
    name, organisation, user = _who(email)
    if organisation is None and user is None:
        return False  # a demo login not created (yet): the next load registers it
    now = timezone.now()
    position = None
    if status == RegistrationStatus.WAITLISTED:
        event.waitlist_counter += 1
        event.save(update_fields=["waitlist_counter"])
        position = event.waitlist_counter
    registration = Registration.objects.create(
        event=event,
        category=category,
        status=status,
        waitlist_position=position,
        booked_by=user,
        name=name,
        email=email,
        organisation=organisation,
        organisation_name=organisation.display_name if organisation else "",
        organisation_kind=organisation.kind if organisation else "",
        country=organisation.country if organisation else "",
        language=user.language if user else ("ja" if email.endswith("demo.setu.example") else "en"),
        time_zone=user.time_zone if user else event.venue_zone,
        email_confirmed_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
    )
    Attendee.objects.create(
        registration=registration,
        event=event,
        user=user,
        name=name,
        email=email,
        checked_in_at=event.starts_at + timedelta(minutes=12) if checked_in else None,
    )
    return True


@transaction.atomic
def load_events_demo(by_key: dict[str, Organisation]) -> int:
    """Create the demo events and registrations (idempotent); returns the records created."""
    today = timezone.localdate()
    created = 0
    events: dict[str, Event] = {}
    for spec in EVENTS:
        if spec.key not in by_key:
            continue
        event, new = _event(spec, by_key, today)
        events[spec.title_en] = event
        created += new
    for title, email, status, category_index, checked_in in REGISTRATIONS:
        registered = events.get(title)
        if registered is None:
            continue
        event = registered
        categories = list(TicketCategory.objects.filter(event=event))
        category = categories[category_index] if category_index is not None and categories else None
        created += _register(event, email, status, category, checked_in)
    for event in events.values():
        refresh_counts(event)
    return created

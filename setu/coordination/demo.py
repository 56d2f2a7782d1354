"""Coordination demo records: a working group with past and upcoming meetings, joint missions
with cost shares, a clash with another member's private plan, and a JPY→INR rate.

Dates are relative to the day of loading. Loading again changes nothing: each part is skipped
when its record (found by owner and English title) exists already.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Role, User
from setu.coordination.models import (
    ActionStatus,
    Delegate,
    Invitee,
    ItineraryKind,
    Meeting,
    MeetingSeries,
    Mission,
    MissionStatus,
    Rsvp,
)
from setu.coordination.services import actions, budget, clashes, meetings, minutes, missions
from setu.core.models import ExchangeRate, Visibility
from setu.directory.models import City, Organisation, OrganisationKind

JST = ZoneInfo("Asia/Tokyo")
IST = ZoneInfo("Asia/Kolkata")
SERIES_TITLE = "Working Group on Trade and Investment"
# An illustrative rate, in the form FBIL publishes (INR per 100 JPY, divided by 100).
DEMO_RATE = ("0.5800", "Illustrative demo rate in the form of the FBIL reference rate "
             "(INR per 100 JPY ÷ 100); replace it with the published rate.")  # fmt: skip


def _staff(org: Organisation | None, role: str = Role.PREFECTURE_OFFICER) -> User | None:
    if org is None:
        return None
    return User.objects.filter(memberships__organisation=org, memberships__role=role).first()


def _at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = JST) -> datetime:
    return datetime.combine(day, time(hour, minute), tz)


@transaction.atomic
def load_coordination_demo(by_key: dict[str, Organisation]) -> int:
    """Create the demo records that are missing; return how many top-level records were new.

    ``by_key`` maps member region codes ("JP-19") and demo organisation English names to
    organisations (``setu.directory.demo.load_directory_demo``).
    """
    created = 0
    valid_on = timezone.localdate().replace(day=1)
    _rate, new = ExchangeRate.objects.get_or_create(
        base="JPY",
        quote="INR",
        valid_on=valid_on,
        defaults={"rate": DEMO_RATE[0], "source": DEMO_RATE[1]},
    )
    created += new
    created += _working_group(by_key)
    created += _missions(by_key)
    clashes.clash_recompute_all()
    return created


# --- the working group ------------------------------------------------------------------------


def _working_group(by_key: dict[str, Organisation]) -> int:
    secretariat = by_key["secretariat"]
    if MeetingSeries.objects.filter(owner=secretariat, title_en=SERIES_TITLE).exists():
        return 0
    actor: Any = _staff(secretariat, Role.SECRETARIAT)
    members = list(
        Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE).order_by("name_en")
    )
    series = meetings.series_create(
        actor=actor,
        owner=secretariat,
        title_en=SERIES_TITLE,
        title_ja="貿易・投資作業部会",
        title_hi="व्यापार और निवेश कार्य समूह",
        description_en="Monthly online meeting of the member prefectures' international "
        "offices: missions, investment leads and the joint calendar.",
        description_ja="加盟県の国際担当者による月例オンライン会議。",
        cadence="monthly",
        time_zone="Asia/Tokyo",
        visibility=Visibility.CONSORTIUM,
    )
    today = timezone.localdate()
    yamanashi, shizuoka, toyama = by_key.get("JP-19"), by_key.get("JP-22"), by_key.get("JP-16")
    officer = _staff(yamanashi)
    first = _meeting(series, actor, members, today - timedelta(days=58), "first")
    _agenda(first, actor, minutes_texts=True)
    meetings.decision_add(
        meeting=first,
        actor=actor,
        text="The consortium will hold a joint renewable-energy seminar in Mumbai.",
    )
    actions.action_create(
        meeting=first,
        actor=actor,
        title="Draft the programme of the Mumbai seminar",
        owner=yamanashi or secretariat,
        owner_person=officer,
        due_on=today - timedelta(days=30),
    )
    done = actions.action_create(
        meeting=first,
        actor=actor,
        title="Share the list of Bengaluru IT parks with members",
        owner=toyama or secretariat,
        due_on=today - timedelta(days=40),
    )
    actions.action_set_status(action=done, actor=actor, status=ActionStatus.DONE)
    _answers(first)
    meetings.minutes_publish(meeting=first, actor=actor, visibility=Visibility.CONSORTIUM)
    meetings.meeting_close(meeting=first, actor=actor)

    second = _meeting(series, actor, members, today - timedelta(days=28), "second")
    _agenda(second, actor, minutes_texts=True)
    meetings.decision_add(
        meeting=second,
        actor=actor,
        text="Members share mission plans in Setu at least two months ahead.",
    )
    actions.action_create(
        meeting=second,
        actor=actor,
        title="Collect cost estimates for interpreters in Mumbai and Pune",
        owner=shizuoka or secretariat,
        due_on=today - timedelta(days=7),  # overdue: still open
    )
    actions.action_create(
        meeting=second,
        actor=actor,
        title="Propose dates for the governors' meeting",
        owner=secretariat,
        due_on=today + timedelta(days=10),
    )
    _answers(second)
    meetings.minutes_publish(meeting=second, actor=actor, visibility=Visibility.CONSORTIUM)
    meetings.meeting_close(meeting=second, actor=actor)

    upcoming = _meeting(series, actor, members, today + timedelta(days=12), "next")
    _agenda(upcoming, actor, minutes_texts=False)
    return 1


def _answers(meeting: Meeting) -> None:
    """Past meetings: every member answered, one could not attend."""
    invitees = list(meeting.invitees.order_by("id"))
    Invitee.objects.filter(pk__in=[i.pk for i in invitees[1:]]).update(
        rsvp=Rsvp.YES, responded_at=meeting.starts_at - timedelta(days=3)
    )
    Invitee.objects.filter(pk__in=[i.pk for i in invitees[:1]]).update(
        rsvp=Rsvp.NO, responded_at=meeting.starts_at - timedelta(days=2)
    )


def _meeting(
    series: MeetingSeries, actor: Any, members: list[Organisation], day: date, which: str
) -> Meeting:
    return meetings.meeting_create(
        actor=actor,
        owner=series.owner,
        series=series,
        title_en=f"{SERIES_TITLE} — {day:%B %Y}",
        title_ja=f"貿易・投資作業部会（{day.year}年{day.month}月）",
        title_hi="",
        starts_at=_at(day, 10),
        ends_at=_at(day, 11, 30),
        time_zone="Asia/Tokyo",
        city=None,
        place="",
        online_url="https://meet.example.org/setu-working-group",
        visibility=Visibility.CONSORTIUM,
        invite_organisations=members,
    )


AGENDA = [
    ("Round of member updates", "加盟県からの報告", 30, "Each member prefecture"),
    ("Joint missions and the shared calendar", "合同ミッションと共有カレンダー", 30, "Secretariat"),
    ("Investment seminar in Mumbai", "ムンバイ投資セミナー", 20, "Yamanashi Prefecture"),
]

MINUTES = [
    "Members reported on their India activities.\n\nYamanashi is preparing a hydrogen and "
    "renewable-energy mission to Maharashtra.",
    "Members reported on their India activities.\n\nYamanashi is preparing a hydrogen and "
    "renewable-energy mission to Maharashtra.\nShizuoka will join with two companies.\n"
    "Toyama plans a smart-city mission to Bengaluru.",
]


def _agenda(meeting: Meeting, actor: Any, *, minutes_texts: bool) -> None:
    for title_en, title_ja, duration, presenter in AGENDA:
        item = meetings.agenda_item_save(
            meeting=meeting,
            actor=actor,
            title_en=title_en,
            title_ja=title_ja,
            duration_minutes=duration,
            presenter_name=presenter,
        )
        if minutes_texts and title_en == AGENDA[0][0]:
            for base, text in enumerate(MINUTES):
                minutes.minutes_save(agenda_item=item, actor=actor, text=text, base_revision=base)
    last = meeting.agenda_items.order_by("position").last()
    if last is not None:
        meetings.attachment_add(
            item=last,
            actor=actor,
            title="Draft seminar programme",
            url="https://docs.example.org/setu/mumbai-seminar-draft",
        )


# --- missions ---------------------------------------------------------------------------------


def _missions(by_key: dict[str, Organisation]) -> int:
    created = 0
    cities = {city.key: city for city in City.objects.filter(key__in=CITY_KEYS)}
    if not {"in-mumbai", "in-pune", "in-bengaluru"} <= cities.keys():
        return 0
    today = timezone.localdate()
    for spec in MISSIONS:
        owner = by_key.get(str(spec["owner"]))
        if owner is None or Mission.objects.filter(owner=owner, title_en=spec["title_en"]).exists():
            continue
        created += 1
        _mission(spec, owner, by_key, cities, today)
    return created


CITY_KEYS = ["in-mumbai", "in-pune", "in-bengaluru"]

MISSIONS: list[dict[str, Any]] = [
    {
        "owner": "JP-19",
        "title_en": "Mumbai renewable-energy mission",
        "title_ja": "ムンバイ再生可能エネルギー・ミッション",
        "summary_en": "Hydrogen, solar and grid companies of Yamanashi and Shizuoka meet "
        "Maharashtra's energy chamber, developers and the state agency.",
        "summary_ja": "山梨県・静岡県の水素・太陽光・系統関連企業がマハーラーシュトラ州の"
        "エネルギー団体や開発事業者と面談します。",
        "days": (40, 45),
        "status": MissionStatus.CONFIRMED,
        "visibility": Visibility.CONSORTIUM,
        "participants": ["JP-22"],
        "destinations": [("in-mumbai", 40, 43), ("in-pune", 44, 45)],
        "targets": ["Western India Clean Energy Chamber", "Sahyadri Smart Infra Pvt Ltd"],
        "delegates": [
            ("JP-19", "JP-19", "Kenji Watanabe", "Director, International Affairs"),
            ("JP-19", "JP-19", "Mika Fukasawa", "Officer, Energy Policy"),
            ("JP-19", "Kofu Hydrogen Systems K.K.", "Hiroshi Mochizuki", "Director"),
            ("JP-22", "JP-22", "Yumi Suzuki", "Officer, India Desk"),
            ("JP-22", "Enshu Auto Parts Co., Ltd.", "Takeshi Suzuki", "Manager, India Desk"),
        ],
        "budget": [
            ("Interpreters (English–Japanese), 5 days", 450_000, "headcount"),
            ("Seminar venue and catering, Mumbai", 1_200_000, "headcount"),
            ("Chartered bus, Mumbai–Pune", 360_001, "equal"),
        ],
        "itinerary": [
            (
                40,
                10,
                12,
                "visit",
                "Western India Clean Energy Chamber",
                "Courtesy call and briefing on Maharashtra's green-hydrogen policy",
                "西インドクリーンエネルギー会議所 表敬訪問・州の水素政策説明",
            ),
            (
                41,
                9,
                17,
                "seminar",
                None,
                "Japan–Maharashtra renewable-energy seminar",
                "日本・マハーラーシュトラ再エネセミナー",
            ),
            (
                42,
                10,
                16,
                "b2b",
                None,
                "B2B meetings with Indian developers",
                "インド開発事業者との商談会",
            ),
            (
                44,
                11,
                15,
                "site_visit",
                "Sahyadri Smart Infra Pvt Ltd",
                "Site visit: smart-grid pilot in Pune",
                "視察：プネーのスマートグリッド実証",
            ),
        ],
    },
    {
        "owner": "JP-16",
        "title_en": "Bengaluru IT and smart-city mission",
        "title_ja": "ベンガルールIT・スマートシティ・ミッション",
        "summary_en": "Toyama's smart-grid and building-technology companies meet Karnataka's "
        "IT firms and research institutes.",
        "summary_ja": "富山県のスマートグリッド・建築技術企業が"
        "カルナータカ州のIT企業・研究機関と面談します。",
        "days": (70, 74),
        "status": MissionStatus.PLANNED,
        "visibility": Visibility.CONSORTIUM,
        "participants": [],
        "destinations": [("in-bengaluru", 70, 74)],
        "targets": ["Namma Mobility Components Pvt Ltd", "Bengaluru Institute of Applied Sciences"],
        "delegates": [
            ("JP-16", "Tateyama Smart Grid Co., Ltd.", "Ryo Hayashi", "Chief Engineer"),
        ],
        "budget": [("Exhibition booth, Bengaluru Tech Summit", 800_000, "equal")],
        "itinerary": [
            (
                71,
                10,
                12,
                "visit",
                "Bengaluru Institute of Applied Sciences",
                "Research collaboration meeting",
                "共同研究に関する面談",
            ),
        ],
    },
    {
        # Another member's private plan that overlaps the Mumbai mission: Yamanashi sees only
        # "another member plans an activity in Mumbai" (see setu/coordination/notices.py).
        "owner": "JP-31",
        "title_en": "Food processing buyers' visit to Mumbai",
        "title_ja": "ムンバイ食品加工バイヤー訪問",
        "summary_en": "Tottori food companies meet Mumbai importers.",
        "summary_ja": "",
        "days": (43, 47),
        "status": MissionStatus.PLANNED,
        "visibility": Visibility.PRIVATE,
        "participants": [],
        "destinations": [("in-mumbai", 43, 47)],
        "targets": ["Western India Clean Energy Chamber"],
        "delegates": [],
        "budget": [],
        "itinerary": [],
    },
]


def _mission(
    spec: dict[str, Any],
    owner: Organisation,
    by_key: dict[str, Organisation],
    cities: dict[str, City],
    today: date,
) -> Mission:
    lead_officer: Any = _staff(owner)
    first, last = spec["days"]
    mission = missions.mission_create(
        actor=lead_officer,
        owner=owner,
        title_en=spec["title_en"],
        title_ja=spec["title_ja"],
        summary_en=spec["summary_en"],
        summary_ja=spec["summary_ja"],
        starts_on=today + timedelta(days=first),
        ends_on=today + timedelta(days=last),
        status=spec["status"],
        visibility=spec["visibility"],
        targets=[by_key[name] for name in spec["targets"] if name in by_key],
    )
    for code in spec["participants"]:
        if code in by_key:
            missions.participant_add(mission=mission, actor=lead_officer, organisation=by_key[code])
    destinations = {}
    for key, start, end in spec["destinations"]:
        destinations[key] = missions.destination_add(
            mission=mission,
            actor=lead_officer,
            city=cities[key],
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
        )
    for prefecture_key, org_key, name, title in spec["delegates"]:
        prefecture, organisation = by_key.get(prefecture_key), by_key.get(org_key)
        if prefecture is None or organisation is None:
            continue
        # Demo data is loaded without a signed-in officer of each prefecture.
        Delegate.objects.create(
            mission=mission,
            prefecture=prefecture,
            organisation=organisation,
            name=name,
            title=f"{title} (fictional)",
        )
    for title, amount, split in spec["budget"]:
        budget.budget_line_save(
            mission=mission, actor=lead_officer, title=title, amount_jpy=amount, split=split
        )
    for offset, start, end, kind, org_key, title_en, title_ja in spec["itinerary"]:
        day = today + timedelta(days=offset)
        destination = next(
            (d for d in destinations.values() if d.starts_on <= day <= d.ends_on), None
        )
        missions.itinerary_item_save(
            mission=mission,
            actor=lead_officer,
            destination=destination,
            kind=ItineraryKind(kind),
            starts_at=_at(day, start, tz=IST),
            ends_at=_at(day, end, tz=IST),
            title_en=title_en,
            title_ja=title_ja,
            notes_en="",
            notes_ja="",
            organisation=by_key.get(org_key) if org_key else None,
            place="",
            link_url="",
        )
    missions.task_add(
        mission=mission,
        actor=lead_officer,
        title="Book interpreters",
        owner_organisation=owner,
        due_on=today + timedelta(days=first - 20),
    )
    return mission

"""Demo visits to Japan (docs/inbound.md): an upcoming business visit to Yamanashi with two
visitors, one who sent complete details and one who has not sent passport details yet, and a
past familiarisation trip to Shizuoka for Indian tour operators with its report.

Dates are relative to the day of loading; loading again changes nothing (each visit is skipped
when its record, found by owner and English title, exists). Names and passports are fictional.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Role, User
from setu.coordination.models import (
    Direction,
    ItineraryItem,
    Mission,
    MissionDestination,
    MissionStatus,
    VisitKind,
)
from setu.coordination.services import visitors as services
from setu.core.models import Visibility
from setu.directory.models import City, Organisation

JST = ZoneInfo("Asia/Tokyo")
BUSINESS_TITLE = "Indian investors' visit to Yamanashi industrial parks"
FAM_TITLE = "Familiarisation trip to Shizuoka for Indian tour operators"


def _officer(org: Organisation) -> User | None:
    return User.objects.filter(
        memberships__organisation=org, memberships__role=Role.PREFECTURE_OFFICER
    ).first()


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), JST)


def _item(mission: Mission, day: date, hours: tuple[int, int], kind: str, **values: Any) -> None:
    ItineraryItem.objects.create(
        mission=mission,
        kind=kind,
        starts_at=_at(day, hours[0]),
        ends_at=_at(day, hours[1]),
        **values,
    )


@transaction.atomic
def load_inbound_demo(by_key: dict[str, Organisation]) -> int:
    created = 0
    yamanashi, shizuoka = by_key.get("JP-19"), by_key.get("JP-22")
    cities = {c.key: c for c in City.objects.filter(key__in=["jp-kofu", "jp-shizuoka"])}
    if yamanashi is None or shizuoka is None or len(cities) < 2:
        return 0
    today = timezone.localdate()
    if not Mission.objects.filter(owner=yamanashi, title_en=BUSINESS_TITLE).exists():
        created += _business_visit(yamanashi, by_key, cities["jp-kofu"], today)
    if not Mission.objects.filter(owner=shizuoka, title_en=FAM_TITLE).exists():
        created += _fam_trip(shizuoka, by_key, cities["jp-shizuoka"], today)
    return created


def _business_visit(
    host: Organisation, by_key: dict[str, Organisation], kofu: City, today: date
) -> int:
    officer = _officer(host)
    sahyadri = by_key.get("Sahyadri Smart Infra Pvt Ltd")
    namma = by_key.get("Namma Mobility Components Pvt Ltd")
    factory = by_key.get("Kofu Hydrogen Systems K.K.")
    if officer is None or sahyadri is None or namma is None:
        return 0
    first, last = today + timedelta(days=30), today + timedelta(days=34)
    mission = Mission.objects.create(
        owner=host,
        title_en=BUSINESS_TITLE,
        title_ja="インド企業 山梨県工業団地視察",
        summary_en="Indian infrastructure and mobility companies see Yamanashi's industrial "
        "parks, a hydrogen plant and the prefecture's investment support.",
        starts_on=first,
        ends_on=last,
        status=MissionStatus.CONFIRMED,
        visibility=Visibility.CONSORTIUM,
        direction=Direction.TO_JAPAN,
        visit_kind=VisitKind.BUSINESS,
        created_by=officer,
    )
    MissionDestination.objects.create(mission=mission, city=kofu, starts_on=first, ends_on=last)
    services.inbound_update(
        mission=mission,
        actor=officer,
        reason_en="To see industrial sites in Yamanashi Prefecture and discuss investment in "
        "hydrogen and smart infrastructure with local companies and the prefecture.",
        reason_ja="山梨県内の工業用地を視察し、水素・スマートインフラ分野の投資について県内企業"
        "および県と協議するため。",
        signing_official="Taro Yamada",
        signing_title="Director-General, Industry and Labour Department",
        signing_title_ja="産業労働部長",
        inviting_address="1-6-1 Marunouchi, Kofu, Yamanashi 400-8501, Japan",
        inviting_phone="+81 55-237-1111",
        transport_notes="Chartered bus from Shinjuku on the first day; local bus in Kofu.",
        hotel_notes="Hotel in central Kofu, four nights.",
        details_due_on=first - timedelta(days=21),
    )
    _item(mission, first, (14, 17), "travel", title_en="Arrival and transfer to Kofu",
          title_ja="到着・甲府へ移動", place="Narita Airport → Kofu")  # fmt: skip
    _item(mission, first + timedelta(days=1), (10, 12), "site_visit",
          title_en="Site visit: hydrogen plant", title_ja="視察：水素プラント",
          organisation=sahyadri, host_organisation=factory, host_contact="Hiroshi Mochizuki",
          wants_to_see="Electrolyser line and storage", interpreter="Aiko Tanaka (English)",
          place="Kofu Hydrogen Systems, Kofu")  # fmt: skip
    _item(mission, first + timedelta(days=2), (9, 12), "site_visit",
          title_en="Site visit: Minami-Alps industrial park", title_ja="視察：南アルプス工業団地",
          organisation=namma, host_contact="Investment Promotion Division",
          wants_to_see="Available plots, utilities, incentives",
          interpreter="Aiko Tanaka (English)",
          place="Minami-Alps, Yamanashi")  # fmt: skip
    _item(mission, first + timedelta(days=3), (14, 17), "seminar",
          title_en="Yamanashi investment seminar", title_ja="山梨県投資セミナー",
          place="Yamanashi Prefectural Office, Kofu")  # fmt: skip
    _item(mission, last, (10, 12), "travel", title_en="Departure", title_ja="出発",
          place="Kofu → Haneda Airport")  # fmt: skip
    complete = services.visitor_add(
        mission=mission, actor=officer, organisation=sahyadri, name="Priya Deshpande",
        email="priya.deshpande@example.in",
    )  # fmt: skip
    services.visitor_details_submit(
        visitor=complete,
        values={
            "passport_name": "PRIYA ANIL DESHPANDE",
            "passport_number": "Z1234567",
            "nationality": "India",
            "date_of_birth": date(1984, 3, 12),
            "employer": sahyadri.name_en,
            "position": "Head of Projects",
            "arrival_on": first,
            "departure_on": last,
            "arrival_airport": "Narita",
        },
        today=today,
    )
    services.visitor_add(
        mission=mission, actor=officer, organisation=namma, name="Arjun Rao",
        email="arjun.rao@example.in", language="hi",
    )  # fmt: skip
    return 1


def _fam_trip(host: Organisation, by_key: dict[str, Organisation], city: City, today: date) -> int:
    officer = _officer(host)
    if officer is None:
        return 0
    tea = by_key.get("Suruga Green Tea Processing K.K.")
    first, last = today - timedelta(days=40), today - timedelta(days=37)
    mission = Mission.objects.create(
        owner=host,
        title_en=FAM_TITLE,
        title_ja="インド旅行会社向け静岡ファムトリップ",
        summary_en="Tour operators, a travel journalist and two creators from India see "
        "Mount Fuji views, tea fields and vegetarian-friendly inns.",
        starts_on=first,
        ends_on=last,
        status=MissionStatus.COMPLETED,
        visibility=Visibility.CONSORTIUM,
        direction=Direction.TO_JAPAN,
        visit_kind=VisitKind.FAM_TRIP,
        created_by=officer,
    )
    MissionDestination.objects.create(mission=mission, city=city, starts_on=first, ends_on=last)
    services.inbound_update(
        mission=mission,
        actor=officer,
        reason_en="Familiarisation trip for Indian tour operators and media.",
        reason_ja="インドの旅行会社・メディア向け視察旅行のため。",
        signing_official="Hanako Suzuki",
        signing_title="Director, Tourism Policy Division",
        signing_title_ja="観光政策課長",
        hotel_notes="Ryokan with vegetarian meals, Shizuoka city.",
        content_produced="Three articles (travel magazine, Mumbai), eight short videos, "
        "a Hindi travel vlog episode.",
        packages_planned="Two operators plan 5-day Fuji–Shizuoka packages for the next "
        "spring season; one plans a tea-and-temples itinerary for families.",
    )
    _item(mission, first + timedelta(days=1), (9, 12), "site_visit",
          title_en="Tea fields and tasting", title_ja="茶畑見学・試飲",
          host_organisation=tea, interpreter="Kenta Mori (Hindi)",
          wants_to_see="Tea picking experience for groups")  # fmt: skip
    _item(mission, first + timedelta(days=2), (8, 16), "visit",
          title_en="Mount Fuji viewpoints and Miho no Matsubara",
          title_ja="富士山展望地・三保松原", interpreter="Kenta Mori (Hindi)")  # fmt: skip
    return 1

"""Demo: a destination page for each member prefecture (sample text in English, Hindi and
Japanese, with photos drawn here by Pillow, not taken by anyone) and two years of sample
arrival figures. Idempotent: a prefecture that has a page keeps it; figures are upserted."""

from __future__ import annotations

import io
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from setu.accounts.models import User
from setu.directory.models import Organisation, OrganisationKind, Region
from setu.tourism.arrivals import arrivals_import
from setu.tourism.models import ArrivalFigure, Destination
from setu.tourism.services import (
    destination_publish,
    destination_start,
    destination_update,
    festival_add,
    itinerary_add,
    photo_add,
    place_add,
)

DOMAIN = "demo.setu.example"
SAMPLE_EN = "Sample text for the demonstration. "
SAMPLE_JA = "デモ用のサンプル文です。"
SAMPLE_HI = "प्रदर्शन के लिए नमूना पाठ। "
# Other countries of residence, so the share of Indian visitors means something.
COUNTRIES = {"IN": 900, "CN": 9000, "KR": 7000, "TW": 6000, "US": 3000, "TH": 2000}
PALETTES = [
    ((135, 190, 235), (70, 110, 160), (250, 250, 250)),
    ((250, 200, 150), (120, 80, 60), (255, 240, 200)),
    ((180, 220, 190), (40, 110, 70), (240, 250, 240)),
]


def _demo_texts() -> dict[str, Any]:
    """The sample texts, with {en}, {ja} and {hi} where the region's name goes."""
    return json.loads((Path(__file__).parent / "data" / "demo_texts.json").read_text("utf-8"))


def _named(value: Any, region: Region) -> Any:
    if not isinstance(value, str):
        return value
    return value.format(
        en=region.name_en, ja=region.name_ja or region.name_en, hi=region.name_hi or region.name_en
    )


def _texts(region: Region) -> dict[str, Any]:
    return {key: _named(value, region) for key, value in _demo_texts()["page"].items()}


def _place(n: int, region: Region) -> dict[str, Any]:
    return {key: _named(value, region) for key, value in _demo_texts()["places"][n - 1].items()}


def sample_image(seed: int, *, width: int = 960, height: int = 600) -> bytes:
    """A landscape drawn here (sky, sun, mountains): no one's photo, so no one's rights."""
    from PIL import Image, ImageDraw

    sky, mountain, snow = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        shade = tuple(max(0, c - y // 6) for c in sky)
        draw.line([(0, y), (width, y)], fill=shade)
    draw.ellipse([width * 0.72, height * 0.1, width * 0.84, height * 0.29], fill=(255, 220, 120))
    peak = width * (0.35 + 0.1 * (seed % 3))
    draw.polygon(
        [(peak - width * 0.45, height), (peak, height * 0.25), (peak + width * 0.45, height)],
        fill=mountain,
    )
    draw.polygon(
        [
            (peak - width * 0.08, height * 0.38),
            (peak, height * 0.25),
            (peak + width * 0.08, height * 0.38),
        ],
        fill=snow,
    )
    draw.rectangle([0, height * 0.85, width, height], fill=(60, 120, 80))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _photo(
    destination: Destination, seed: int, region: Region, officer: User, *, decorative: bool
) -> None:
    data = sample_image(seed)
    upload = SimpleUploadedFile(
        f"{region.code.lower()}-{seed}.jpg", data, content_type="image/jpeg"
    )
    alt = (
        {"alt_en": "", "alt_ja": "", "alt_hi": ""}
        if decorative
        else {
            "alt_en": f"Drawing of a snow-capped mountain above {region.name_en}",
            "alt_ja": f"{region.name_ja}の雪をかぶった山の絵",
            "alt_hi": f"{region.name_hi} के ऊपर बर्फ़ से ढके पहाड़ का चित्र",
        }
    )
    photo_add(
        destination=destination, upload=upload, content_type="image/jpeg", width=960, height=600,
        data={**alt, "decorative": decorative, "credit": "Setu demo drawing (generated)"},
        actor=officer,
    )  # fmt: skip


def _seed(region: Region) -> int:
    return sum(map(ord, region.code)) % 3


def _destination(owner: Organisation, officer: User) -> int:
    region = owner.region
    assert region is not None
    if Destination.objects.filter(region=region).exists():
        return 0
    with transaction.atomic():
        destination = destination_start(owner=owner, actor=officer)
        destination_update(destination=destination, data=_texts(region), actor=officer)
        Destination.objects.filter(pk=destination.pk).update(is_sample=True)
        destination.is_sample = True
        lake = place_add(destination=destination, data=_place(1, region), actor=officer)
        town = place_add(destination=destination, data=_place(2, region), actor=officer)
        itinerary_add(
            destination=destination,
            titles={
                "title_en": "Two days of lakes and old streets",
                "title_ja": "湖と古い町並みの二日間",
                "title_hi": "झीलों और पुरानी गलियों के दो दिन",
            },
            days=[[lake], [town]],
            actor=officer,
        )
        year = date.today().year
        festival_add(
            destination=destination,
            data={
                "name_en": "Autumn leaves festival", "name_ja": "紅葉まつり",
                "name_hi": "पतझड़ के पत्तों का उत्सव",
                "description_en": f"{SAMPLE_EN}Maple trees turn red along the lake.",
                "description_ja": f"{SAMPLE_JA}湖畔のもみじが赤く色づきます。",
                "description_hi": f"{SAMPLE_HI}झील के किनारे मेपल के पेड़ लाल हो जाते हैं।",
                "starts_on": date(year, 11, 1), "ends_on": date(year, 11, 23),
            },
            actor=officer,
        )  # fmt: skip
        _photo(destination, _seed(region), region, officer, decorative=False)
        _photo(destination, _seed(region) + 1, region, officer, decorative=True)
        destination_publish(destination=destination, actor=officer)
    return 1


def sample_arrivals_csv(region_codes: list[str], years: list[int]) -> str:
    rng = random.Random(21)  # noqa: S311  # sample figures, not secrets
    lines = ["region,year,month,country,visitors"]
    for code in region_codes:
        for year in years:
            growth = 1.0 + 0.25 * (year - years[0])
            for month in range(1, 13):
                season = 1.4 if month in (4, 10, 11) else 1.0
                for country, base in COUNTRIES.items():
                    n = int(base * growth * season * rng.uniform(0.6, 1.4))
                    lines.append(f"{code},{year},{month},{country},{n}")
    return "\n".join(lines) + "\n"


FAIR_TITLE = "Regional Japan Travel Roadshow Mumbai"
# (name, kind, region, side, offers, needs, packages, group sizes, segments)
TRADE: list[tuple[str, str, str, str, str, str, str, tuple[int, int], list[str]]] = [
    ("Mumbai Pilgrim Journeys Pvt Ltd", "tour_operator", "IN-MH", "IN",
     "Group tours from Mumbai and Pune for families and temple groups.",
     "Regional Japan partners with vegetarian and Jain meals, temples and hot springs.",
     "Japan temples and onsen, 7 nights; Fuji and tea country, 5 nights", (15, 40),
     ["pilgrims", "students"]),
    ("Bengaluru Campus Travel LLP", "travel_agent", "IN-KA", "IN",
     "Study tours for engineering colleges and schools.",
     "Factory visits, universities and homestays in regional Japan.",
     "Technology study tour, 6 nights", (20, 60), ["students", "mice"]),
    ("Delhi Celebration Tours Pvt Ltd", "tour_operator", "IN-DL", "IN",
     "Destination weddings and incentive trips for Indian companies.",
     "Venues for 100–300 guests, Indian caterers, ryokan blocks.",
     "Cherry-blossom wedding week; dealer incentive trip, 4 nights", (50, 300),
     ["weddings", "mice"]),
    ("Fuji Lakeside Ryokan K.K.", "hotel", "JP-22", "JP",
     "A ryokan of 60 rooms with vegetarian and Jain menus and a view of Mount Fuji.",
     "Indian tour operators for spring and autumn groups.",
     "Two nights with Jain kaiseki dinners", (2, 120), ["pilgrims", "weddings"]),
    ("Shizuoka Visitors Bureau", "dmo", "JP-22", "JP",
     "Itineraries, familiarisation trips and guides for Indian groups.",
     "Indian travel agents and creators for familiarisation trips.",
     "Tea, Fuji and coast, 3 to 5 days", (1, 200), ["adventure", "students", "mice"]),
]  # fmt: skip
ASSOCIATION = "Travel Agents Federation of India (demo)"


def _trade_org(name: str, kind: str, region: str, by_key: dict[str, Organisation]) -> Organisation:
    from setu.directory.services import organisation_refresh_derived

    org, created = Organisation.objects.get_or_create(
        name_en=name,
        kind=kind,
        defaults={
            "country": region[:2],
            "region_id": region,
            "visibility": "public",
            "description_en": "Fictional organisation in Setu's demo data.",
            "managed_by": by_key.get(region) if region.startswith("JP") else None,
        },
    )
    if created:
        organisation_refresh_derived(organisation=org)
    return org


def _travel_fair(by_key: dict[str, Organisation]) -> int:
    """A roadshow in Mumbai hosted by Shizuoka: booths and travel-trade B2B matchmaking."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from setu.directory.models import City
    from setu.events.models import Event, EventKind
    from setu.matchmaking.demo import _matchmaking
    from setu.matchmaking.models import Participant
    from setu.tourism.models import Booth, TradeProfile

    host = by_key.get("JP-22")
    city = City.objects.filter(key="in-mumbai").first()
    if host is None or city is None:
        return 0
    day = date.today() + timedelta(days=60)
    starts = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(city.timezone))
    event, created = Event.objects.get_or_create(
        title_en=FAIR_TITLE,
        owner=host,
        defaults={
            "title_ja": "地方日本旅行ロードショー・ムンバイ",
            "title_hi": "क्षेत्रीय जापान यात्रा रोडशो, मुंबई",
            "kind": EventKind.TRAVEL_FAIR,
            "city": city,
            "time_zone": city.timezone,
            "venue": "Jio World Convention Centre (sample venue)",
            "starts_at": starts,
            "ends_at": starts + timedelta(days=1, hours=8),
            "capacity": 300,
            "visibility": "public",
            "requires_approval": False,
            "languages": "en ja hi",
            "summary_en": "Sample event: Indian tour operators and travel agents meet "
            "ryokan, destination bureaus and airlines from the member prefectures.",
            "summary_ja": "サンプル：インドの旅行会社と加盟県の旅館・観光協会の商談会。",
            "summary_hi": "नमूना कार्यक्रम: भारतीय टूर ऑपरेटर और ट्रैवल एजेंट सदस्य प्रान्तों के "
            "र्योकान और पर्यटन ब्यूरो से मिलते हैं।",
        },
    )
    made = int(created)
    matchmaking, new = _matchmaking(event)
    made += new
    association = _trade_org(ASSOCIATION, "chamber", "IN-DL", by_key)
    for number, row in enumerate(TRADE, start=1):
        name, kind, region, side, offers, needs, packages, (low, high), segments = row
        org = _trade_org(name, kind, region, by_key)
        Booth.objects.get_or_create(
            event=event, organisation=org, defaults={"label": f"{side}-{number:02d}"}
        )
        if matchmaking is None:
            continue
        participant, new_participant = Participant.objects.get_or_create(
            matchmaking=matchmaking,
            organisation=org,
            defaults={"side": side, "offers": offers, "needs": needs, "languages": "en"},
        )
        made += int(new_participant)
        profile, new_profile = TradeProfile.objects.get_or_create(
            participant=participant,
            defaults={
                "packages": packages,
                "group_min": low,
                "group_max": high,
                "segments": segments,
            },
        )
        if new_profile and side == "IN":
            profile.associations.add(association)
    return made


def load_tourism_demo(by_key: dict[str, Organisation]) -> int:
    created = _travel_fair(by_key)
    officer = User.objects.filter(email=f"secretariat@{DOMAIN}").first()
    if officer is None:
        return 0
    members = list(
        Organisation.objects.filter(
            kind=OrganisationKind.MEMBER_PREFECTURE, region__isnull=False, merged_into=None
        ).select_related("region")
    )
    for owner in members:
        created += _destination(owner, officer)
    codes = [owner.region_id for owner in members if owner.region_id]
    this_year = date.today().year
    if not ArrivalFigure.objects.filter(is_sample=True).exists() and codes:
        result = arrivals_import(
            data=sample_arrivals_csv(codes, [this_year - 2, this_year - 1]), sample=True
        )
        created += result.imported
    return created

"""The directory's demo records: the nine-member network, partners, people and agreements.

Prefectures, states and agreements are real public facts (setu/directory/data/, with sources).
Companies and people are fictional, and say so in their descriptions and titles.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from setu.core.models import Visibility
from setu.directory.maintenance import directory_tables, update_planner_statistics
from setu.directory.models import (
    City,
    DatePrecision,
    FocalSector,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipStatus,
    Person,
    Region,
    Sector,
)
from setu.directory.reference import load_reference_data, read
from setu.directory.services import organisation_refresh_derived

FICTIONAL_NOTE = "Fictional organisation in Setu's demo data."

# (kind, managing member, region, city key, English, Japanese, sectors, visibility, size)
COMPANIES: list[tuple[str, str | None, str, str, str, str, list[str], str, tuple[int, int]]] = [
    (
        "company",
        "JP-19",
        "JP-19",
        "jp-kofu",
        "Kofu Hydrogen Systems K.K.",
        "甲府水素システム株式会社",
        ["35", "28"],
        "partners",
        (85, 90_000_000),
    ),
    (
        "company",
        "JP-19",
        "JP-19",
        "jp-kofu",
        "Fujikawa Precision Dies K.K.",
        "富士川精密金型株式会社",
        ["29", "25"],
        "private",
        (140, 50_000_000),
    ),
    (
        "company",
        "JP-22",
        "JP-22",
        "jp-hamamatsu",
        "Enshu Auto Parts Co., Ltd.",
        "遠州オートパーツ株式会社",
        ["29", "22"],
        "partners",
        (420, 300_000_000),
    ),
    (
        "company",
        "JP-22",
        "JP-22",
        "jp-shizuoka",
        "Suruga Green Tea Processing K.K.",
        "駿河グリーンティー加工株式会社",
        ["10", "11"],
        "partners",
        (60, 30_000_000),
    ),
    (
        "company",
        "JP-16",
        "JP-16",
        "jp-toyama",
        "Tateyama Smart Grid Co., Ltd.",
        "立山スマートグリッド株式会社",
        ["27", "42", "71"],
        "partners",
        (210, 120_000_000),
    ),
    (
        "company",
        "JP-16",
        "JP-16",
        "jp-toyama",
        "Etchu Aluminium Sash K.K.",
        "越中アルミサッシ株式会社",
        ["24", "43"],
        "consortium",
        (1200, 2_000_000_000),
    ),
    (
        "company",
        "JP-31",
        "JP-31",
        "jp-tottori",
        "Daisen Foods K.K.",
        "大山フーズ株式会社",
        ["10"],
        "partners",
        (45, 20_000_000),
    ),
    (
        "company",
        "JP-04",
        "JP-04",
        "jp-sendai",
        "Sendai Cloudworks Inc.",
        "仙台クラウドワークス株式会社",
        ["62", "63"],
        "partners",
        (75, 40_000_000),
    ),
    (
        "company",
        "JP-03",
        "JP-03",
        "jp-morioka",
        "Morioka Ironworks Co., Ltd.",
        "盛岡鉄工株式会社",
        ["28", "29"],
        "partners",
        (160, 80_000_000),
    ),
    (
        "company",
        "JP-30",
        "JP-30",
        "jp-wakayama",
        "Kishu Citrus Foods K.K.",
        "紀州シトラスフーズ株式会社",
        ["10", "01"],
        "partners",
        (30, 10_000_000),
    ),
    (
        "company",
        None,
        "IN-KA",
        "in-bengaluru",
        "Namma Mobility Components Pvt Ltd",
        "",
        ["29", "27"],
        "partners",
        (350, 0),
    ),
    (
        "company",
        None,
        "IN-MH",
        "in-pune",
        "Sahyadri Smart Infra Pvt Ltd",
        "",
        ["42", "71", "62"],
        "partners",
        (600, 0),
    ),
    (
        "company",
        None,
        "IN-GJ",
        "in-ahmedabad",
        "Sabarmati Solar Energy Ltd",
        "",
        ["35", "26"],
        "partners",
        (900, 0),
    ),
    (
        "company",
        None,
        "IN-TN",
        "in-chennai",
        "Coromandel Food Processors Pvt Ltd",
        "",
        ["10"],
        "partners",
        (220, 0),
    ),
    (
        "company",
        None,
        "IN-TS",
        "in-hyderabad",
        "Deccan Data Systems Pvt Ltd",
        "",
        ["62", "63"],
        "partners",
        (1500, 0),
    ),
    (
        "chamber",
        None,
        "IN-MH",
        "in-mumbai",
        "Western India Clean Energy Chamber",
        "",
        ["35"],
        "partners",
        (0, 0),
    ),
    (
        "agency",
        None,
        "IN-UP",
        "in-lucknow",
        "Uttar Pradesh Investment Facilitation Cell",
        "",
        [],
        "public",
        (0, 0),
    ),
    (
        "academic",
        None,
        "JP-31",
        "jp-tottori",
        "San'in Institute of Technology",
        "山陰工科大学",
        ["85"],
        "public",
        (0, 0),
    ),
    (
        "academic",
        None,
        "IN-KA",
        "in-bengaluru",
        "Bengaluru Institute of Applied Sciences",
        "",
        ["85", "72"],
        "public",
        (0, 0),
    ),
]

# (organisation English name, owner: member region or "self", Latin name, native name, title,
#  email, phone, language)
PEOPLE: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "Kofu Hydrogen Systems K.K.",
        "JP-19",
        "Hiroshi Mochizuki",
        "望月 浩",
        "Director, Overseas Business",
        "h.mochizuki@kofu-h2.example",
        "+81552000101",
        "ja",
    ),
    (
        "Fujikawa Precision Dies K.K.",
        "JP-19",
        "Sachiko Fukasawa",
        "深沢 幸子",
        "President",
        "fukasawa@fujikawa-dies.example",
        "+81556000202",
        "ja",
    ),
    (
        "Enshu Auto Parts Co., Ltd.",
        "JP-22",
        "Takeshi Suzuki",
        "鈴木 武",
        "Manager, India Desk",
        "t.suzuki@enshu-parts.example",
        "+81534000303",
        "ja",
    ),
    (
        "Suruga Green Tea Processing K.K.",
        "JP-22",
        "Mai Kato",
        "加藤 舞",
        "Export Sales",
        "kato@suruga-tea.example",
        "+81542000404",
        "ja",
    ),
    (
        "Tateyama Smart Grid Co., Ltd.",
        "JP-16",
        "Ryo Hayashi",
        "林 亮",
        "Chief Engineer",
        "hayashi@tateyama-grid.example",
        "+81764000505",
        "ja",
    ),
    (
        "Daisen Foods K.K.",
        "JP-31",
        "Naoko Yamane",
        "山根 直子",
        "Managing Director",
        "yamane@daisen-foods.example",
        "+81857000606",
        "ja",
    ),
    (
        "Sendai Cloudworks Inc.",
        "JP-04",
        "Daisuke Sato",
        "佐藤 大輔",
        "CTO",
        "sato@sendai-cloud.example",
        "+81222000707",
        "ja",
    ),
    (
        "Morioka Ironworks Co., Ltd.",
        "JP-03",
        "Kazuki Chiba",
        "千葉 和樹",
        "Sales Director",
        "chiba@morioka-iron.example",
        "+81196000808",
        "ja",
    ),
    (
        "Namma Mobility Components Pvt Ltd",
        "self",
        "Ananya Rao",
        "अनन्या राव",
        "Head of Partnerships",
        "ananya.rao@namma-mobility.example",
        "+918041000101",
        "en",
    ),
    (
        "Sahyadri Smart Infra Pvt Ltd",
        "self",
        "Rohan Kulkarni",
        "रोहन कुलकर्णी",
        "Vice President, Projects",
        "rohan@sahyadri-infra.example",
        "+912041000202",
        "hi",
    ),
    (
        "Sabarmati Solar Energy Ltd",
        "self",
        "Kavita Patel",
        "कविता पटेल",
        "Chief Executive",
        "kavita@sabarmati-solar.example",
        "+917941000303",
        "hi",
    ),
    (
        "Coromandel Food Processors Pvt Ltd",
        "self",
        "Suresh Iyer",
        "सुरेश अय्यर",
        "Export Manager",
        "suresh@coromandel-foods.example",
        "+914441000404",
        "en",
    ),
    (
        "Deccan Data Systems Pvt Ltd",
        "self",
        "Farah Siddiqui",
        "फ़राह सिद्दीक़ी",
        "Director, Japan Business",
        "farah@deccan-data.example",
        "+914041000505",
        "en",
    ),
    (
        "Western India Clean Energy Chamber",
        "self",
        "Priya Deshpande",
        "प्रिया देशपांडे",
        "Secretary General",
        "priya@wicec.example",
        "+912241000606",
        "hi",
    ),
    (
        "Uttar Pradesh Investment Facilitation Cell",
        "self",
        "Alok Mishra",
        "आलोक मिश्र",
        "Joint Director",
        "alok.mishra@upifc.example",
        "+915221000707",
        "hi",
    ),
]


def _org(lookup: dict[str, Any], defaults: dict[str, Any]) -> tuple[Organisation, bool]:
    return Organisation.objects.update_or_create(**lookup, defaults=defaults)


def load_directory_demo() -> tuple[dict[str, Organisation], int]:
    """Create or update the demo directory; return organisations by key and the count created."""
    created = 0
    if not Region.objects.exists():  # a flushed test database; the migration loads it otherwise
        load_reference_data()
    members = read("members.json").get("members", [])
    member_codes = {row["region"] for row in members if row.get("region")}
    illustrative = {row["region"] for row in members if row.get("illustrative")}
    secretariat, new = _org(
        {"kind": OrganisationKind.SECRETARIAT},
        {
            "name_en": f"{settings.SETU_CONSORTIUM_NAME} Secretariat",
            "name_ja": "日印県連携ネットワーク事務局",
            "name_hi": "जापान–भारत प्रीफ़ेक्चर नेटवर्क सचिवालय",
            "original_language": "ja",
            "country": "JP",
            "description_en": "Illustrative secretariat of the demo network.",
            "visibility": Visibility.PUBLIC,
        },
    )
    created += new
    by_key: dict[str, Organisation] = {"secretariat": secretariat}
    for region in Region.objects.all():
        kind: str
        if region.country == "JP":
            kind = (
                OrganisationKind.MEMBER_PREFECTURE
                if region.code in member_codes
                else OrganisationKind.PREFECTURE
            )
            kinds = [OrganisationKind.MEMBER_PREFECTURE, OrganisationKind.PREFECTURE]
        else:
            kind, kinds = OrganisationKind.INDIAN_STATE, [OrganisationKind.INDIAN_STATE]
        note = ""
        if region.code in illustrative:
            note = "Illustrative member in the demo data: not a named founding member."
        org, new = _org(
            {"region": region, "kind__in": kinds},
            {
                "kind": kind,
                "name_en": region.name_en,
                "name_ja": region.name_ja,
                "name_hi": region.name_hi,
                "name_ja_kana": region.name_ja_kana,
                "original_language": "ja" if region.country == "JP" else "en",
                "country": region.country,
                "description_en": note,
                "visibility": Visibility.PUBLIC,
            },
        )
        organisation_refresh_derived(organisation=org)
        created += new
        by_key[region.code] = org
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    cities = {city.key: city for city in City.objects.all()}
    for (
        kind,
        manager,
        region_code,
        city_key,
        name_en,
        name_ja,
        codes,
        visibility,
        size,
    ) in COMPANIES:
        employees, capital = size
        org, new = _org(
            {"name_en": name_en, "kind": kind},
            {
                "name_ja": name_ja,
                "original_language": "ja" if name_ja else "en",
                "country": region_code[:2],
                "region_id": region_code,
                "city": cities.get(city_key),
                "managed_by": by_key.get(manager) if manager else None,
                "visibility": visibility,
                "description_en": FICTIONAL_NOTE,
                "employees": employees or None,
                "capital": capital or None,
                "capital_currency": "JPY" if region_code.startswith("JP") else "INR",
                "sme_industry": "manufacturing" if kind == "company" else "",
                "offers": _offers(codes),
            },
        )
        org.sectors.set([sectors[c] for c in codes if c in sectors])
        organisation_refresh_derived(organisation=org)
        created += new
        by_key[name_en] = org
    for org_name, owner_key, latin, native, title, email, phone, language in PEOPLE:
        organisation = by_key[org_name]
        owner = organisation if owner_key == "self" else by_key[owner_key]
        _person, new = Person.objects.update_or_create(
            email=email,
            defaults={
                "organisation": organisation,
                "owner": owner,
                "name_latin": latin,
                "name_native": native,
                "title": f"{title} (fictional)",
                "phone": phone,
                "preferred_language": language,
                "visibility": Visibility.PARTNERS,
            },
        )
        created += new
    created += _load_partnerships(by_key)
    update_planner_statistics(directory_tables())
    return by_key, created


def _offers(codes: list[str]) -> str:
    names = [s.name_en for s in Sector.objects.filter(code__in=codes)]
    return "; ".join(names)


def _parse_date(value: str | None) -> tuple[date | None, str]:
    if not value:
        return None, DatePrecision.DAY
    parts = [int(p) for p in value.split("-")]
    precision = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][len(parts) - 1]
    return date(
        parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    ), precision


def _load_partnerships(by_key: dict[str, Organisation]) -> int:
    created = 0
    focal = {f.key: f for f in FocalSector.objects.all()}
    cities = {c.key: c for c in City.objects.all()}
    rows = read("partnerships.json")["partnerships"]
    records: dict[str, Partnership] = {}
    today = date.today()
    for row in rows:
        signed_on, precision = _parse_date(row.get("signed_on"))
        valid_until, _ = _parse_date(row.get("valid_until"))
        parties = [by_key[code] for code in row["parties"] if code in by_key]
        japanese = next((p for p in parties if p.country == "JP"), parties[0])
        source = row.get("source") or {}
        status = PartnershipStatus.ACTIVE
        if valid_until and valid_until < today:
            status = PartnershipStatus.EXPIRED
        record, new = Partnership.objects.update_or_create(
            key=row["key"],
            defaults={
                "kind": row["type"],
                "level": row.get("level", "prefecture_state"),
                "title_en": row.get("title_en") or "",
                "title_ja": row.get("title_ja") or "",
                "signed_on": signed_on,
                "signed_precision": precision,
                "valid_until": valid_until,
                "status": status,
                "scope": (row.get("scope") or {}).get("text", ""),
                "source_title": " — ".join(
                    part for part in (source.get("publisher"), source.get("title")) if part
                )[:300],
                "source_url": source.get("url", ""),
                "verified": bool(row.get("verified")),
                "note": row.get("note") or "",
                "owner": japanese,
                "visibility": Visibility.PUBLIC,
            },
        )
        record.parties.set(parties)
        record.cities.set([cities[k] for k in row.get("cities", []) if k in cities])
        record.focal_sectors.set(
            [focal[k] for k in (row.get("scope") or {}).get("focal_sectors", []) if k in focal]
        )
        records[row["key"]] = record
        created += new
    for row in rows:
        if row.get("renews") and row["renews"] in records:
            record = records[row["key"]]
            record.renews = records[row["renews"]]
            record.save(update_fields=["renews"])
            earlier = records[row["renews"]]
            if earlier.status == PartnershipStatus.ACTIVE:
                earlier.status = PartnershipStatus.RENEWED
                earlier.save(update_fields=["status"])
    return created

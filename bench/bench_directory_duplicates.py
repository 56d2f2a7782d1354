"""Benchmark the duplicate check of the organisation form on a directory of 100,000 organisations.

Run from the repository root::

    .venv/bin/python bench/bench_directory_duplicates.py [--database sqlite|postgres|both]
        [--n 100000] [--queries 100] [--baseline-queries 20]

Builds a fresh database of its own (a temporary SQLite file; on PostgreSQL a database named
``setu_bench_dup`` that it creates and drops, at ``--postgres`` or 127.0.0.1:5432 as postgres),
migrates it, and bulk-creates ``--n`` organisations with realistic names: Japanese companies
named in English and Japanese (place, family name or coined katakana brand, trade, legal form),
Indian companies in English and often Hindi, in proportions close to the consortium's, plus their
name tokens. Names are generated from a fixed seed, so every run sees the same directory.

Then times ``setu.directory.duplicates.find_candidates`` (the check the create form runs) for
``--queries`` new names, half near-duplicates of records the checking user (the secretariat) may
see (case, legal form, full-width, romanisation, 株式会社 moved, Hindi abbreviations, only the
Japanese name) and half novel names, and reports p50/p95 of the first run of each check (and,
less disturbed by other processes, of the best of three runs), recall on the near-duplicates
and false alarms on the novel ones. On PostgreSQL the tables are vacuumed first, as autovacuum
would have done on a live database. The baseline is a plain
Python scan that scores the new names against all ``--n`` names with the same rapidfuzz scorer
(keys precomputed once, not counted per query); it is timed on ``--baseline-queries`` of the
same names. A second line times rapidfuzz's own C loop (``process.extract``) over the English
and Japanese keys, the fastest a full scan gets. Finally it times the secretariat's list of
likely duplicate pairs over the whole directory, cold.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import Reporter  # noqa: E402

PG_DATABASE = "setu_bench_dup"
TARGET_MS = 50.0  # p95 of one check, as an officer types a new organisation's name
TARGET_FOUND = 95.0  # % of the planted near-duplicates suggested
TARGET_FALSE_ALARMS = 5.0  # % of novel names with a suggestion
PLANTED = 0.02  # share of the directory that duplicates another record

# (romaji, kanji) — places and family names that Japanese SMEs are named after
JP_PLACES = [
    ("Kofu", "甲府"), ("Fuji", "富士"), ("Shizuoka", "静岡"), ("Hamamatsu", "浜松"),
    ("Toyama", "富山"), ("Takaoka", "高岡"), ("Tottori", "鳥取"), ("Yonago", "米子"),
    ("Hiroshima", "広島"), ("Fukuyama", "福山"), ("Kobe", "神戸"), ("Himeji", "姫路"),
    ("Fukuoka", "福岡"), ("Kitakyushu", "北九州"), ("Yokohama", "横浜"), ("Kawasaki", "川崎"),
    ("Nagoya", "名古屋"), ("Toyohashi", "豊橋"), ("Okazaki", "岡崎"), ("Sendai", "仙台"),
    ("Niigata", "新潟"), ("Kanazawa", "金沢"), ("Nagano", "長野"), ("Matsumoto", "松本"),
    ("Gifu", "岐阜"), ("Tsu", "津"), ("Otsu", "大津"), ("Nara", "奈良"), ("Wakayama", "和歌山"),
    ("Okayama", "岡山"), ("Kurashiki", "倉敷"), ("Takamatsu", "高松"), ("Matsuyama", "松山"),
    ("Kochi", "高知"), ("Kumamoto", "熊本"), ("Oita", "大分"), ("Kagoshima", "鹿児島"),
    ("Naha", "那覇"), ("Sapporo", "札幌"), ("Hakodate", "函館"), ("Aomori", "青森"),
    ("Morioka", "盛岡"), ("Akita", "秋田"), ("Yamagata", "山形"), ("Koriyama", "郡山"),
    ("Mito", "水戸"), ("Utsunomiya", "宇都宮"), ("Maebashi", "前橋"), ("Chiba", "千葉"),
    ("Suruga", "駿河"), ("Enshu", "遠州"), ("Etchu", "越中"), ("Daisen", "大山"),
    ("Tateyama", "立山"), ("Fujikawa", "富士川"), ("Kai", "甲斐"), ("Izu", "伊豆"),
    ("Shinano", "信濃"), ("Mikawa", "三河"), ("Owari", "尾張"),
]  # fmt: skip
JP_FAMILIES = [
    ("Yamada", "山田"), ("Suzuki", "鈴木"), ("Takahashi", "高橋"), ("Tanaka", "田中"),
    ("Watanabe", "渡辺"), ("Ito", "伊藤"), ("Nakamura", "中村"), ("Kobayashi", "小林"),
    ("Kato", "加藤"), ("Yoshida", "吉田"), ("Yamaguchi", "山口"), ("Matsumoto", "松本"),
    ("Inoue", "井上"), ("Kimura", "木村"), ("Hayashi", "林"), ("Shimizu", "清水"),
    ("Yamazaki", "山崎"), ("Mori", "森"), ("Abe", "阿部"), ("Ikeda", "池田"),
    ("Hashimoto", "橋本"), ("Ishikawa", "石川"), ("Ogawa", "小川"), ("Okada", "岡田"),
    ("Hasegawa", "長谷川"), ("Fujita", "藤田"), ("Goto", "後藤"), ("Kondo", "近藤"),
    ("Murakami", "村上"), ("Endo", "遠藤"), ("Aoki", "青木"), ("Sakamoto", "坂本"),
    ("Saito", "斎藤"), ("Fukuda", "福田"), ("Ota", "太田"), ("Nishimura", "西村"),
    ("Fujii", "藤井"), ("Okamoto", "岡本"), ("Matsuda", "松田"), ("Nakagawa", "中川"),
]  # fmt: skip
JP_TRADES = [
    ("Precision", "精密"), ("Industries", "工業"), ("Electric", "電機"), ("Chemical", "化学"),
    ("Foods", "食品"), ("Dies", "金型"), ("Hydrogen Systems", "水素システム"),
    ("Works", "製作所"), ("Trading", "物産"), ("Shoji", "商事"), ("Machinery", "機械"),
    ("Electronics", "電子"), ("Logistics", "運輸"), ("Construction", "建設"),
    ("Textiles", "織物"), ("Auto Parts", "オートパーツ"), ("Smart Grid", "スマートグリッド"),
    ("Ceramics", "セラミックス"), ("Optical", "光学"), ("Metal", "金属"), ("Plastics", "樹脂"),
    ("Pharmaceutical", "製薬"), ("Brewery", "酒造"), ("Green Tea", "製茶"),
    ("Robotics", "ロボティクス"), ("Solar", "ソーラー"), ("Software", "ソフトウェア"),
    ("Aluminium Sash", "アルミサッシ"), ("Steel", "製鋼"), ("Paper", "製紙"),
]  # fmt: skip
JP_FORMS = [
    ("K.K.", "株式会社", "suffix"), ("Co., Ltd.", "株式会社", "prefix"),
    ("Corporation", "株式会社", "suffix"), ("Inc.", "株式会社", "prefix"),
    ("Y.K.", "有限会社", "suffix"), ("G.K.", "合同会社", "prefix"),
]  # fmt: skip
KANA = [
    ("ka", "カ"), ("ki", "キ"), ("ku", "ク"), ("ko", "コ"), ("sa", "サ"), ("shi", "シ"),
    ("su", "ス"), ("ta", "タ"), ("to", "ト"), ("na", "ナ"), ("ni", "ニ"), ("no", "ノ"),
    ("ha", "ハ"), ("hi", "ヒ"), ("fu", "フ"), ("ma", "マ"), ("mi", "ミ"), ("mo", "モ"),
    ("ra", "ラ"), ("ri", "リ"), ("ro", "ロ"), ("ya", "ヤ"), ("yo", "ヨ"), ("wa", "ワ"),
    ("te", "テ"), ("tsu", "ツ"), ("chi", "チ"), ("se", "セ"), ("ne", "ネ"), ("re", "レ"),
]  # fmt: skip
IN_FAMILIES = [
    ("Sharma", "शर्मा"), ("Patel", "पटेल"), ("Gupta", "गुप्ता"), ("Singh", "सिंह"),
    ("Reddy", "रेड्डी"), ("Iyer", "अय्यर"), ("Mehta", "मेहता"), ("Agarwal", "अग्रवाल"),
    ("Bajaj", "बजाज"), ("Kapoor", "कपूर"), ("Joshi", "जोशी"), ("Nair", "नायर"),
    ("Rao", "राव"), ("Desai", "देसाई"), ("Shah", "शाह"), ("Verma", "वर्मा"),
    ("Chopra", "चोपड़ा"), ("Malhotra", "मल्होत्रा"), ("Bhatia", "भाटिया"), ("Kumar", "कुमार"),
    ("Jain", "जैन"), ("Banerjee", "बनर्जी"), ("Mukherjee", "मुखर्जी"), ("Pillai", "पिल्लई"),
    ("Menon", "मेनन"), ("Chauhan", "चौहान"), ("Yadav", "यादव"), ("Thakur", "ठाकुर"),
    ("Kulkarni", "कुलकर्णी"), ("Deshpande", "देशपांडे"), ("Naidu", "नायडू"), ("Goel", "गोयल"),
]  # fmt: skip
IN_PLACES = [
    ("Pune", "पुणे"), ("Chennai", "चेन्नई"), ("Mumbai", "मुंबई"), ("Delhi", "दिल्ली"),
    ("Bengaluru", "बेंगलुरु"), ("Ahmedabad", "अहमदाबाद"), ("Hyderabad", "हैदराबाद"),
    ("Kolkata", "कोलकाता"), ("Jaipur", "जयपुर"), ("Surat", "सूरत"), ("Lucknow", "लखनऊ"),
    ("Nagpur", "नागपुर"), ("Indore", "इंदौर"), ("Coimbatore", "कोयंबटूर"), ("Kochi", "कोच्चि"),
    ("Vadodara", "वडोदरा"), ("Noida", "नोएडा"), ("Gurugram", "गुरुग्राम"), ("Rajkot", "राजकोट"),
    ("Ludhiana", "लुधियाना"), ("Kanpur", "कानपुर"), ("Bhopal", "भोपाल"), ("Nashik", "नासिक"),
    ("Aurangabad", "औरंगाबाद"), ("Visakhapatnam", "विशाखापत्तनम"), ("Mysuru", "मैसूरु"),
    ("Deccan", "दक्कन"), ("Western India", "पश्चिम भारत"), ("Bharat", "भारत"),
    ("Hindustan", "हिंदुस्तान"),
]  # fmt: skip
IN_TRADES = [
    ("Auto Components", "ऑटो कंपोनेंट्स"), ("Textiles", "टेक्सटाइल्स"), ("Pharma", "फार्मा"),
    ("Steel", "स्टील"), ("Foods", "फूड्स"), ("Solar Energy", "सोलर एनर्जी"),
    ("Infotech", "इन्फोटेक"), ("Engineering", "इंजीनियरिंग"), ("Logistics", "लॉजिस्टिक्स"),
    ("Chemicals", "केमिकल्स"), ("Agro Industries", "एग्रो इंडस्ट्रीज"), ("Motors", "मोटर्स"),
    ("Polymers", "पॉलिमर्स"), ("Electricals", "इलेक्ट्रिकल्स"), ("Tools", "टूल्स"),
    ("Forgings", "फोर्जिंग्स"), ("Castings", "कास्टिंग्स"), ("Exports", "एक्सपोर्ट्स"),
    ("Cables", "केबल्स"), ("Ceramics", "सिरेमिक्स"), ("Software", "सॉफ्टवेयर"),
    ("Spices", "मसाले"), ("Dairy", "डेयरी"), ("Packaging", "पैकेजिंग"),
    ("Renewables", "रिन्यूएबल्स"), ("Machine Tools", "मशीन टूल्स"), ("Bearings", "बेयरिंग्स"),
    ("Fertilisers", "फ़र्टिलाइज़र्स"), ("Cements", "सीमेंट्स"), ("Garments", "गारमेंट्स"),
]  # fmt: skip
IN_FORMS = [
    ("Pvt. Ltd.", "प्राइवेट लिमिटेड"), ("Private Limited", "प्राइवेट लिमिटेड"),
    ("Ltd", "लिमिटेड"), ("Limited", "लिमिटेड"), ("LLP", "एलएलपी"),
]  # fmt: skip
HI_SYLLABLES = [
    ("vi", "वि"), ("kra", "क्र"), ("ma", "म"), ("ra", "र"), ("ja", "ज"), ("sa", "स"),
    ("na", "न"), ("ta", "त"), ("pa", "प"), ("ka", "क"), ("la", "ल"), ("sha", "श"),
    ("de", "दे"), ("ro", "रो"), ("hi", "हि"), ("ni", "नि"), ("su", "सु"), ("dha", "ध"),
    ("ya", "य"), ("va", "व"), ("ga", "ग"), ("bha", "भ"), ("ti", "ति"), ("ru", "रु"),
]  # fmt: skip


@dataclass(frozen=True)
class Names:
    en: str
    ja: str
    hi: str
    country: str

    def as_list(self) -> list[str]:
        return [self.en, self.ja, self.hi]


def _coined_japanese(rng: random.Random) -> tuple[str, str]:
    syllables = rng.choices(KANA, k=rng.choice((2, 3, 3, 4)))
    return "".join(r for r, _ in syllables).capitalize(), "".join(k for _, k in syllables)


def _coined_indian(rng: random.Random) -> tuple[str, str]:
    syllables = rng.choices(HI_SYLLABLES, k=rng.choice((2, 3, 3)))
    return "".join(r for r, _ in syllables).capitalize(), "".join(h for _, h in syllables)


def japanese_company(rng: random.Random) -> Names:
    kind = rng.random()
    if kind < 0.4:
        head_en, head_ja = rng.choice(JP_PLACES)
    elif kind < 0.7:
        head_en, head_ja = rng.choice(JP_FAMILIES)
    else:
        head_en, head_ja = _coined_japanese(rng)
    if rng.random() < 0.35:  # "Kofu Yamada Precision", "甲府山田精密"
        second_en, second_ja = rng.choice(JP_FAMILIES if kind < 0.4 else JP_PLACES)
        head_en, head_ja = f"{head_en} {second_en}", f"{head_ja}{second_ja}"
    trade_en, trade_ja = rng.choice(JP_TRADES)
    form_en, form_ja, where = rng.choice(JP_FORMS)
    en = f"{head_en} {trade_en} {form_en}"
    ja = f"{form_ja}{head_ja}{trade_ja}" if where == "prefix" else f"{head_ja}{trade_ja}{form_ja}"
    shape = rng.random()
    if shape < 0.15:
        return Names("", ja, "", "JP")
    if shape < 0.25:
        return Names(en, "", "", "JP")
    return Names(en, ja, "", "JP")


def indian_company(rng: random.Random) -> Names:
    kind = rng.random()
    if kind < 0.45:
        head_en, head_hi = rng.choice(IN_FAMILIES)
    elif kind < 0.75:
        head_en, head_hi = rng.choice(IN_PLACES)
    else:
        head_en, head_hi = _coined_indian(rng)
    if rng.random() < 0.3:
        second_en, second_hi = rng.choice(IN_PLACES if kind < 0.45 else IN_FAMILIES)
        head_en, head_hi = f"{head_en} {second_en}", f"{head_hi} {second_hi}"
    trade_en, trade_hi = rng.choice(IN_TRADES)
    form_en, form_hi = rng.choice(IN_FORMS)
    en = f"{head_en} {trade_en} {form_en}"
    hi = f"{head_hi} {trade_hi} {form_hi}"
    return Names(en, "", hi if rng.random() < 0.5 else "", "IN")


@cache
def normalise(name: str) -> str:
    from setu.algorithms.names import normalise_name

    return normalise_name(name)


def directory_names(n: int, seed: int) -> tuple[list[Names], int]:
    """``n`` organisations with distinct names (60 % Japanese), the last ``PLANTED`` share of
    them near-duplicates of earlier ones, as members entering the same company would type it.
    Returns the names and how many distinct organisations come first."""
    rng = random.Random(seed)
    distinct = n - round(n * PLANTED)
    names: list[Names] = []
    seen: set[str] = set()
    while len(names) < distinct:
        item = japanese_company(rng) if rng.random() < 0.6 else indian_company(rng)
        keys = {normalise(name) for name in item.as_list() if name}
        if keys & seen:
            continue
        seen |= keys
        names.append(item)
    names += [near_duplicate(rng.choice(names[:distinct]), rng) for _ in range(n - distinct)]
    return names, distinct


# --------------------------------------------------------------------------- variants

_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}
_HEPBURN_TO_KUNREI = [("shi", "si"), ("chi", "ti"), ("tsu", "tu"), ("fu", "hu"), ("ji", "zi")]
_LONG = [("o", "ou"), ("u", "uu")]


def near_duplicate(names: Names, rng: random.Random) -> Names:
    """How another member would type the same organisation."""
    en, ja, hi = names.en, names.ja, names.hi
    choice = rng.randrange(7)
    if en:
        base = en
        for form in ("K.K.", "Co., Ltd.", "Corporation", "Inc.", "Y.K.", "G.K.", "Pvt. Ltd.",
                     "Private Limited", "Limited", "Ltd", "LLP"):  # fmt: skip
            base = base.removesuffix(" " + form)
        if choice == 0:
            en = base.upper() + " LIMITED"
        elif choice == 1:
            en = "".join(_FULL_WIDTH.get(ch, ch) for ch in base)
        elif choice == 2:
            for hepburn, kunrei in _HEPBURN_TO_KUNREI:
                base = base.replace(hepburn, kunrei)
            en = base + " Kabushiki Kaisha"
        elif choice == 3:
            for short, long in _LONG:
                base = base.replace(short, long, 1)
            en = base + " Co."
        elif choice == 4:
            en = unicodedata.normalize("NFC", base.replace("o", "ō", 1)) + " Ltd."
        else:
            en = base.replace(" ", "", 1) + " Pvt Ltd"
    if ja:
        bare = ja
        for form in ("株式会社", "有限会社", "合同会社"):
            bare = bare.replace(form, "")
        ja = rng.choice([f"㈱{bare}", f"{bare}（株）", f"株式会社{bare}", bare])
    if hi:
        hi = hi.replace("प्राइवेट लिमिटेड", "प्रा. लि.").replace("लिमिटेड", "लि.")
    if choice == 6 and ja:
        en = ""  # only the Japanese name is typed: the cross-script match must find it
    return Names(en, ja, hi, names.country)


def novel_names(rng: random.Random, count: int) -> list[Names]:
    """Organisations that are not in the directory (fresh coined brands)."""
    made: list[Names] = []
    while len(made) < count:
        if rng.random() < 0.6:
            head_en, head_ja = _coined_japanese(rng)
            head_en += rng.choice(["tec", "ex", "ion", "ark"])
            head_ja += rng.choice(["テック", "エックス", "イオン", "アーク"])
            trade_en, trade_ja = rng.choice(JP_TRADES)
            made.append(
                Names(f"{head_en} {trade_en} K.K.", f"{head_ja}{trade_ja}株式会社", "", "JP")
            )
        else:
            head_en, head_hi = _coined_indian(rng)
            head_en += rng.choice(["gen", "vex", "tron"])
            head_hi += rng.choice(["जेन", "वेक्स", "ट्रॉन"])
            trade_en, trade_hi = rng.choice(IN_TRADES)
            made.append(Names(f"{head_en} {trade_en} Ltd", "", f"{head_hi} {trade_hi}", "IN"))
    return made


# --------------------------------------------------------------------------- database


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    conninfo = url.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(statement)


def _configure(database: str, postgres: str, var_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["SETU_VAR_DIR"] = str(var_dir)
    os.environ["DEBUG"] = "false"  # no query log
    if database == "postgres":
        os.environ["DATABASE_URL"] = f"{postgres.rstrip('/')}/{PG_DATABASE}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"


def _timed(label: str, action: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = action()
    print(f"  {label}: {time.perf_counter() - start:.1f} s", flush=True)
    return result


def _populate(names: list[Names]) -> dict[str, Any]:
    """Bulk-create the directory; return the users and the id of each generated name."""
    from setu.accounts.models import Membership, Role, User
    from setu.algorithms.names import key_tokens
    from setu.core.models import Visibility
    from setu.directory.models import NameToken, Organisation, OrganisationKind

    rng = random.Random(7)
    secretariat = Organisation.objects.create(
        kind=OrganisationKind.SECRETARIAT, name_en="Consortium Secretariat", country="JP"
    )
    members = [
        Organisation.objects.create(
            kind=OrganisationKind.MEMBER_PREFECTURE, name_en=f"{place} Prefecture", country="JP"
        )
        for place, _ in JP_PLACES[:9]
    ]
    secretariat_user = User.objects.create_user("secretariat@bench.example")
    officer = User.objects.create_user("officer@bench.example")
    Membership.objects.create(
        user=secretariat_user, organisation=secretariat, role=Role.SECRETARIAT
    )
    Membership.objects.create(user=officer, organisation=members[0], role=Role.PREFECTURE_OFFICER)
    visibilities = (
        [Visibility.PARTNERS] * 5 + [Visibility.CONSORTIUM] * 3 + [Visibility.PRIVATE] * 2
    )
    ids: list[int] = []
    batch = 5000
    for start in range(0, len(names), batch):
        chunk = names[start : start + batch]
        organisations = [
            Organisation(
                kind=OrganisationKind.COMPANY,
                name_en=item.en,
                name_ja=item.ja,
                name_hi=item.hi,
                original_language="ja" if item.ja and not item.en else "en",
                country=item.country,
                visibility=rng.choice(visibilities),
                managed_by=rng.choice(members) if item.country == "JP" else None,
                name_key=normalise(item.en or item.ja or item.hi)[:300],
            )
            for item in chunk
        ]
        created = Organisation.objects.bulk_create(organisations)
        ids += [organisation.pk for organisation in created]
        tokens = [
            NameToken(organisation_id=organisation.pk, token=token)
            for organisation, item in zip(created, chunk, strict=True)
            for token in sorted(
                {t for name in item.as_list() if name for t in key_tokens(normalise(name))}
            )
        ]
        NameToken.objects.bulk_create(tokens, batch_size=10_000)
        print(f"    {start + len(chunk):,} organisations", end="\r", flush=True)
    print()
    return {"secretariat": secretariat_user, "officer": officer, "ids": ids}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(args: argparse.Namespace) -> int:
    report = Reporter("directory_duplicates")
    var_dir = Path(tempfile.mkdtemp(prefix="setu-bench-dup-"))
    _configure(args.database, args.postgres, var_dir)
    if args.database == "postgres":
        _postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        _postgres_admin(args.postgres, f"CREATE DATABASE {PG_DATABASE}")
    try:
        _bench(args, report)
    finally:
        from django.db import connections

        connections.close_all()
        if args.database == "postgres":
            _postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


def _bench(args: argparse.Namespace, report: Reporter) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rapidfuzz import fuzz, process

    from setu.algorithms.names import best_similarity, normalise_name
    from setu.directory import duplicates
    from setu.directory.models import NameToken, Organisation

    print(f"\n=== {connection.vendor}: {args.n:,} organisations ===", flush=True)
    if hasattr(os, "getloadavg"):
        print(f"  load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    _timed("migrate", lambda: call_command("migrate", verbosity=0))
    names, distinct = _timed(
        "generate distinct names", lambda: directory_names(args.n, seed=args.seed)
    )
    built = _timed("bulk create organisations and name tokens", lambda: _populate(names))
    if connection.vendor == "postgresql":
        # The steady state of a live database, where autovacuum has set the visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE directory_nametoken")
            cursor.execute("VACUUM ANALYZE directory_organisation")
    tokens = NameToken.objects.count()
    print(
        f"  {Organisation.objects.count():,} organisations ({args.n - distinct:,} of them planted"
        f" near-duplicates), {tokens:,} name tokens"
    )

    rng = random.Random(args.seed + 1)
    half = args.queries // 2
    # Near-duplicates of records the checking user may see (another member's private record is
    # rightly never suggested).
    visible = set(
        Organisation.objects.visible_to(built["secretariat"]).values_list("pk", flat=True)
    )
    originals = rng.sample([i for i in range(distinct) if built["ids"][i] in visible], half)
    queries: list[tuple[Names, int | None]] = [
        (near_duplicate(names[i], rng), built["ids"][i]) for i in originals
    ]
    queries += [(item, None) for item in novel_names(rng, args.queries - half)]
    rng.shuffle(queries)
    user = built["secretariat"]

    for warm, _ in queries[:5]:
        duplicates.find_candidates(names=warm.as_list(), user=user)
    times: list[float] = []
    best_times: list[float] = []
    found = expected = alarms = 0
    for item, original in queries:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            candidates = duplicates.find_candidates(names=item.as_list(), user=user)
            runs.append((time.perf_counter() - start) * 1000)
        times.append(runs[0])
        best_times.append(min(runs))
        ids = {candidate.organisation.pk for candidate in candidates}
        if original is not None:
            expected += 1
            found += original in ids
        elif candidates:
            alarms += 1
    p50, p95 = statistics.median(times), _percentile(times, 0.95)
    print(
        f"  find_candidates (index + rapidfuzz on ≤{duplicates.CANDIDATE_POOL}): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms over {len(times)} checks"
    )
    print(
        f"    the same checks, best of 3 (less noise from other processes): "
        f"p50 {statistics.median(best_times):.1f} ms, p95 {_percentile(best_times, 0.95):.1f} ms"
    )
    print(
        f"  near-duplicates found: {found}/{expected}; novel names with a false alarm: "
        f"{alarms}/{len(queries) - expected}"
    )

    # Baseline: every name of every organisation, scored in Python.
    def load() -> list[tuple[int, list[str]]]:
        rows = Organisation.objects.values_list("pk", "name_en", "name_ja", "name_hi")
        return [(pk, [n for n in (en, ja, hi) if n]) for pk, en, ja, hi in rows.iterator()]

    rows = _timed("baseline: load all names", load)
    keyed = _timed(
        "baseline: normalise all names (once, not counted below)",
        lambda: [(pk, [normalise_name(n) for n in ns]) for pk, ns in rows],
    )
    sample = queries[: args.baseline_queries]
    scan_times: list[float] = []
    scan_found = 0
    for item, _ in sample:
        start = time.perf_counter()
        keys = [normalise_name(n) for n in item.as_list() if n]
        scored = [(pk, best_similarity(keys, theirs)) for pk, theirs in keyed]
        shown = sorted(
            (s for s in scored if s[1] >= duplicates.MATCH_THRESHOLD), key=lambda s: -s[1]
        )
        scan_found += bool(shown[:5])
        scan_times.append((time.perf_counter() - start) * 1000)
    scan_p50 = statistics.median(scan_times)
    print(
        f"  baseline, plain Python scan over all {len(keyed):,} names: p50 {scan_p50:.0f} ms "
        f"over {len(scan_times)} checks → the indexed check is {scan_p50 / p50:.0f}× faster"
    )
    en_keys = [keys[0] if keys else "" for _, keys in keyed]
    ja_keys = [keys[-1] if keys else "" for _, keys in keyed]
    c_times: list[float] = []
    for item, _ in sample:
        start = time.perf_counter()
        for key in (normalise_name(n) for n in item.as_list() if n):
            for choices in (en_keys, ja_keys):
                process.extract(
                    key, choices, scorer=fuzz.token_sort_ratio, limit=5,
                    score_cutoff=duplicates.MATCH_THRESHOLD,
                )  # fmt: skip
        c_times.append((time.perf_counter() - start) * 1000)
    c_p50 = statistics.median(c_times)
    print(
        f"  baseline, rapidfuzz process.extract (C loop) over the same keys: p50 {c_p50:.0f} ms"
        f" → {c_p50 / p50:.1f}× the indexed check"
    )
    vendor = connection.vendor
    report.check(
        f"find_candidates p95, {args.n:,} organisations ({vendor})",
        p95,
        unit="ms",
        target=TARGET_MS,
        baseline=_percentile(scan_times, 0.95),
        baseline_name="Python scan",
    )
    report.check(
        f"planted near-duplicates found ({vendor})",
        100.0 * found / expected if expected else float("nan"),
        unit="%",
        target=TARGET_FOUND,
        better="higher",
    )
    report.check(
        f"novel names with a false alarm ({vendor})",
        100.0 * alarms / (len(queries) - expected) if len(queries) > expected else 0.0,
        unit="%",
        target=TARGET_FALSE_ALARMS,
    )

    from django.core.cache import cache

    cache.clear()
    start = time.perf_counter()
    pairs = duplicates.likely_duplicate_pairs(user=user)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    duplicates.likely_duplicate_pairs(user=user)
    warm_ms = (time.perf_counter() - start) * 1000
    print(
        f"  secretariat's likely-duplicate pairs over the directory: {len(pairs):,} pairs, "
        f"cold {cold:.1f} s, cached {warm_ms:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--baseline-queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.database != "both":
        return run(args)
    failures = 0
    for database in ("sqlite", "postgres"):
        if database == "postgres" and not _postgres_answers(args.postgres):
            print(f"\nPostgreSQL at {args.postgres} does not answer; skipped.")
            continue
        done = subprocess.run(  # one process per database: settings read DATABASE_URL once
            [sys.executable, __file__, "--database", database, *_without_database(sys.argv[1:])],
            check=False,
        )
        failures += done.returncode != 0
    return 1 if failures else 0


def _without_database(argv: list[str]) -> Iterator[str]:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--database":
            skip = True
            continue
        if arg.startswith("--database="):
            continue
        yield arg


def _postgres_answers(url: str) -> bool:
    try:
        import psycopg

        conninfo = url.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
        with psycopg.connect(conninfo, connect_timeout=3):
            return True
    except Exception:  # any failure means "no PostgreSQL here"
        return False


if __name__ == "__main__":
    sys.exit(main())

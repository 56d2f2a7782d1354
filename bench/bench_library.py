"""Benchmark the library's trilingual search on SQLite FTS5 and PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/bench_library.py [--n 100000] [--backend both|sqlite|postgres]

For each backend the bench creates a throwaway database (a temporary SQLite file; the
PostgreSQL database ``setu_bench_library`` on DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432), migrates it, generates ``--n`` records of mixed
Japanese, English and Hindi text (seeded, Zipf-like word frequencies), tokenises them in
parallel and bulk-indexes them, then times a fixed set of 30 queries for two users (an
officer, who reads consortium records, and a partner) through the real ``SearchBackend``:
permission filter in SQL, ranking, page of 20, total count and snippets. The baseline is the
naive scan a first version would write: ``icontains`` per word on the same rows, with the same
permission filter, ordering and count. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _support import Reporter  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "setu_bench_library"
TARGET_P95_MS = 50.0  # one search, as a reader waits for results


def _words(text: str) -> list[str]:
    return text.split()


JA_NOUNS = _words(
    "部品 自動車 中小企業 水素 太陽光発電 風力発電 蓄電池 半導体 食品加工 市場 輸出 輸入 投資 "
    "協力 技術 製造 工場 金型 鋳造 電解装置 燃料電池 電気自動車 二輪車 物流 港湾 鉄道 "
    "スマートシティ "
    "上下水道 農業 緑茶 果物 冷凍 包装 品質 検査 研修 人材 留学生 大学 研究 会議 覚書 協定 "
    "セミナー 展示会 商談会 訪問団 静岡県 山梨県 富山県 岩手県 鳥取県 宮城県 インド "
    "グジャラート州 "
    "マハーラーシュトラ州 タミル・ナードゥ州 ムンバイ デリー チェンナイ ベンガルール "
    "価格 需要 供給 "
    "規制 補助金 関税 認証 合弁 販売 代理店 顧客 契約 見積 納期 設計 試作 量産"
)
JA_VERBS = _words("進める 拡大する 検討する 紹介する 支援する 開発する 提供する 締結する 開催する")
EN_WORDS = _words(
    "solar wind hydrogen energy storage battery automotive components parts supplier market "
    "export import investment cooperation technology manufacturing factory die casting "
    "electrolyser fuel cell electric vehicle two-wheeler logistics port railway smart city "
    "water agriculture tea fruit cold chain packaging quality inspection training talent "
    "student university research council memorandum agreement seminar exhibition meeting "
    "delegation Shizuoka Yamanashi Toyama Gujarat Maharashtra Tamil Nadu Mumbai Delhi Chennai "
    "Bengaluru price demand supply regulation subsidy tariff certification joint venture sales "
    "distributor customer contract quotation delivery design prototype production tender policy "
    "capacity grid transmission renewable semiconductor software services outsourcing"
)
HI_WORDS = _words(
    "सौर पवन हाइड्रोजन ऊर्जा भंडारण बैटरी वाहन पुर्ज़े आपूर्तिकर्ता बाज़ार निर्यात आयात निवेश सहयोग "
    "प्रौद्योगिकी विनिर्माण कारख़ाना इलेक्ट्रोलाइज़र विद्युत परिवहन बंदरगाह रेलवे स्मार्ट शहर जल कृषि "
    "चाय फल शीत भंडारण पैकेजिंग गुणवत्ता प्रशिक्षण छात्र विश्वविद्यालय अनुसंधान परिषद समझौता संगोष्ठी "
    "प्रदर्शनी बैठक प्रतिनिधिमंडल गुजरात महाराष्ट्र तमिलनाडु मुंबई दिल्ली चेन्नई बेंगलुरु मूल्य मांग "
    "आपूर्ति नियम सब्सिडी शुल्क प्रमाणन संयुक्त उद्यम बिक्री वितरक ग्राहक अनुबंध नीति क्षमता नवीकरणीय "
    "खाद्य प्रसंस्करण जापानी कंपनियों अवसर"
)
HI_GLUE = _words("में और के लिए का की से है पर")

QUERIES = [
    # Japanese
    "部品", "自動車部品", "中小企業", "水素", "太陽光発電", "静岡県 輸出", "食品加工", "蓄電池",
    "半導体 協力", "市場 需要",
    # English
    "solar", "energy storage", "hydrogen", "automotive components", "Gujarat", "food processing",
    "smart city", "investment seminar", "compon", "electrolyser",
    # Hindi
    "ऊर्जा", "नवीकरणीय ऊर्जा", "गुजरात", "सौर", "निवेश", "खाद्य प्रसंस्करण",
    # mixed and rare
    "部品 components", "solar 太陽光", "Tamil Nadu 投資", "zeolite",
]  # fmt: skip


def zipf_choice(rng: random.Random, words: list[str], k: int) -> list[str]:
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(words))]
    return rng.choices(words, weights=weights, k=k)


def japanese_sentence(rng: random.Random) -> str:
    a, b, c = zipf_choice(rng, JA_NOUNS, 3)
    return f"{a}の{b}は{c}を{rng.choice(JA_VERBS)}。"


def english_sentence(rng: random.Random) -> str:
    return " ".join(zipf_choice(rng, EN_WORDS, rng.randint(6, 12))).capitalize() + "."


def hindi_sentence(rng: random.Random) -> str:
    words = zipf_choice(rng, HI_WORDS, rng.randint(5, 9))
    return " ".join(f"{w} {rng.choice(HI_GLUE)}" for w in words) + "।"


def make_record(i: int) -> tuple[str, str, str]:
    """(language, title, body) for record ``i``: deterministic, ~250-400 characters."""
    rng = random.Random(i * 7919 + 17)
    language = rng.choices(["ja", "en", "hi", "mixed"], weights=[40, 35, 20, 5])[0]
    makers = {"ja": japanese_sentence, "en": english_sentence, "hi": hindi_sentence}
    chosen = list(makers) if language == "mixed" else [language]
    sentences = [makers[rng.choice(chosen)](rng) for _ in range(rng.randint(4, 8))]
    title = sentences[0][:60]
    return language, title, " ".join(sentences[1:])


def tokenise(record: tuple[str, str, str]) -> tuple[str, str]:
    from setu.algorithms.text import index_text

    _language, title, body = record
    return index_text(title), index_text(f"{title}\n{body}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def child(n: int, label: str) -> int:
    """Runs inside the throwaway database (DATABASE_URL set by the parent)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.db.models import Count, Q, Window

    from setu.accounts.models import Membership, Role, User
    from setu.core.models import Visibility
    from setu.directory.models import Organisation, Sector
    from setu.library.models import SearchEntry
    from setu.library.search.backends import IndexEntry, get_backend
    from setu.library.search.registry import IndexDocument

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"[{label}] migrated in {time.perf_counter() - started:.0f} s", flush=True)

    prefectures = [
        Organisation.objects.create(
            kind="member_prefecture", name_en=f"Prefecture {i}", country="JP"
        )
        for i in range(9)
    ]
    companies = [
        Organisation.objects.create(
            kind="company", name_en=f"Company {i}", country="JP", managed_by=prefectures[i % 9]
        )
        for i in range(60)
    ]
    chamber = Organisation.objects.create(kind="chamber", name_en="Chamber", country="IN")
    owners = prefectures + companies + [chamber]
    officer = User.objects.create_user("officer@bench.example")
    Membership.objects.create(
        user=officer, organisation=prefectures[0], role=Role.PREFECTURE_OFFICER
    )
    partner = User.objects.create_user("partner@bench.example")
    Membership.objects.create(user=partner, organisation=chamber, role=Role.PARTNER)
    sector_ids = list(Sector.objects.filter(level="division").values_list("pk", flat=True))

    records = [make_record(i) for i in range(n)]
    started = time.perf_counter()
    with Pool(os.cpu_count() or 2) as pool:
        tokens = pool.map(tokenise, records, chunksize=500)
    tokenised = time.perf_counter() - started

    rng = random.Random(42)
    visibilities = [
        Visibility.PUBLIC,
        Visibility.PARTNERS,
        Visibility.CONSORTIUM,
        Visibility.PRIVATE,
    ]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    backend = get_backend()
    started = time.perf_counter()
    batch: list[IndexEntry] = []
    for i, ((language, title, body), (title_tokens, body_tokens)) in enumerate(
        zip(records, tokens, strict=True)
    ):
        owner = rng.choice(owners)
        document = IndexDocument(
            title={"en": title},
            body=body,
            language=language,
            owner_id=owner.pk,
            managed_by_id=owner.managed_by_id,
            visibility=rng.choices(visibilities, weights=[30, 30, 20, 20])[0],
            url=f"/bench/{i}/",
            date=base - timedelta(minutes=i),
            kind="report",
            sector_ids=rng.sample(sector_ids, 2),
        )
        batch.append(
            IndexEntry(f"bench.doc:{i}", "bench.doc", str(i), document, title_tokens, body_tokens)
        )
        if len(batch) == 2000:
            backend.index(batch)
            batch = []
    backend.index(batch)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    backend.optimize()
    optimised = time.perf_counter() - started
    print(
        f"[{label}] {n:,} records: tokenised in {tokenised:.1f} s ({os.cpu_count()} processes), "
        f"written in {inserted:.1f} s, optimised in {optimised:.1f} s; "
        f"index build {tokenised + inserted + optimised:.1f} s",
        flush=True,
    )

    def naive(query: str, user: Any) -> int:
        queryset = SearchEntry.objects.visible_to(user)
        for word in query.split():
            queryset = queryset.filter(Q(title_en__icontains=word) | Q(text__icontains=word))
        rows = list(
            queryset.annotate(total=Window(Count("id")))
            .only("key", "title_en", "text", "date")
            .order_by("-date", "-id")[:20]
        )
        return int(getattr(rows[0], "total", 0)) if rows else 0

    def timed(search: Any, query: str, user: Any, repeats: int = 5) -> tuple[list[float], int]:
        times: list[float] = []
        total = 0
        for _ in range(repeats):
            started = time.perf_counter()
            total = search(query, user)
            times.append((time.perf_counter() - started) * 1000)
        return times, total

    def indexed(query: str, user: Any) -> int:
        return backend.search(query, user, limit=20).total

    for query in QUERIES:  # warm caches (tokeniser dictionary, database pages)
        indexed(query, officer)
    fts_times: list[float] = []
    naive_times: list[float] = []
    print(f"[{label}] {'query':<24} {'hits':>7} {'p50 ms':>8} {'naive hits':>10} {'naive ms':>9}")
    for query in QUERIES:
        row_fts: list[float] = []
        row_naive: list[float] = []
        hits = naive_hits = 0
        for user in (officer, partner):
            times, hits = timed(indexed, query, user)
            row_fts += times
            times, naive_hits = timed(naive, query, user, repeats=2)
            row_naive += times
        fts_times += row_fts
        naive_times += row_naive
        print(
            f"[{label}] {query:<24} {hits:>7,} {statistics.median(row_fts):>8.1f} "
            f"{naive_hits:>10,} {statistics.median(row_naive):>9.1f}",
            flush=True,
        )
    reset_queries()
    p50, p95 = percentile(fts_times, 0.5), percentile(fts_times, 0.95)
    n50, n95 = percentile(naive_times, 0.5), percentile(naive_times, 0.95)
    print(
        f"[{label}] RESULT {connection.vendor}: n={n:,} p50={p50:.1f} ms p95={p95:.1f} ms "
        f"; naive icontains "
        f"p50={n50:.1f} ms p95={n95:.1f} ms; ratio naive/indexed p50 {n50 / p50:.0f}x, "
        f"p95 {n95 / p95:.0f}x",
        flush=True,
    )
    report = Reporter("library")
    report.check(
        f"search p95, {n:,} records ({connection.vendor})",
        p95,
        unit="ms",
        target=TARGET_P95_MS,
        baseline=n95,
        baseline_name="naive icontains",
    )
    return report.finish()


def run_child(n: int, label: str, database_url: str, var_dir: str) -> int:
    env = dict(os.environ, DATABASE_URL=database_url, SETU_VAR_DIR=var_dir, DEBUG="false")
    return subprocess.call(
        [sys.executable, __file__, "--child", label, "--n", str(n)], env=env, cwd=ROOT
    )


def postgres_admin(statement: str, server: str) -> None:
    import psycopg

    with psycopg.connect(
        f"{server.replace('postgres://', 'postgresql://')}/postgres", autocommit=True
    ) as conn:
        conn.execute(statement)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--postgres", default=PG_SERVER, help="server URL without a database")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.n, args.child)
    code = 0
    with tempfile.TemporaryDirectory(prefix="setu-bench-library-") as tmp:
        if args.backend in ("both", "sqlite"):
            code |= run_child(args.n, "sqlite", f"sqlite:///{tmp}/bench.sqlite3", tmp)
        if args.backend in ("both", "postgres"):
            postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}", args.postgres)
            postgres_admin(f"CREATE DATABASE {PG_DATABASE}", args.postgres)
            try:
                code |= run_child(args.n, "postgresql", f"{args.postgres}/{PG_DATABASE}", tmp)
            finally:
                postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)", args.postgres)
    return code


if __name__ == "__main__":
    sys.exit(main())

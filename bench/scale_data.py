"""A large, realistic, synthetic directory for benchmarks and load tests.

``generate_scale_data`` writes organisations (mostly Japanese and Indian companies, some
universities, agencies and chambers), their ISIC divisions, the duplicate-search keys and
tokens, and people, in bulk: ``bulk_create`` in batches, one transaction per batch, no
per-row ``save()`` and no audit entries (nobody acted; the rows are fixtures).

Names are built from place names, surnames, coined brand syllables and the industry words of
each sector, in three scripts: Japanese companies in kanji/kana with a romanised or translated
English name, Indian ones in English and Devanagari. The word lists are data, in
``bench/data/scale_words.json``. The same seed gives the same records, in the same order,
whatever the database already holds (apart from the ids).

It belongs to the benchmarks, not to the app: ``bench/bench_directory.py`` imports it, and the
management command ``generate_scale_data`` (setu/directory/management/commands) loads it from
this folder of a checkout. Django must be set up before it is imported.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import operator
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from django.db import transaction

from setu.algorithms.names import name_tokens, normalise_name
from setu.core.models import Visibility
from setu.directory.focal import focal_bit
from setu.directory.maintenance import directory_tables, update_planner_statistics
from setu.directory.models import (
    City,
    FocalSector,
    NameToken,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    Sector,
)
from setu.directory.sme import is_sme

WORDS_FILE = Path(__file__).resolve().parent / "data" / "scale_words.json"

# --- Vocabulary (bench/data/scale_words.json) ---------------------------------------------


class Word(NamedTuple):
    native: str
    kana: str
    romaji: str
    english: str


class Template(NamedTuple):
    en: str
    native: str
    kana: str = ""


class SectorGroup(NamedTuple):
    codes: tuple[str, ...]
    jp_words: tuple[Word, ...]
    in_words: tuple[Word, ...]
    tails: tuple[Word, ...]  # what may follow the industry word: 工業, 製作所, ...


def _words(rows: list[list[str]]) -> tuple[Word, ...]:
    return tuple(Word(*row) for row in rows)


_DATA: dict[str, Any] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
_WORDS = {name: _words(rows) for name, rows in _DATA["words"].items()}
JAPANESE_PLACES = _WORDS["JAPANESE_PLACES"]
JAPANESE_AUSPICIOUS = _WORDS["JAPANESE_AUSPICIOUS"]
JAPANESE_SURNAMES = _WORDS["JAPANESE_SURNAMES"]
JAPANESE_GIVEN_NAMES = _WORDS["JAPANESE_GIVEN_NAMES"]
# Coined brand names of two parts: サン + テック → サンテック, Santec.
COINED_FIRST = _WORDS["COINED_FIRST"]
COINED_SECOND = _WORDS["COINED_SECOND"]
MAKER_TAILS = _WORDS["MAKER_TAILS"]
SERVICE_TAILS = _WORDS["SERVICE_TAILS"]
INDIAN_BRAND_WORDS = _WORDS["INDIAN_BRAND_WORDS"]
INDIAN_PLACES = _WORDS["INDIAN_PLACES"]
INDIAN_SURNAMES = _WORDS["INDIAN_SURNAMES"]
INDIAN_DEVOTIONAL = _WORDS["INDIAN_DEVOTIONAL"]
INDIAN_QUALIFIERS = _WORDS["INDIAN_QUALIFIERS"]
INDIAN_GIVEN_NAMES = _WORDS["INDIAN_GIVEN_NAMES"]
# (Japanese, English renderings, may stand before the name, weight)
JAPANESE_LEGAL_FORMS: tuple[tuple[str, tuple[str, ...], bool, int], ...] = tuple(
    (native, tuple(english), before, weight)
    for native, english, before, weight in _DATA["japanese_legal_forms"]
)
# (English, Hindi, weight)
INDIAN_LEGAL_FORMS: tuple[tuple[str, str, int], ...] = tuple(
    (english, hindi, weight) for english, hindi, weight in _DATA["indian_legal_forms"]
)
_TAILS = {"maker": MAKER_TAILS, "service": SERVICE_TAILS, "none": ()}


def _group(data: dict[str, Any]) -> SectorGroup:
    return SectorGroup(
        codes=tuple(data["codes"]),
        jp_words=_words(data["jp_words"]),
        in_words=_words(data["in_words"]),
        tails=_TAILS[data["tails"]],
    )


SECTOR_GROUPS = tuple(_group(group) for group in _DATA["sector_groups"])
DEFAULT_GROUP = _group(_DATA["default_group"])
_GROUP_BY_CODE = {code: group for group in SECTOR_GROUPS for code in group.codes}


def group_of(code: str) -> SectorGroup:
    return _GROUP_BY_CODE.get(code, DEFAULT_GROUP)


# First-sector weights: the focal sectors (automotive components, renewable energy, food
# processing, IT, smart cities) dominate, as in the consortium's own directory; 0 for what
# companies do not do (public administration, membership bodies, households, ...).
SECTOR_WEIGHTS: dict[str, int] = dict(_DATA["sector_weights"])


def sme_industry(code: str) -> str:
    """The SME Basic Act's industry group of an ISIC division."""
    number = int(code)
    if number in (45, 46):
        return "wholesale"
    if number == 47:
        return "retail"
    return "services" if number >= 55 else "manufacturing"


INSTITUTION_TEMPLATES: dict[tuple[str, str], tuple[Template, ...]] = {
    (entry["kind"], entry["country"]): tuple(Template(*t) for t in entry["templates"])
    for entry in _DATA["institution_templates"]
}
TITLES: dict[str, tuple[str, ...]] = {kind: tuple(t) for kind, t in _DATA["titles"].items()}
# Landline area prefixes after +81 (the first digits of the nine-digit national number).
JAPANESE_AREA_PREFIXES: dict[str, str] = dict(_DATA["japanese_area_prefixes"])
# STD codes after +91 (national numbers are ten digits).
INDIAN_AREA_CODES: dict[str, str] = dict(_DATA["indian_area_codes"])
INDIAN_MOBILE_STARTS: tuple[str, ...] = tuple(_DATA["indian_mobile_starts"])
SLUG_STOP_WORDS = frozenset(_DATA["slug_stop_words"])


# --- Generator ----------------------------------------------------------------------------

SYNTHETIC_NOTE = "Synthetic record generated by generate_scale_data (seed {seed})."

# Share of the generated organisations by kind; the rest are companies.
KIND_SHARES = (
    (OrganisationKind.CHAMBER, 0.02),
    (OrganisationKind.AGENCY, 0.01),
    (OrganisationKind.ACADEMIC, 0.015),
)
JAPANESE_SHARE = 0.6
# How members share the companies they register; a member not listed weighs 10.
MEMBER_WEIGHTS = {"JP-22": 16, "JP-28": 16, "JP-04": 12, "JP-16": 11, "JP-19": 9, "JP-38": 8}
# Where Indian organisations are, by ISO 3166-2 code; a state not listed weighs 0.5.
INDIAN_REGION_WEIGHTS = {
    "IN-MH": 18, "IN-KA": 12, "IN-TN": 12, "IN-GJ": 10, "IN-DL": 8, "IN-TS": 7, "IN-UP": 6,
    "IN-HR": 5, "IN-WB": 4, "IN-RJ": 4, "IN-AP": 3, "IN-KL": 3, "IN-MP": 3, "IN-PB": 2,
    "IN-OD": 2,
}  # fmt: skip
COMPANY_VISIBILITY = (
    (Visibility.PARTNERS, 70), (Visibility.PRIVATE, 15),
    (Visibility.CONSORTIUM, 10), (Visibility.PUBLIC, 5),
)  # fmt: skip
INSTITUTION_VISIBILITY = (
    (Visibility.PUBLIC, 60), (Visibility.PARTNERS, 35), (Visibility.CONSORTIUM, 5),
)  # fmt: skip
PERSON_VISIBILITY = (
    (Visibility.PARTNERS, 40), (Visibility.PRIVATE, 35),
    (Visibility.CONSORTIUM, 20), (Visibility.PUBLIC, 5),
)  # fmt: skip

ProgressCallback = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ScaleResult:
    organisations: int
    sector_links: int
    name_tokens: int
    people: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.organisations + self.sector_links + self.name_tokens + self.people

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class _Names(NamedTuple):
    en: str
    ja: str
    kana: str
    hi: str
    en_stem: str  # the English name without its legal form, case-folded
    native_stem: str  # the Japanese or Hindi name without its legal form


@dataclass(frozen=True, slots=True)
class _Org:
    """What the people generator needs to know of an organisation already written."""

    pk: int
    country: str
    region_id: str | None
    managed_by_id: int | None
    kind: str
    domain: str


class _Weighted(Generic[T]):
    """A seeded weighted choice: bisect on cumulative weights (rng.choices re-sums them)."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cumulative = list(itertools.accumulate(weight for _, weight in items))

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.values[min(index, len(self.values) - 1)]


class _World:
    """Reference rows the generator draws from, read once."""

    def __init__(self) -> None:
        members = list(
            Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
            .exclude(region=None)
            .order_by("region_id", "id")
        )
        if not members:
            from setu.directory.demo import load_directory_demo

            load_directory_demo()
            members = list(
                Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
                .exclude(region=None)
                .order_by("region_id", "id")
            )
        self.members = _Weighted([(m, MEMBER_WEIGHTS.get(m.region_id or "", 10)) for m in members])
        regions = list(Region.objects.order_by("code"))
        self.regions = {region.code: region for region in regions}
        self.japanese_regions = [r.code for r in regions if r.country == "JP"]
        self.indian_regions = _Weighted(
            [(r.code, INDIAN_REGION_WEIGHTS.get(r.code, 0.5)) for r in regions if r.country == "IN"]
        )
        self.cities: dict[str, list[City]] = {}
        for city in City.objects.order_by("key"):
            self.cities.setdefault(city.region_id or "", []).append(city)
        self.sectors = {s.code: s for s in Sector.objects.filter(level="division")}
        # focal_groups of an organisation from its divisions (setu/directory/focal.py)
        self.focal_bits: dict[str, int] = {}
        for focal_id, code in FocalSector.sectors.through.objects.values_list(
            "focalsector_id", "sector__code"
        ):
            self.focal_bits[code] = self.focal_bits.get(code, 0) | focal_bit(focal_id)
        codes = sorted(self.sectors)
        self.divisions = _Weighted([(c, SECTOR_WEIGHTS.get(c, 1)) for c in codes])


def _ascii_slug(text: str, words: int = 2) -> str:
    parts = ["".join(ch for ch in word if ch.isascii() and ch.isalnum()) for word in text.split()]
    kept = [p.lower() for p in parts if p and p.lower() not in SLUG_STOP_WORDS]
    return "-".join(kept[:words]) or "org"


class _Generator:
    def __init__(self, seed: int, world: _World) -> None:
        self.rng = random.Random(seed)  # synthetic data, reproducible on purpose
        self.seed = seed
        self.world = world
        # Name stems (no legal form) already given: uniqueness without normalise_name's cost.
        self.seen_stems: set[str] = set()
        self.duplicates = 0
        self.kinds = _Weighted(
            [
                *KIND_SHARES,
                (OrganisationKind.COMPANY, 1 - sum(share for _, share in KIND_SHARES)),
            ]
        )
        self.company_visibility = _Weighted(COMPANY_VISIBILITY)
        self.institution_visibility = _Weighted(INSTITUTION_VISIBILITY)
        self.person_visibility = _Weighted(PERSON_VISIBILITY)
        self.japanese_legal = _Weighted([(f, f[3]) for f in JAPANESE_LEGAL_FORMS])
        self.indian_legal = _Weighted([(f, f[2]) for f in INDIAN_LEGAL_FORMS])
        self.offers = {code: sector.name_en for code, sector in world.sectors.items()}
        self.note = SYNTHETIC_NOTE.format(seed=seed)

    # --- organisations ------------------------------------------------------------------

    def organisation(self) -> tuple[Organisation, list[str]]:
        """One unsaved organisation and its ISIC division codes."""
        rng = self.rng
        kind = self.kinds.pick(rng)
        japanese = rng.random() < JAPANESE_SHARE
        country = "JP" if japanese else "IN"
        manager: Organisation | None = None
        if japanese:
            manager = self._pick_member()
            home = manager.region_id or "JP-13"
            region = home if rng.random() < 0.8 else rng.choice(self.world.japanese_regions)
            if kind != OrganisationKind.COMPANY:
                manager = manager if rng.random() < 0.5 else None
        else:
            region = self.world.indian_regions.pick(rng)
            # Most Indian records were registered by a member prefecture's officer.
            manager = self._pick_member() if rng.random() < 0.6 else None
        cities = self.world.cities.get(region, [])
        city = rng.choice(cities) if cities and rng.random() < 0.85 else None
        codes = self._sectors(kind)
        names = self._unique_names(kind, japanese, codes, region, city)
        name_en, name_ja, name_kana, name_hi = names.en, names.ja, names.kana, names.hi
        employees, capital, currency, industry = self._size(kind, japanese, codes[0])
        capital_jpy = capital if currency == "JPY" else None
        visibility = (
            self.company_visibility if kind == OrganisationKind.COMPANY
            else self.institution_visibility
        ).pick(rng)  # fmt: skip
        domain = f"{_ascii_slug(name_en)}.example"
        organisation = Organisation(
            kind=kind,
            name_en=name_en,
            name_ja=name_ja,
            name_ja_kana=name_kana,
            name_hi=name_hi,
            original_language="ja" if japanese else "en",
            country=country,
            region_id=region,
            city=city,
            website=f"https://www.{domain}",
            description_en=self.note,
            offers="; ".join(self.offers[c] for c in codes if c in self.offers),
            employees=employees,
            capital=capital,
            capital_currency=currency,
            sme_industry=industry,
            # The rule of services.organisation_refresh_derived, applied in bulk.
            is_sme=(
                is_sme(industry=industry, capital_jpy=capital_jpy, employees=employees)
                if country == "JP"
                else None
            ),
            managed_by=manager,
            visibility=visibility,
            focal_groups=functools.reduce(
                operator.or_, (self.world.focal_bits.get(c, 0) for c in codes), 0
            ),
            name_key=normalise_name(name_en or name_ja or name_hi)[:300],
        )
        return organisation, codes

    def _pick_member(self) -> Organisation:
        return self.world.members.pick(self.rng)

    def _sectors(self, kind: str) -> list[str]:
        rng = self.rng
        if kind == OrganisationKind.ACADEMIC:
            return ["85", "72"] if rng.random() < 0.4 else ["85"]
        if kind == OrganisationKind.AGENCY:
            return ["84"]
        first = self.world.divisions.pick(rng)
        codes = [first]
        extra = 2 if rng.random() < 0.15 else 1 if rng.random() < 0.45 else 0
        group = group_of(first)
        for _ in range(extra):
            candidates = group.codes if rng.random() < 0.6 else tuple(self.world.sectors)
            code = rng.choice(candidates)
            if code in self.world.sectors and code not in codes:
                codes.append(code)
        if kind == OrganisationKind.CHAMBER:
            codes.insert(0, "94")
        return [c for c in codes if c in self.world.sectors]

    def _unique_names(
        self, kind: str, japanese: bool, codes: list[str], region: str, city: City | None
    ) -> _Names:
        """Names no earlier record of this run has; a look-alike is kept after many tries."""
        for _ in range(60):
            names = self._names(kind, japanese, codes, region, city)
            if names.en_stem not in self.seen_stems and names.native_stem not in self.seen_stems:
                break
        else:
            self.duplicates += 1
        self.seen_stems.add(names.en_stem)
        self.seen_stems.add(names.native_stem)
        return names

    def _place(self, kind: str, japanese: bool, region: str, city: City | None) -> Word:
        """A place for an institution's name: its city, its region, or a nearby landmark."""
        rng = self.rng
        if japanese:
            if city is not None and rng.random() < 0.3:
                return Word(city.name_ja, "", city.name_en, city.name_en)
            return rng.choice(JAPANESE_PLACES)
        if city is not None and rng.random() < 0.35:
            return Word(city.name_hi, "", city.name_en, city.name_en)
        if rng.random() < 0.15:
            state = self.world.regions[region]
            return Word(state.name_hi, "", state.name_en, state.name_en)
        if kind == OrganisationKind.ACADEMIC and rng.random() < 0.4:
            # "Sri Venkateswara College of Engineering", "Ashoka Institute of Science"
            return rng.choice(INDIAN_DEVOTIONAL + INDIAN_BRAND_WORDS)
        return rng.choice(INDIAN_PLACES)

    def _names(
        self, kind: str, japanese: bool, codes: list[str], region: str, city: City | None
    ) -> _Names:
        rng = self.rng
        if kind == OrganisationKind.COMPANY:
            group = group_of(codes[0])
            return self._japanese_company(group) if japanese else self._indian_company(group)
        place = self._place(kind, japanese, region, city)
        # A chamber speaks for its members' industry; others name any industry they serve.
        code = codes[1] if len(codes) > 1 and kind == OrganisationKind.CHAMBER else None
        industry_group = group_of(code or self.world.divisions.pick(rng))
        industry = rng.choice(industry_group.jp_words if japanese else industry_group.in_words)
        template = rng.choice(INSTITUTION_TEMPLATES[(kind, "JP" if japanese else "IN")])
        if japanese:
            en = template.en.format(place=place.romaji, industry=industry.english)
            ja = template.native.format(place=place.native, industry=industry.native)
            kana = template.kana.format(place=place.kana, industry=industry.kana)
            return _Names(en, ja, kana if place.kana else "", "", en.casefold(), ja)
        en = template.en.format(place=place.english, industry=industry.english)
        hi = template.native.format(place=place.native, industry=industry.native)
        return _Names(en, "", "", hi, en.casefold(), hi)

    def _japanese_company(self, group: SectorGroup) -> _Names:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            head = rng.choice(JAPANESE_PLACES)
        elif roll < 0.7:
            first, second = rng.choice(COINED_FIRST), rng.choice(COINED_SECOND)
            head = Word(
                first.native + second.native,
                first.kana + second.kana,
                first.romaji + second.romaji.lower(),
                first.romaji + second.romaji.lower(),
            )
        elif roll < 0.9:
            head = rng.choice(JAPANESE_SURNAMES)
        else:
            head = rng.choice(JAPANESE_AUSPICIOUS)
        word = rng.choice(group.jp_words)
        parts = [head, word]
        if group.tails and rng.random() < 0.55:
            tail = rng.choice(group.tails)
            if tail.english != word.english:
                parts.append(tail)
        legal_ja, legal_en_choices, prefix, _weight = self.japanese_legal.pick(rng)
        stem = "".join(p.native for p in parts)
        ja = f"{legal_ja}{stem}" if prefix and rng.random() < 0.35 else f"{stem}{legal_ja}"
        kana = "".join(p.kana for p in parts)
        romanised = rng.random() < 0.55
        words = " ".join(
            [parts[0].romaji] + [p.romaji if romanised else p.english for p in parts[1:]]
        )
        return _Names(
            f"{words} {rng.choice(legal_en_choices)}", ja, kana, "", words.casefold(), stem
        )

    def _indian_company(self, group: SectorGroup) -> _Names:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            head = rng.choice(INDIAN_BRAND_WORDS)
        elif roll < 0.6:
            head = rng.choice(INDIAN_PLACES)
        elif roll < 0.85:
            head = rng.choice(INDIAN_SURNAMES)
        else:
            head = rng.choice(INDIAN_DEVOTIONAL)
        en_words, hi_words = [head.english], [head.native]
        if roll < 0.6 and rng.random() < 0.3:  # "New Deccan", not "New Mehta"
            qualifier = rng.choice(INDIAN_QUALIFIERS)
            en_words.insert(0, qualifier.english)
            hi_words.insert(0, qualifier.native)
        word = rng.choice(group.in_words)
        en_words.append(word.english)
        hi_words.append(word.native)
        if rng.random() < 0.12:
            en_words.append("India")
            hi_words.append("इंडिया")
        legal_en, legal_hi, _weight = self.indian_legal.pick(rng)
        en, hi = " ".join(en_words), " ".join(hi_words)
        return _Names(f"{en} {legal_en}", "", "", f"{hi} {legal_hi}", en.casefold(), hi)

    def _size(
        self, kind: str, japanese: bool, code: str
    ) -> tuple[int | None, Decimal | None, str, str]:
        """Regular employees, capital, its currency, and the SME Basic Act industry group."""
        currency = "JPY" if japanese else "INR"
        if kind != OrganisationKind.COMPANY:
            return None, None, currency, ""
        rng = self.rng
        median = 45 if japanese else 80
        employees: int | None = max(
            1, min(80_000, round(rng.lognormvariate(math.log(median), 1.3)))
        )
        assert employees is not None
        # Capital grows with the workforce; Japanese SMEs cluster at round figures.
        per_head = 1_000_000 if japanese else 400_000
        raw = employees * per_head * rng.lognormvariate(0, 0.9)
        step = 10 ** max(0, int(math.log10(max(raw, 1))) - 1)
        capital: Decimal | None = Decimal(max(step, round(raw / step) * step))
        if rng.random() < 0.08:
            employees = None
        if rng.random() < 0.1:
            capital = None
        return employees, capital, currency, sme_industry(code)

    # --- people -------------------------------------------------------------------------

    def person(self, organisation: _Org) -> Person:
        rng = self.rng
        japanese_org = organisation.country == "JP"
        japanese = rng.random() < (0.93 if japanese_org else 0.05)
        if japanese:
            surname = rng.choice(JAPANESE_SURNAMES)
            given = rng.choice(JAPANESE_GIVEN_NAMES)
            latin = f"{given.romaji} {surname.romaji}"
            native = f"{surname.native} {given.native}"
            language = "ja"
            first, last = given.romaji, surname.romaji
        else:
            first_word = rng.choice(INDIAN_GIVEN_NAMES)
            last_word = rng.choice(INDIAN_SURNAMES)
            latin = f"{first_word.english} {last_word.english}"
            native = f"{first_word.native} {last_word.native}"
            language = "hi" if rng.random() < 0.35 else "en"
            first, last = first_word.english, last_word.english
        email = ""
        if rng.random() < 0.95:
            local = rng.choice(
                (f"{first}.{last}", f"{first[0]}.{last}", last, f"{first}{last[0]}")
            ).lower()
            local = "".join(ch for ch in local if ch.isalnum() or ch == ".")
            email = f"{local}@{organisation.domain}"
        phone = ""
        if rng.random() < 0.9:
            phone = self._phone(organisation.region_id, japanese_org)
        titles = TITLES.get(organisation.kind, TITLES[OrganisationKind.COMPANY])
        owner_id = organisation.pk
        if organisation.managed_by_id is not None and rng.random() < 0.7:
            owner_id = organisation.managed_by_id
        return Person(
            organisation_id=organisation.pk,
            owner_id=owner_id,
            visibility=self.person_visibility.pick(rng),
            name_latin=latin,
            name_native=native,
            title=rng.choice(titles),
            email=email,
            phone=phone,
            preferred_language=language,
        )

    def _phone(self, region: str | None, japanese: bool) -> str:
        """An E.164 number: a landline in the organisation's area, or a mobile."""
        rng = self.rng
        if japanese:
            if rng.random() < 0.35:
                return f"+81{rng.choice('987')}0{rng.randint(1, 9)}{rng.randrange(10**7):07d}"
            prefix = JAPANESE_AREA_PREFIXES.get(region or "", "35")
            return f"+81{prefix}{rng.randrange(10 ** (9 - len(prefix))):0{9 - len(prefix)}d}"
        if rng.random() < 0.5:
            start = rng.choice(INDIAN_MOBILE_STARTS)
            return f"+91{start}{rng.randrange(10**8):08d}"
        area = INDIAN_AREA_CODES.get(region or "", "11")
        digits = 10 - len(area) - 1
        return f"+91{area}{rng.choice('24')}{rng.randrange(10**digits):0{digits}d}"


def generate_scale_data(
    *,
    organisations: int,
    people: int,
    seed: int = 1,
    batch: int = 5000,
    progress: ProgressCallback | None = None,
) -> ScaleResult:
    """Write ``organisations`` organisations and ``people`` people; return the row counts.

    Creates the demo members first when the database has none. Each batch is one transaction,
    so an interrupted run leaves whole batches behind, never half an organisation. Ends with
    ANALYZE of the directory's tables, so that the planner knows what it holds.
    """
    started = time.perf_counter()
    generator = _Generator(seed, _World())
    through = Organisation.sectors.through
    sector_ids = {code: sector.pk for code, sector in generator.world.sectors.items()}
    written: list[_Org] = []
    counts = {"links": 0, "tokens": 0, "people": 0}

    def report(label: str, done: int, total: int) -> None:
        if progress is None:
            return
        elapsed = time.perf_counter() - started
        rows = len(written) + sum(counts.values())
        progress(f"{label} {done:,}/{total:,}: {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s")

    for start in range(0, organisations, batch):
        drafts = [generator.organisation() for _ in range(min(batch, organisations - start))]
        with transaction.atomic():
            created = Organisation.objects.bulk_create([org for org, _ in drafts], batch_size=batch)
            links: list[Any] = []  # rows of the sectors through-model
            tokens: list[NameToken] = []
            for organisation, (_draft, codes) in zip(created, drafts, strict=True):
                pk = organisation.pk
                assert pk is not None, "bulk_create returns primary keys on SQLite and PostgreSQL"
                links.extend(through(organisation_id=pk, sector_id=sector_ids[c]) for c in codes)
                words = {
                    token[:100]
                    for name in (organisation.name_en, organisation.name_ja, organisation.name_hi)
                    for token in name_tokens(name)
                }
                tokens.extend(NameToken(organisation_id=pk, token=word) for word in sorted(words))
                written.append(
                    _Org(
                        pk=pk,
                        country=organisation.country,
                        region_id=organisation.region_id,
                        managed_by_id=organisation.managed_by_id,
                        kind=organisation.kind,
                        domain=organisation.website.removeprefix("https://www."),
                    )
                )
            through.objects.bulk_create(links, batch_size=batch, ignore_conflicts=True)
            NameToken.objects.bulk_create(tokens, batch_size=batch, ignore_conflicts=True)
        counts["links"] += len(links)
        counts["tokens"] += len(tokens)
        report("organisations", len(written), organisations)

    for start in range(0, people if written else 0, batch):
        size = min(batch, people - start)
        rows = [generator.person(generator.rng.choice(written)) for _ in range(size)]
        with transaction.atomic():
            Person.objects.bulk_create(rows, batch_size=batch)
        counts["people"] += size
        report("people", counts["people"], people)
    if generator.duplicates and progress is not None:
        progress(f"{generator.duplicates:,} organisations share a name with an earlier one.")
    analysed = time.perf_counter()
    update_planner_statistics(directory_tables())
    if progress is not None:
        progress(f"Planner statistics (ANALYZE) in {time.perf_counter() - analysed:.1f} s.")
    return ScaleResult(
        organisations=len(written),
        sector_links=counts["links"],
        name_tokens=counts["tokens"],
        people=counts["people"],
        seconds=time.perf_counter() - started,
    )

"""The national-scale activity on top of the synthetic directory (bench/scale_data.py).

``generate_activity`` makes every Japanese prefecture a member (47) and writes events hosted by
them in Indian and Japanese cities, guests' registrations with their attendees, documents with
extracted text in English, Japanese and Hindi, and B2B matchmaking with meeting requests. In
bulk: ``bulk_create`` in batches, one transaction per batch, no audit entries, no emails (the
rows are fixtures). The same seed gives the same records in the same order, apart from the
secret tokens and ticket codes, which stay random (they must be unique across runs).

Seats are never oversold: a registration goes only to an event with a seat left, and each
event's ``seats_taken`` is set from its confirmed attendees at the end. Document files are not
written (the rows name ``scale/…`` paths); their text is in ``extracted_text`` and in the search
index, which is rebuilt at the end.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count

from setu.directory.models import City, Organisation, OrganisationKind, Region
from setu.events.models import Attendee, Event, EventKind, Registration, RegistrationStatus
from setu.library.models import Document, DocumentVersion, ExtractionStatus
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant, Side

ProgressCallback = Callable[[str], None]

# Dates spread around a fixed day, not today: the same seed gives the same rows any day.
EPOCH = datetime(2026, 4, 1, tzinfo=UTC)
EVENT_VISIBILITY = (("public", 5), ("consortium", 2), ("partners", 2), ("private", 1))
DOCUMENT_VISIBILITY = (("public", 3), ("consortium", 3), ("partners", 3), ("private", 1))
PARTICIPANTS_PER_MATCHMAKING = 120

SENTENCES = {
    "en": [
        "The {place} cluster is looking for partners in {industry}.",
        "Investment in {industry} grew again this year, led by small and medium enterprises.",
        "Delegations from {place} met suppliers of {industry} and agreed on pilot orders.",
        "The state offers land, single-window clearance and subsidies for {industry}.",
        "Market brief: demand for {industry} in {place} and how Japanese SMEs can enter.",
    ],
    "ja": [
        "{place}の{industry}分野では、インドの企業との連携を求めています。",
        "{industry}への投資は今年も増加し、中小企業がけん引しました。",
        "{place}からの訪問団が{industry}の取引先と面談し、試験発注で合意しました。",
        "州政府は{industry}向けに用地、ワンストップ窓口、補助金を用意しています。",
    ],
    "hi": [
        "{place} क्लस्टर {industry} में साझेदार खोज रहा है।",
        "इस वर्ष {industry} में निवेश फिर बढ़ा, जिसका नेतृत्व लघु और मध्यम उद्यमों ने किया।",
        "{place} से आए प्रतिनिधिमंडल ने {industry} के आपूर्तिकर्ताओं से मुलाकात की।",
        "राज्य {industry} के लिए भूमि, एकल खिड़की मंज़ूरी और सब्सिडी देता है।",
    ],
}
INDUSTRY_NAMES = {
    "en": ["renewable energy", "hydrogen", "auto components", "food processing", "IT services",
           "smart cities", "machine tools", "textiles", "pharmaceuticals", "logistics"],
    "ja": ["再生可能エネルギー", "水素", "自動車部品", "食品加工", "ITサービス", "スマートシティ",
           "工作機械", "繊維", "医薬品", "物流"],
    "hi": ["नवीकरणीय ऊर्जा", "हाइड्रोजन", "ऑटो कलपुर्ज़े", "खाद्य प्रसंस्करण", "आईटी सेवाएँ",
           "स्मार्ट सिटी", "मशीन टूल्स", "वस्त्र", "औषधि", "लॉजिस्टिक्स"],
}  # fmt: skip
KIND_WORDS = {
    EventKind.DELEGATION: ("Business delegation", "ビジネス訪問団"),
    EventKind.SEMINAR: ("Investment seminar", "投資セミナー"),
    EventKind.NETWORKING: ("Networking evening", "交流会"),
    EventKind.FESTIVAL: ("Japan festival", "日本祭り"),
    EventKind.WEBINAR: ("Webinar", "ウェビナー"),
}


@dataclass(frozen=True)
class ActivityResult:
    members: int
    events: int
    registrations: int
    documents: int
    matchmakings: int
    participants: int
    requests: int
    seconds: float


def _places(name: str) -> Any:
    """A word list of bench/scale_data.py (imported by name: bench/ is no package to mypy)."""
    return getattr(importlib.import_module("bench.scale_data"), name)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def ensure_national_members() -> list[Organisation]:
    """Every Japanese prefecture becomes a member prefecture (47); returns them by region."""
    have = set(
        Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE).values_list(
            "region_id", flat=True
        )
    )
    Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.MEMBER_PREFECTURE,
            name_en=f"{region.name_en} Prefectural Government",
            name_ja=region.name_ja,
            name_ja_kana=region.name_ja_kana,
            original_language="ja",
            country="JP",
            region=region,
            visibility="public",
        )
        for region in Region.objects.filter(country="JP").order_by("code")
        if region.code not in have
    )
    return list(
        Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
        .exclude(region=None)
        .order_by("region_id", "pk")
    )


class _Activity:
    def __init__(self, seed: int, batch: int, progress: ProgressCallback | None) -> None:
        self.rng = random.Random(f"setu-activity-{seed}")
        self.seed = seed
        self.batch = batch
        self.progress = progress
        self.started = time.perf_counter()
        self.members = ensure_national_members()
        self.cities = list(City.objects.order_by("key"))
        self.companies = {
            country: list(
                Organisation.objects.filter(
                    kind=OrganisationKind.COMPANY, country=country
                ).values_list("pk", flat=True)
            )
            for country in ("JP", "IN")
        }

    def report(self, label: str, done: int, total: int) -> None:
        if self.progress is not None:
            elapsed = time.perf_counter() - self.started
            self.progress(f"{label} {done:,}/{total:,}: {elapsed:.1f} s")

    def industry(self) -> int:
        return self.rng.randrange(len(INDUSTRY_NAMES["en"]))

    # --- events and registrations ---------------------------------------------------------

    def events(self, count: int) -> list[tuple[int, int]]:
        """Write ``count`` events; return (pk, capacity) of each."""
        made: list[tuple[int, int]] = []
        kinds = list(KIND_WORDS)
        for start in range(0, count, self.batch):
            rows = []
            for _ in range(min(self.batch, count - start)):
                host = self.rng.choice(self.members)
                city = self.rng.choice(self.cities)
                kind = self.rng.choice(kinds)
                which = self.industry()
                en, ja = KIND_WORDS[kind]
                starts = EPOCH + timedelta(
                    days=self.rng.randint(-365, 365), hours=self.rng.randint(1, 10)
                )
                rows.append(
                    Event(
                        owner=host,
                        kind=kind,
                        title_en=f"{en}: {INDUSTRY_NAMES['en'][which]}, {city.name_en}",
                        title_ja=(
                            f"{INDUSTRY_NAMES['ja'][which]}{ja}（{city.name_ja or city.name_en}）"
                        ),
                        city=city,
                        time_zone=city.timezone,
                        venue=f"{city.name_en} Convention Centre",
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=self.rng.choice([2, 3, 4, 8])),
                        capacity=self.rng.choice([50, 100, 150, 200, 300, 500]),
                        requires_approval=False,
                        visibility=_weighted(self.rng, EVENT_VISIBILITY),
                    )
                )
            with transaction.atomic():
                created = Event.objects.bulk_create(rows, batch_size=self.batch)
            made.extend((int(e.pk), int(e.capacity or 0)) for e in created)
            self.report("events", len(made), count)
        return made

    def registrations(self, count: int, events: list[tuple[int, int]]) -> int:
        seats = {pk: capacity for pk, capacity in events}
        open_events = [pk for pk, capacity in events if capacity > 0]
        written = 0
        while written < count and open_events:
            size = min(self.batch, count - written)
            registrations: list[Registration] = []
            picked: list[int] = []
            for n in range(size):
                while open_events:
                    index = self.rng.randrange(len(open_events))
                    pk = open_events[index]
                    if seats[pk] > 0:
                        break
                    open_events[index] = open_events[-1]
                    open_events.pop()
                else:
                    break
                seats[pk] -= 1
                cancelled = self.rng.random() < 0.05
                number = written + n
                registrations.append(
                    Registration(
                        event_id=pk,
                        status=RegistrationStatus.CANCELLED
                        if cancelled
                        else RegistrationStatus.CONFIRMED,
                        name=f"Guest {number}",
                        email=f"scale-{self.seed}-{number}@example.org",
                        country=self.rng.choice(["IN", "JP"]),
                        language=self.rng.choice(["en", "ja", "hi"]),
                        time_zone="Asia/Kolkata",
                        email_confirmed_at=EPOCH,
                        confirmed_at=EPOCH,
                        cancelled_at=EPOCH if cancelled else None,
                    )
                )
                picked.append(pk)
            if not registrations:
                break
            with transaction.atomic():
                created = Registration.objects.bulk_create(registrations, batch_size=self.batch)
                Attendee.objects.bulk_create(
                    (
                        Attendee(
                            registration_id=r.pk,
                            event_id=r.event_id,
                            name=r.name,
                            email=r.email,
                            active=r.status == RegistrationStatus.CONFIRMED,
                        )
                        for r in created
                    ),
                    batch_size=self.batch,
                )
            written += len(created)
            self.report("registrations", written, count)
        # One GROUP BY, then the counters in batches: a correlated subquery per event would
        # scan the attendees once per event before the planner has statistics on them.
        taken = dict(
            Attendee.objects.filter(active=True, registration__status=RegistrationStatus.CONFIRMED)
            .filter(event_id__in=[pk for pk, _ in events])
            .values("event_id")
            .annotate(n=Count("pk"))
            .values_list("event_id", "n")
        )
        Event.objects.bulk_update(
            [Event(pk=pk, seats_taken=taken.get(pk, 0)) for pk, _ in events],
            ["seats_taken"],
            batch_size=self.batch,
        )
        return written

    # --- documents --------------------------------------------------------------------------

    def document_text(self, language: str, paragraphs: int) -> str:
        places = _places("JAPANESE_PLACES" if language == "ja" else "INDIAN_PLACES")
        lines = []
        for _ in range(paragraphs):
            place = self.rng.choice(places)
            name = place.native if language != "en" else place.english
            which = self.industry()
            template = self.rng.choice(SENTENCES[language])
            lines.append(template.format(place=name, industry=INDUSTRY_NAMES[language][which]))
        return "\n".join(lines)

    def documents(self, count: int) -> int:
        owners = [m.pk for m in self.members] + self.companies["JP"][:5000]
        written = 0
        for start in range(0, count, self.batch):
            size = min(self.batch, count - start)
            drafts = []
            for _ in range(size):
                language = self.rng.choices(["en", "ja", "hi"], weights=[5, 4, 1])[0]
                which = self.industry()
                drafts.append(
                    (
                        Document(
                            owner_id=self.rng.choice(owners),
                            visibility=_weighted(self.rng, DOCUMENT_VISIBILITY),
                            kind="report",
                            language=language,
                            title_en=f"Market brief: {INDUSTRY_NAMES['en'][which]} "
                            f"{self.rng.randint(1, 9999)}",
                            title_ja=f"市場概況：{INDUSTRY_NAMES['ja'][which]}",
                            created_at=EPOCH - timedelta(days=self.rng.randint(0, 1500)),
                            updated_at=EPOCH,
                        ),
                        self.document_text(language, self.rng.randint(3, 12)),
                    )
                )
            with transaction.atomic():
                documents = Document.objects.bulk_create(
                    [d for d, _ in drafts], batch_size=self.batch
                )
                versions = DocumentVersion.objects.bulk_create(
                    (
                        DocumentVersion(
                            document_id=document.pk,
                            number=1,
                            file=f"scale/{self.seed}/{document.pk}.txt",
                            original_name=f"brief-{document.pk}.txt",
                            extension="txt",
                            file_kind="text",
                            content_type="text/plain",
                            size=len(text.encode()),
                            uploaded_at=document.created_at,
                            extraction_status=ExtractionStatus.DONE,
                            extracted_text=text,
                            extracted_at=document.created_at,
                        )
                        for document, (_, text) in zip(documents, drafts, strict=True)
                    ),
                    batch_size=self.batch,
                )
                for document, version in zip(documents, versions, strict=True):
                    document.current_version_id = version.pk
                Document.objects.bulk_update(documents, ["current_version"], batch_size=self.batch)
            written += size
            self.report("documents", written, count)
        return written

    # --- matchmaking --------------------------------------------------------------------------

    def matchmaking(self, requests: int, events: list[tuple[int, int]]) -> tuple[int, int, int]:
        if not requests or not events or not (self.companies["JP"] and self.companies["IN"]):
            return 0, 0, 0
        per_event = PARTICIPANTS_PER_MATCHMAKING
        # Each matchmaking holds at most (per_event/2)^2 pairs; use a third of them.
        wanted = max(1, -(-requests * 3 // ((per_event // 2) ** 2)))
        chosen = self.rng.sample([pk for pk, _ in events], min(wanted, len(events)))
        with transaction.atomic():
            matchmakings = Matchmaking.objects.bulk_create(
                Matchmaking(event_id=pk, tables=30) for pk in chosen
            )
            participants: list[Participant] = []
            for mm in matchmakings:
                for side, pool in (
                    (Side.JP, self.companies["JP"]),
                    (Side.IN, self.companies["IN"]),
                ):
                    for org in self.rng.sample(pool, min(per_event // 2, len(pool))):
                        participants.append(
                            Participant(
                                matchmaking=mm,
                                organisation_id=org,
                                side=side,
                                offers="Components and know-how",
                                needs="Partners and distributors",
                            )
                        )
            participants = Participant.objects.bulk_create(participants, batch_size=self.batch)
        by_mm: dict[int, dict[str, list[int]]] = {}
        for p in participants:
            by_mm.setdefault(p.matchmaking_id, {}).setdefault(p.side, []).append(int(p.pk))
        written = 0
        seen: set[tuple[int, str]] = set()
        mm_ids = sorted(by_mm)
        while written < requests:
            rows = []
            for _ in range(min(self.batch, requests - written)):
                mm_id = self.rng.choice(mm_ids)
                a = self.rng.choice(by_mm[mm_id][Side.JP])
                b = self.rng.choice(by_mm[mm_id][Side.IN])
                requester, recipient = (a, b) if self.rng.random() < 0.6 else (b, a)
                key = MeetingRequest.key_for(requester, recipient)
                if (mm_id, key) in seen:
                    continue
                seen.add((mm_id, key))
                rows.append(
                    MeetingRequest(
                        matchmaking_id=mm_id,
                        requester_id=requester,
                        recipient_id=recipient,
                        pair_key=key,
                        message="We would like to discuss supply and joint development.",
                        status=self.rng.choices(
                            ["pending", "accepted", "declined"], weights=[3, 5, 2]
                        )[0],
                    )
                )
            with transaction.atomic():
                MeetingRequest.objects.bulk_create(rows, batch_size=self.batch)
            written += len(rows)
            self.report("meeting requests", written, requests)
        return len(matchmakings), len(participants), written


def generate_activity(
    *,
    events: int,
    registrations: int,
    documents: int,
    requests: int,
    seed: int = 1,
    batch: int = 5000,
    index: bool = True,
    progress: ProgressCallback | None = None,
) -> ActivityResult:
    """Write the activity of a national network; see the module's docstring."""
    activity = _Activity(seed, batch, progress)
    made = activity.events(events)
    registered = activity.registrations(registrations, made)
    documented = activity.documents(documents)
    matchmakings, participants, asked = activity.matchmaking(requests, made)
    if index and (events or documents):
        from setu.library.search import indexing

        indexed_at = time.perf_counter()
        count = indexing.rebuild()
        if progress is not None:
            progress(
                f"Search index: {count:,} records in {time.perf_counter() - indexed_at:.1f} s."
            )
    return ActivityResult(
        members=len(activity.members),
        events=len(made),
        registrations=registered,
        documents=documented,
        matchmakings=matchmakings,
        participants=participants,
        requests=asked,
        seconds=time.perf_counter() - activity.started,
    )


def national_counts() -> dict[str, Any]:
    """Issue 18's national-scale dataset."""
    return {
        "organisations": 100_000,
        "people": 300_000,
        "events": 5_000,
        "registrations": 500_000,
        "documents": 100_000,
        "requests": 50_000,
    }

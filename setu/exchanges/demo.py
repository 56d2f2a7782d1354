"""Exchanges demo: a round coordinated by Shizuoka with four programmes, fictional students'
applications (a minor with a guardian's confirmed consent, another still waiting), reviewers'
scores and a published placement run.

Every person and programme here is invented. Dates are relative to the day of loading; the
application window is open. Loading again changes nothing (the round is found by its title).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import Membership, Role, User
from setu.core.models import Visibility
from setu.directory.models import Organisation
from setu.exchanges import services
from setu.exchanges.models import (
    ExchangeRound,
    GuardianConsent,
    PlacementRun,
    Programme,
    ScoreMethod,
    StudyLevel,
)
from setu.exchanges.tasks import run_placement

ROUND_TITLE = "Japan–India Student Exchange 2027 (demo)"
# (host key, English title, Japanese title, level, language, min level, places, ages, fee)
PROGRAMMES = [
    ("San'in Institute of Technology", "Summer school in robotics engineering",
     "ロボット工学サマースクール", StudyLevel.UNDERGRADUATE, "en", 3, 2, (None, None),
     (Decimal(60000), "JPY")),
    ("Bengaluru Institute of Applied Sciences", "Software and society in Bengaluru",
     "ベンガルールのソフトウェアと社会", StudyLevel.UNDERGRADUATE, "en", 4, 2, (None, None),
     (Decimal(15000), "INR")),
    ("JP-22", "High-school homestay in Shizuoka", "静岡県 高校生ホームステイ",
     StudyLevel.HIGH_SCHOOL, "ja", 1, 3, (15, 18), (Decimal(0), "JPY")),
    ("JP-31", "Tottori dune science camp", "鳥取砂丘サイエンスキャンプ",
     StudyLevel.HIGH_SCHOOL, "en", 2, 1, (15, 18), (Decimal(0), "JPY")),
]  # fmt: skip
# (email local part, name, native name, age in years, level, JLPT, English, choices by index)
STUDENTS = [
    ("student", "Arjun Mehta", "अर्जुन मेहता", 20, StudyLevel.UNDERGRADUATE, 2, 5, [1, 0]),
    ("student.kavya", "Kavya Iyer", "काव्या अय्यर", 21, StudyLevel.UNDERGRADUATE, 3, 5, [0, 1]),
    ("student.rohan", "Rohan Gupta", "रोहन गुप्ता", 19, StudyLevel.UNDERGRADUATE, 1, 4, [0, 1]),
    ("student.meera", "Meera Pillai", "मीरा पिल्लई", 22, StudyLevel.UNDERGRADUATE, 0, 6, [1, 0]),
    ("student.sana", "Sana Qureshi", "सना क़ुरैशी", 20, StudyLevel.UNDERGRADUATE, 2, 4, [0]),
    ("student.ananya", "Ananya Rao", "अनन्या राव", 16, StudyLevel.HIGH_SCHOOL, 2, 3, [2, 3]),
    ("student.vivaan", "Vivaan Shah", "विवान शाह", 16, StudyLevel.HIGH_SCHOOL, 1, 3, [3, 2]),
    ("student.isha", "Isha Nair", "ईशा नायर", 17, StudyLevel.HIGH_SCHOOL, 1, 2, [2]),
]
DEMO_DOMAIN = "demo.setu.example"


def _born(age: int, today: date) -> date:
    return today.replace(year=today.year - age) - timedelta(days=40)


def _student(local: str, name: str, native: str, school: Organisation) -> User:
    user = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
    if user is None:
        user = User.objects.create_user(
            f"{local}@{DEMO_DOMAIN}", password=None, full_name=name, native_name=native
        )
    if not user.memberships.exists():  # the demo's own student keeps their institute
        Membership.objects.create(user=user, organisation=school, role=Role.STUDENT)
    return user


@transaction.atomic
def load_exchanges_demo(by_key: dict[str, Organisation]) -> int:
    if ExchangeRound.objects.filter(title_en=ROUND_TITLE).exists():
        return 0
    shizuoka = by_key.get("JP-22")
    school = by_key.get("Bengaluru Institute of Applied Sciences")
    officer = User.objects.filter(
        memberships__organisation=shizuoka, memberships__role=Role.PREFECTURE_OFFICER
    ).first()
    if shizuoka is None or school is None or officer is None:
        return 0
    today = timezone.localdate()
    round_ = services.round_create(
        actor=officer,
        owner=shizuoka,
        data={
            "title_en": ROUND_TITLE,
            "title_ja": "日印学生交流 2027（デモ）",
            "title_hi": "भारत–जापान छात्र आदान-प्रदान 2027 (डेमो)",
            "description": "Fictional demo round: four programmes placed together.",
            "visibility": Visibility.PUBLIC,
        },
    )
    programmes: list[Programme] = []
    for host_key, title_en, title_ja, level, language, min_level, places, ages, fee in PROGRAMMES:
        host = by_key.get(host_key, shizuoka)
        data: dict[str, Any] = {
            "round": round_,
            "title_en": title_en,
            "title_ja": title_ja,
            "title_hi": "",
            "description": "A fictional programme of the demo network.",
            "host": host,
            "partner": school if host != school else by_key.get("San'in Institute of Technology"),
            "starts_on": today + timedelta(days=120),
            "ends_on": today + timedelta(days=141),
            "places": places,
            "level": level,
            "min_age": ages[0],
            "max_age": ages[1],
            "language": language,
            "min_language_level": min_level,
            "fee_amount": fee[0],
            "fee_currency": fee[1],
            "scholarship": "Two travel grants of JPY 100,000",
            "criteria": "Motivation, academic record, references",
            "opens_on": today - timedelta(days=14),
            "closes_on": today + timedelta(days=30),
            "score_method": ScoreMethod.MANUAL if level == StudyLevel.HIGH_SCHOOL else "average",
            "visibility": Visibility.PUBLIC,
        }
        programmes.append(services.programme_create(actor=officer, owner=shizuoka, data=data))
    for local, name, native, age, level, jlpt, english, picks in STUDENTS:
        student = _student(local, name, native, school)
        application = services.application_create(
            actor=student,
            round_=round_,
            data={
                "date_of_birth": _born(age, today),
                "level": level,
                "jlpt_level": jlpt,
                "english_level": english,
                "hindi_level": 5,
                "statement": "I would like to learn how people work together across our countries.",
                "guardian_name": "Lakshmi Rao" if age < 18 else "",
                "guardian_email": f"guardian.{local}@{DEMO_DOMAIN}" if age < 18 else "",
                "relationship": "Mother",
                "guardian_language": "hi",
            },
            programmes=[programmes[i] for i in picks],
            today=today,
        )
        consent = application.guardian_consents.first()
        if consent is not None and local != "student.isha":
            services.consent_confirm(consent=consent)
    for position, choice in enumerate(
        programmes[0].choices.order_by("application__student__email"), start=1
    ):
        services.score_save(
            actor=officer, choice=choice, score=Decimal(90 - 7 * position), conflict=False
        )
    for choice in programmes[1].choices.order_by("-application__student__email"):
        services.score_save(
            actor=officer, choice=choice, score=Decimal(70 + choice.pk % 20), conflict=False
        )
    for programme in programmes[2:]:
        shown = programme.choices.exclude(
            application__in=GuardianConsent.objects.filter(verified_at__isnull=True).values(
                "application"
            )
        ).order_by("application__student__full_name")
        services.manual_order_save(
            actor=officer, programme=programme, choice_ids=[c.pk for c in shown]
        )
    run = services.placement_request(actor=officer, round_=round_)
    run_placement.call(run_id=run.pk)
    run.refresh_from_db()
    services.placement_publish(actor=officer, run=PlacementRun.objects.get(pk=run.pk))
    return 1 + len(programmes) + len(STUDENTS)

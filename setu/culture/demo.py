"""Demo courses and festival volunteering: clearly fictional people and records.

- A finished course, "Hindi for Japanese Learners" in Shizuoka: six classes with attendance
  taken, one learner completed at CEFR A1 with a certificate, one below the attendance needed.
- An upcoming course, "Japanese for Indian Learners: JLPT N5" in Pune: four seats, full, one
  learner on the waitlist.
- The events demo's "Japan Festival New Delhi" gets a programme (performances, stalls, a
  workshop) and three volunteer shifts, one of them full.

Idempotent: courses are found again by their event's English title; festival items and shifts
by their English title; nobody is enrolled or signed up twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from setu.accounts.models import User
from setu.core.timefmt import zone
from setu.culture.models import (
    Course,
    Enrolment,
    ItemKind,
    Level,
    ProgrammeItem,
    Shift,
    ShiftSignup,
    Track,
)
from setu.culture.services.courses import attendance_take, enrolment_complete, enrolment_create
from setu.directory.models import City, Organisation
from setu.events.models import Event, EventKind, Session
from setu.events.registration import refresh_counts

DOMAIN = "demo.setu.example"
FINISHED_TITLE = "Hindi for Japanese Learners: Foundation Course, Shizuoka"
UPCOMING_TITLE = "Japanese for Indian Learners: JLPT N5 Evening Course, Pune"
FESTIVAL_TITLE = "Japan Festival New Delhi"

# Fictional learners (no sign-in): (email local part, name, language, time zone)
LEARNERS = [
    ("learner.sato", "Haruka Sato (demo learner)", "ja", "Asia/Tokyo"),
    ("learner.mori", "Kenta Mori (demo learner)", "ja", "Asia/Tokyo"),
    ("learner.iyer", "Kavya Iyer (demo learner)", "hi", "Asia/Kolkata"),
    ("learner.khan", "Sameer Khan (demo learner)", "en", "Asia/Kolkata"),
    ("learner.patil", "Neha Patil (demo learner)", "hi", "Asia/Kolkata"),
    ("learner.reddy", "Rahul Reddy (demo learner)", "en", "Asia/Kolkata"),
]


def _learner(local: str, name: str, language: str, tz_name: str) -> User:
    user, created = User.objects.get_or_create(
        email=f"{local}@{DOMAIN}",
        defaults={"full_name": name, "language": language, "time_zone": tz_name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _at(day: date, at: time, tz_name: str) -> datetime:
    return datetime.combine(day, at, zone(tz_name))


def _course_event(
    *,
    owner: Organisation,
    title: tuple[str, str, str],
    city_key: str,
    first: date,
    weeks: int,
    capacity: int,
    venue: str,
) -> tuple[Event, bool]:
    city = City.objects.get(key=city_key)
    start = _at(first, time(18, 30), city.timezone)
    event, created = Event.objects.get_or_create(
        title_en=title[0],
        owner=owner,
        defaults={
            "title_ja": title[1],
            "title_hi": title[2],
            "kind": EventKind.COURSE,
            "city": city,
            "time_zone": city.timezone,
            "venue": venue,
            "starts_at": start,
            "ends_at": start + timedelta(weeks=weeks - 1, hours=2),
            "capacity": capacity,
            "visibility": "public",
            "requires_approval": False,
            "languages": "en ja hi",
            "summary_en": "Weekly evening classes with a certificate on completion.",
            "summary_ja": "毎週の夜間クラス。修了者には修了証を発行します。",
            "summary_hi": "साप्ताहिक शाम की कक्षाएँ, पूरा करने पर प्रमाणपत्र।",
        },
    )
    if created:
        Session.objects.bulk_create(
            Session(
                event=event,
                starts_at=start + timedelta(weeks=week),
                ends_at=start + timedelta(weeks=week, hours=2),
                title_en=f"Class {week + 1}",
                title_ja=f"第{week + 1}回",
                title_hi=f"कक्षा {week + 1}",
                room="Room 2",
            )
            for week in range(weeks)
        )
    return event, created


def _enrol(course: Course, learner: User, now: datetime) -> Enrolment:
    existing = Enrolment.objects.filter(course=course, learner=learner).first()
    return existing or enrolment_create(course=course, learner=learner, now=now)


@transaction.atomic
def load_culture_demo(by_key: dict[str, Organisation]) -> int:
    created = 0
    officer = User.objects.filter(email=f"officer.shizuoka@{DOMAIN}").first()
    if officer is None:
        return 0
    learners = [_learner(*row) for row in LEARNERS]
    member = User.objects.filter(email=f"member@{DOMAIN}").first()
    student = User.objects.filter(email=f"student@{DOMAIN}").first()
    today = timezone.localdate()

    # A finished course with attendance and a completed learner.
    event, new = _course_event(
        owner=by_key["JP-22"],
        title=(
            FINISHED_TITLE,
            "日本人のためのヒンディー語：基礎コース（静岡）",
            "जापानी शिक्षार्थियों के लिए हिंदी: आधार पाठ्यक्रम, शिज़ुओका",
        ),
        city_key="jp-shizuoka",
        first=today - timedelta(weeks=8),
        weeks=6,
        capacity=12,
        venue="Shizuoka International Exchange Centre",
    )
    created += int(new)
    course, new = Course.objects.get_or_create(
        event=event,
        defaults={
            "track": Track.HINDI,
            "level_from": "",
            "level_to": Level.CEFR_A1,
            "teacher_name": "Anjali Verma (demo teacher)",
            "attendance_needed": 75,
        },
    )
    created += int(new)
    before = event.starts_at - timedelta(days=14)
    people = [p for p in (member, learners[0], learners[1]) if p is not None]
    enrolments = [_enrol(course, person, before) for person in people]
    for number, session in enumerate(Session.objects.filter(event=event)):
        if session.attendance.exists():
            continue
        # the last learner misses every other class: below the 75 % the certificate needs
        present = [e.pk for i, e in enumerate(enrolments) if i < 2 or number % 2 == 0]
        attendance_take(course=course, session=session, present_ids=present, actor=officer)
    if enrolments and enrolments[0].completed_at is None:
        enrolment_complete(
            enrolment=enrolments[0],
            level_reached=Level.CEFR_A1,
            actor=officer,
            now=event.ends_at + timedelta(days=1),
        )
        created += 1

    # An upcoming course, full, with a waitlist.
    event, new = _course_event(
        owner=by_key["JP-22"],
        title=(
            UPCOMING_TITLE,
            "インドの学習者のための日本語：JLPT N5 夜間コース（プネ）",
            "भारतीय शिक्षार्थियों के लिए जापानी: JLPT N5 शाम का पाठ्यक्रम, पुणे",
        ),
        city_key="in-pune",
        first=today + timedelta(days=10),
        weeks=8,
        capacity=4,
        venue="Pune Japanese Language Centre (demo)",
    )
    created += int(new)
    course, new = Course.objects.get_or_create(
        event=event,
        defaults={
            "track": Track.JAPANESE,
            "level_from": "",
            "level_to": Level.JLPT_N5,
            "teacher": officer,
            "attendance_needed": 80,
        },
    )
    created += int(new)
    for person in [p for p in (student, *learners[2:]) if p is not None]:
        _enrol(course, person, timezone.now())
    refresh_counts(event)

    created += _festival(learners, student)
    return created


ITEMS = [
    (
        ItemKind.PERFORMANCE,
        "Taiko drumming",
        "和太鼓演奏",
        "ताइको ढोल वादन",
        1,
        1.75,
        "Main stage",
        "Ren Ueda, Mio Hara",
        "Tottori Shan-shan Drummers (demo group)",
    ),
    (
        ItemKind.PERFORMANCE,
        "Bharatanatyam and Nihon buyō",
        "バラタナティヤムと日本舞踊",
        "भरतनाट्यम और निहोन बुयो",
        3,
        4,
        "Main stage",
        "Lakshmi Rao, Aya Kondo",
        "Delhi–Sendai Dance Circle (demo group)",
    ),
    (
        ItemKind.STALL,
        "Miyagi crafts: kokeshi dolls",
        "宮城の工芸：こけし",
        "मियागी शिल्प: कोकेशी गुड़िया",
        0,
        8,
        "Pavilion A",
        "",
        "Naruko Kokeshi Makers (demo)",
    ),
    (
        ItemKind.STALL,
        "Tottori pear and sake stall",
        "鳥取の梨と日本酒",
        "तोत्तोरी नाशपाती और साके",
        0,
        8,
        "Pavilion B",
        "",
        "",
    ),
    (
        ItemKind.WORKSHOP,
        "Origami for families",
        "親子で折り紙",
        "परिवारों के लिए ओरिगामी",
        2,
        3,
        "Workshop tent",
        "Yuki Aoyama",
        "",
    ),
]
SHIFTS = [
    ("Welcome desk, morning", "受付（午前）", "स्वागत डेस्क, सुबह", 0, 4, "Main gate", 4),
    ("Stall helpers", "出店の手伝い", "स्टॉल सहायक", 0, 8, "Pavilions A and B", 6),
    ("Stage crew", "ステージ係", "मंच दल", 0.5, 4.5, "Main stage", 2),
]


def _festival(learners: list[User], student: User | None) -> int:
    event = Event.objects.filter(title_en=FESTIVAL_TITLE, kind=EventKind.FESTIVAL).first()
    if event is None:
        return 0
    created = 0
    start = event.starts_at
    for kind, en, ja, hi, begin, end, place, performers, group in ITEMS:
        _item, new = ProgrammeItem.objects.get_or_create(
            event=event,
            title_en=en,
            defaults={
                "kind": kind,
                "title_ja": ja,
                "title_hi": hi,
                "place": place,
                "starts_at": start + timedelta(hours=begin),
                "ends_at": start + timedelta(hours=end),
                "performers": performers,
                "group": group,
            },
        )
        created += int(new)
    shifts = []
    for en, ja, hi, shift_begin, shift_end, place, limit in SHIFTS:
        shift, new = Shift.objects.get_or_create(
            event=event,
            title_en=en,
            defaults={
                "title_ja": ja,
                "title_hi": hi,
                "place": place,
                "limit": limit,
                "starts_at": start + timedelta(hours=shift_begin),
                "ends_at": start + timedelta(hours=shift_end),
            },
        )
        shifts.append(shift)
        created += int(new)
    volunteers = {
        0: [p for p in (student, learners[2]) if p is not None],
        1: learners[3:4],
        2: learners[4:6],  # the stage crew is full
    }
    for index, people in volunteers.items():
        for person in people:
            _signup, new = ShiftSignup.objects.get_or_create(shift=shifts[index], volunteer=person)
            created += int(new)
    return created

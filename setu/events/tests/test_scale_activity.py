"""The national-scale activity generator (bench/scale_activity.py), on a small scale."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from setu.directory.models import Organisation, OrganisationKind, Region
from setu.events.models import Attendee, Event, RegistrationStatus
from setu.library.models import Document, SearchEntry
from setu.matchmaking.models import MeetingRequest

pytestmark = pytest.mark.django_db


def _run(seed: int) -> str:
    out = StringIO()
    call_command(
        "generate_scale_data",
        organisations=300,
        people=0,
        events=12,
        registrations=400,
        documents=25,
        requests=60,
        seed=seed,
        batch=70,
        stdout=out,
    )
    return out.getvalue()


def test_a_small_national_run_writes_what_was_asked_without_overselling() -> None:
    output = _run(seed=4)
    japanese_prefectures = Region.objects.filter(country="JP").count()
    assert japanese_prefectures == 47
    members = Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
    assert members.values("region").distinct().count() == 47
    events = Event.objects.filter(title_en__contains=",").exclude(venue="")
    assert events.count() == 12
    assert Attendee.objects.filter(email__startswith="scale-4-").count() == 400
    # seats: never beyond capacity, and the counter agrees with the confirmed attendees
    counted = events.annotate(
        confirmed=Count(
            "attendees",
            filter=Q(
                attendees__active=True,
                attendees__registration__status=RegistrationStatus.CONFIRMED,
            ),
        )
    )
    assert not counted.filter(confirmed__gt=F("capacity")).exists()
    assert not counted.exclude(seats_taken=F("confirmed")).exists()
    documents = Document.objects.filter(current_version__extracted_text__gt="")
    assert documents.count() == 25
    assert MeetingRequest.objects.count() == 60
    assert SearchEntry.objects.filter(source="library.document").count() >= 25
    assert "47 member prefectures" in output and "60 meeting requests" in output


def test_the_same_seed_gives_the_same_records() -> None:
    _run(seed=9)
    first = list(Event.objects.order_by("pk").values_list("title_en", "capacity", "visibility"))
    _run(seed=9)
    both = list(Event.objects.order_by("pk").values_list("title_en", "capacity", "visibility"))
    assert both[len(first) :] == first

"""The rights portal: what Setu holds about me, export through the worker, erasure (and what is
kept), grievances with their clock and the data protection officer's case view."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.core.audit_chain import verify
from setu.events.models import Registration
from setu.events.tests.factories import EventFactory, category
from setu.library.models import SearchEntry
from setu.privacy.models import DataExport, ErasureRequest, Grievance
from setu.privacy.tests.factories import grievance, student

pytestmark = pytest.mark.django_db


def _registration(world: World, *, name: str, email: str, ended: bool = False) -> Registration:
    event = EventFactory.create(owner=world.prefecture)
    if ended:
        event.starts_at = timezone.now() - timedelta(days=900)
        event.ends_at = event.starts_at + timedelta(hours=3)
        event.save()
    return Registration.objects.create(
        event=event, category=category(event, "General", None), name=name, email=email,
        organisation_name="Pune Institute", status="confirmed",
    )  # fmt: skip


def test_the_portal_shows_my_data_and_nobody_elses(world: World) -> None:
    _registration(world, name="Arjun Student", email="student@example.org")
    _registration(world, name="Somebody Else", email="else@example.org")
    page = world.client_for("student").get(reverse("privacy:portal")).content.decode()
    assert "Arjun Student" in page
    assert "student@example.org" in page
    assert "Somebody Else" not in page


def test_the_portal_names_each_field_in_the_readers_language(world: World) -> None:
    """The page labels fields in words (the exports keep the short machine names)."""
    _registration(world, name="Arjun Student", email="student@example.org")
    client = world.client_for("student")
    page = client.get(reverse("privacy:portal"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>time zone</dt>" in page and "time_zone" not in page
    reader = student(world)
    reader.language = "ja"
    reader.save()
    page = client.get(reverse("privacy:portal")).content.decode()
    assert "<dt>タイムゾーン</dt>" in page and "time_zone" not in page


def test_the_export_is_made_by_the_worker_and_mailed(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _registration(world, name="Arjun Student", email="student@example.org")
    _registration(world, name="Somebody Else", email="else@example.org")
    client = world.client_for("student")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"))
    assert response.status_code == 302
    portal = client.get(reverse("privacy:portal")).content.decode()
    export = DataExport.objects.get()
    assert export.status == "ready"
    assert len(mail.outbox) == 1
    assert export.token in mail.outbox[0].body
    as_json = client.get(reverse("privacy:export", args=[export.token]))
    data = json.loads(b"".join(as_json.streaming_content) if as_json.streaming else as_json.content)
    text = json.dumps(data, ensure_ascii=False)
    # everything the portal shows is in the export, nothing of other people
    for label, rows in data["sections"].items():
        assert label in portal
        for row in rows:
            for value in row.values():
                if value and len(value) > 3 and "\n" not in value:
                    assert value in portal or value.replace("'", "&#x27;") in portal, value
    assert "Arjun Student" in text and "Somebody Else" not in text
    as_csv = client.get(reverse("privacy:export", args=[export.token]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "field", "value", "row"]
    assert any(row[2] == "Arjun Student" for row in rows)
    assert not any("Somebody Else" in ",".join(row) for row in rows)
    # someone else's link is a 404 even with the token
    assert (
        world.client_for("member").get(reverse("privacy:export", args=[export.token])).status_code
        == 404
    )


def test_erasure_anonymises_keeps_what_it_must_and_leaves_no_trace_in_search(
    world: World,
) -> None:
    user = student(world)
    _registration(world, name="Arjun Student", email=user.email)
    from setu.core import audit

    audit.record(world.university, "directory.organisation.updated", actor=user)
    SearchEntry.objects.create(
        key="library.document:999999", source="library.document", object_id="999999",
        text=f"Visit notes: met {user.email} about the exchange", url="/x/",
        date=timezone.now(), visibility="public",
    )  # fmt: skip
    client = world.client_for("student")
    bad = client.post(reverse("privacy:erasure"), {"reason": "leaving"})
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    assert not ErasureRequest.objects.exists()
    response = client.post(reverse("privacy:erasure"), {"reason": "leaving", "confirm": "on"})
    page = response.content.decode()
    assert "What we kept, and why" in page
    assert "consent ledger" in page
    assert not Registration.objects.filter(email=user.email).exists()
    assert not SearchEntry.objects.filter(text__icontains=user.email).exists()
    user.refresh_from_db()
    assert user.full_name == "Erased person"
    assert verify().intact  # the log's entries were redacted, the chain holds


def test_a_grievance_gets_the_dpdp_clock_and_the_dpo_answers(world: World) -> None:
    client = world.client_for("student")
    empty = client.post(reverse("privacy:grievance_new"), {"kind": "grievance", "subject": ""})
    assert "This field is required" in empty.content.decode()
    assert not Grievance.objects.exists()
    client.post(
        reverse("privacy:grievance_new"),
        {"kind": "correction", "subject": "My date of birth", "body": "It is 2004-05-01."},
    )
    filed = Grievance.objects.get()
    assert (filed.due_at - filed.filed_at).days == 90
    dpo = world.client_for("secretariat")
    listing = dpo.get(reverse("privacy:dpo")).content.decode()
    assert "My date of birth" in listing
    dpo.post(reverse("privacy:dpo_grievance", args=[filed.pk]), {"response": "Corrected."})
    filed.refresh_from_db()
    assert filed.status == "answered"
    assert mail.outbox[-1].to == [student(world).email]
    assert "Corrected." in client.get(reverse("privacy:portal")).content.decode()


def test_an_overdue_grievance_is_marked(world: World) -> None:
    grievance(student(world), due_at=timezone.now() - timedelta(days=1))
    page = world.client_for("secretariat").get(reverse("privacy:dpo")).content.decode()
    assert "overdue" in page


def test_the_dpo_list_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        grievance(student(world))
    client = world.client_for("secretariat")
    client.get(reverse("privacy:dpo"))
    with django_assert_max_num_queries(12):
        client.get(reverse("privacy:dpo"))

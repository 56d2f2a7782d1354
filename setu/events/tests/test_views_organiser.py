"""The organisers' pages: create and edit, agenda, categories, questions, registrations, actions,
emails, exports, statistics, check-in."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.directory.models import City
from setu.directory.tests.factories import PrefectureFactory
from setu.events import services
from setu.events.models import (
    Attendee,
    Event,
    EventOrganisation,
    Question,
    Registration,
    RegistrationStatus,
    Session,
    TicketCategory,
)
from setu.events.tests.factories import EventFactory, category

pytestmark = pytest.mark.django_db

S = RegistrationStatus
Register = Callable[..., Registration]


def _event_data(world: World, **overrides: Any) -> dict[str, Any]:
    city = City.objects.get(key="in-mumbai")
    data = {
        "kind": "seminar",
        "owner": world.prefecture.pk,
        "title_en": "Investment seminar in Mumbai",
        "title_ja": "ムンバイ投資セミナー",
        "original_language": "ja",
        "city": city.pk,
        "venue": "Trident",
        "time_zone": "Asia/Tokyo",
        "starts_at": "2030-05-12T10:00",
        "ends_at": "2030-05-12T16:00",
        "capacity": "50",
        "co_hosts": [world.other_prefecture.pk],
        "partners": [world.partner_org.pk],
        "language_list": ["en", "ja"],
        "waitlist_enabled": "on",
        "claim_hours": "0",
        "max_group_size": "10",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_officer_creates_an_event_in_venue_time(world: World) -> None:
    client = world.client_for("officer_own")
    assert client.get(reverse("events:create")).status_code == 200
    response = client.post(reverse("events:create"), _event_data(world))
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    # Typed as 10:00 in Mumbai (IST, UTC+5:30), whatever the officer's own zone (Tokyo).
    assert event.starts_at.isoformat() == "2030-05-12T04:30:00+00:00"
    assert event.time_zone == "Asia/Kolkata"  # from the city
    assert event.owner == world.prefecture and event.languages == "en ja"
    roles = set(EventOrganisation.objects.values_list("organisation_id", "role"))
    assert roles == {(world.other_prefecture.pk, "co_host"), (world.partner_org.pk, "partner")}
    assert event.created_by == world.users["officer_own"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2030-05-12T09:00"}, "ends_at"),
        ({"title_en": "", "title_ja": ""}, "title_en"),
        ({"city": "", "online_url": ""}, "city"),
        ({"owner": "999999"}, "owner"),
        ({"co_hosts": ["999999"]}, "co_hosts"),
        ({"registration_closes_at": "2030-05-13T09:00"}, "registration_closes_at"),
        ({"capacity": "-3"}, "capacity"),
    ],
)
def test_bad_event_input_names_the_field_and_saves_nothing(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    response = world.client_for("officer_own").post(
        reverse("events:create"), _event_data(world, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Event.objects.exists()


def test_officer_cannot_lead_for_another_prefecture(world: World) -> None:
    response = world.client_for("officer_other").post(reverse("events:create"), _event_data(world))
    assert "owner" in response.context["form"].errors
    assert not Event.objects.exists()


def test_capacity_cannot_drop_below_the_seats_taken(
    world: World, event: Event, register: Register
) -> None:
    for _ in range(3):
        register(event)
    client = world.client_for("officer_own")
    data = _event_data(world, capacity="2")
    data.pop("owner")
    response = client.post(reverse("events:edit", args=[event.pk]), data)
    assert "3 seats are already taken" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 50


def test_raising_capacity_promotes_the_waitlist(
    world: World, event: Event, register: Register
) -> None:
    event.capacity = 1
    event.save()
    register(event)
    waiting = register(event)
    data = _event_data(world, capacity="2")
    data.pop("owner")
    world.client_for("officer_own").post(reverse("events:edit", args=[event.pk]), data)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_co_host_edits_the_event_audited_but_not_the_co_host_list(
    world: World, event: Event
) -> None:
    EventOrganisation.objects.create(
        event=event, organisation=world.other_prefecture, role="co_host"
    )
    third = PrefectureFactory.create(name_en="Toyama", region_id="JP-16")
    client = world.client_for("officer_other")
    assert client.get(reverse("events:registrations", args=[event.pk])).status_code == 200
    assert client.get(reverse("events:checkin", args=[event.pk])).status_code == 200
    page = client.get(reverse("events:edit", args=[event.pk]))
    assert page.status_code == 200
    assert "co_hosts" not in page.context["form"].fields  # only the lead changes the hosts
    assert "Only the lead prefecture and the secretariat change the co-hosts." in (
        page.content.decode()
    )
    data = _event_data(world, title_en="Hydrogen seminar, revised agenda")
    del data["owner"], data["co_hosts"]
    response = client.post(reverse("events:edit", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Hydrogen seminar, revised agenda"
    entry = AuditEntry.objects.filter(action="events.event.changed").latest("pk")
    assert entry.actor == world.users["officer_other"]
    assert entry.changes["title_en"][1] == "Hydrogen seminar, revised agenda"
    # a co-host list smuggled into the POST is ignored; the service refuses one outright
    client.post(reverse("events:edit", args=[event.pk]), {**data, "co_hosts": [third.pk]})
    assert set(event.links.values_list("organisation_id", flat=True)) == {
        world.other_prefecture.pk,
        world.partner_org.pk,
    }
    with pytest.raises(ValidationError) as refused:
        services.event_update(
            event=event, actor=world.users["officer_other"], fields={}, co_hosts=[third]
        )
    assert "co_hosts" in refused.value.error_dict
    # the lead's officer changes the co-hosts; the change is audited
    lead = world.client_for("officer_own")
    assert "co_hosts" in lead.get(reverse("events:edit", args=[event.pk])).context["form"].fields
    lead.post(
        reverse("events:edit", args=[event.pk]),
        {**data, "co_hosts": [world.other_prefecture.pk, third.pk]},
    )
    entry = AuditEntry.objects.filter(action="events.event.changed").latest("pk")
    assert entry.changes["co_hosts"] == [
        str([world.other_prefecture.pk]),
        str(sorted([world.other_prefecture.pk, third.pk])),
    ]


def test_event_page_tells_organisers_who_edits(world: World, event: Event) -> None:
    EventOrganisation.objects.create(
        event=event, organisation=world.other_prefecture, role="co_host"
    )
    url = reverse("events:detail", args=[event.pk])
    text = world.client_for("officer_other").get(url).content.decode()
    assert (
        "Edited by: lead Yamanashi and co-host Shizuoka, with the secretariat. "
        "Only the lead changes the co-hosts." in text
    )
    assert "Edited by" not in world.client_for("member").get(url).content.decode()


def test_event_form_says_guests_register_only_for_public_events(world: World) -> None:
    page = world.client_for("officer_own").get(reverse("events:create"))
    assert page.context["form"]["visibility"].help_text.startswith(
        "Guests without an account can register only for public events"
    )
    assert "Guests without an account can register only for public events" in (
        page.content.decode()
    )


def _formset(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_agenda_sessions_in_venue_time(world: World, event: Event) -> None:
    client = world.client_for("officer_own")
    url = reverse("events:agenda", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _formset(
            "form",
            [
                {
                    "starts_at": "2030-05-12T10:00",
                    "ends_at": "2030-05-12T11:00",
                    "title_en": "Opening",
                    "room": "Ballroom",
                    "speakers": "Governor",
                }
            ],
        ),
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts_at.isoformat() == "2030-05-12T04:30:00+00:00"
    # A session ending before it starts is refused.
    response = client.post(
        url,
        _formset(
            "form",
            [
                {
                    "id": session.pk,
                    "starts_at": "2030-05-12T10:00",
                    "ends_at": "2030-05-12T11:00",
                    "title_en": "Opening",
                },
                {"starts_at": "2030-05-12T12:00", "ends_at": "2030-05-12T11:00", "title_en": "Bad"},
            ],
            initial=1,
        ),
    )
    assert response.status_code == 200 and Session.objects.count() == 1


def test_categories_cannot_go_below_the_seats_taken(
    world: World, event: Event, register: Register
) -> None:
    indian = category(event, "Indian company", 5)
    register(event, category=indian)
    register(event, category=indian)
    client = world.client_for("officer_own")
    url = reverse("events:categories", args=[event.pk])
    response = client.post(
        url,
        _formset(
            "form",
            [{"id": indian.pk, "name_en": "Indian company", "capacity": "1", "position": "0"}],
            initial=1,
        ),
    )
    assert "already taken" in response.content.decode()
    indian.refresh_from_db()
    assert indian.capacity == 5
    response = client.post(
        url,
        _formset(
            "form",
            [
                {"id": indian.pk, "name_en": "Indian company", "capacity": "4", "position": "0"},
                {"name_en": "Government", "capacity": "2", "position": "1"},
            ],
            initial=1,
        ),
    )
    assert response.status_code == 302
    assert TicketCategory.objects.filter(event=event).count() == 2


def test_questions_need_choices(world: World, event: Event) -> None:
    client = world.client_for("officer_own")
    url = reverse("events:questions", args=[event.pk])
    response = client.post(
        url,
        _formset(
            "form", [{"kind": "single", "label_en": "Lunch", "choices": "Veg", "position": "0"}]
        ),
    )
    assert "at least two choices" in response.content.decode()
    assert not Question.objects.exists()
    client.post(
        url,
        _formset(
            "form",
            [
                {
                    "kind": "single",
                    "label_en": "Lunch",
                    "choices": "Veg\nFish",
                    "required": "on",
                    "position": "0",
                }
            ],
        ),
    )
    assert Question.objects.get().required


@pytest.mark.parametrize("rows", [3, 60])
def test_registrations_list_query_count_is_fixed(
    world: World, event: Event, register: Register, rows: int, django_assert_max_num_queries: Any
) -> None:
    indian = category(event, "Indian company", None)
    event.capacity = max(2, rows // 2)
    event.save()
    for index in range(rows):
        register(
            event, f"p{index}@x.org", f"q{index}@x.org", category=indian
        ) if index % 3 == 0 else register(event, category=indian)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:registrations", args=[event.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        client.get(
            reverse("events:registrations", args=[event.pk]),
            {"status": "waitlisted", "q": "p", "checked_in": "no"},
        )


def test_registrations_filters(world: World, event: Event, register: Register) -> None:
    event.capacity = 1
    event.save()
    register(event, "first@x.org", name="First")
    register(event, "second@x.org", name="Second")
    client = world.client_for("officer_own")
    url = reverse("events:registrations", args=[event.pk])

    def names(**params: Any) -> list[str]:
        return [r.name for r in client.get(url, params).context["page"].object_list]

    assert names(status="waitlisted") == ["Second"]
    assert names(q="first") == ["First"]
    assert names(checked_in="yes") == []
    assert sorted(names(status="bogus")) == ["First", "Second"]


def test_approve_decline_promote_by_hand(
    world: World, event: Event, register: Register, django_capture_on_commit_callbacks: Any
) -> None:
    event.requires_approval = True
    event.capacity = 1
    event.save()
    first, second = register(event), register(event)
    client = world.client_for("officer_own")

    def act(registration: Registration, action: str) -> Any:
        return client.post(
            reverse("events:registration_action", args=[event.pk, registration.pk, action]),
            {"query": "status=pending"},
        )

    response = act(first, "approve")
    assert response["Location"].endswith("/registrations/?status=pending")
    with django_capture_on_commit_callbacks(execute=True):
        act(second, "approve")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.CONFIRMED, S.WAITLISTED)
    # Promoting by hand beyond capacity is refused with a message.
    response = client.post(
        reverse("events:registration_action", args=[event.pk, second.pk, "promote"]), follow=True
    )
    assert "Not enough free seats" in response.content.decode()
    act(first, "cancel")
    second.refresh_from_db()
    assert second.status == S.CONFIRMED  # promoted automatically
    # An action on a registration of another event, or an unknown action, is refused.
    other = register(EventFactory.create(owner=world.prefecture))
    assert act(other, "cancel").status_code == 404
    assert act(second, "explode").status_code == 403


def test_bulk_email_goes_through_the_queue(
    world: World, event: Event, register: Register, django_capture_on_commit_callbacks: Any
) -> None:
    event.capacity = 1
    event.save()
    register(event, "going@x.org")
    register(event, "waiting@x.org")
    mail.outbox.clear()
    client = world.client_for("officer_own")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:message", args=[event.pk]),
            {"statuses": ["confirmed"], "subject": "Venue change", "body": "Hall B now."},
        )
    assert response.status_code == 302
    sent = {m.to[0] for m in mail.outbox if m.subject == "Venue change"}
    assert "going@x.org" in sent and "waiting@x.org" not in sent
    response = client.post(
        reverse("events:message", args=[event.pk]),
        {"statuses": ["pending"], "subject": "x", "body": "y"},
    )
    assert "No registrant matches" in response.content.decode()


def test_export_csv_and_xlsx_with_chosen_columns(
    world: World, event: Event, register: Register
) -> None:
    register(event, "a@x.org", "b@x.org", name="=HYPERLINK(evil)")
    client = world.client_for("officer_own")
    url = reverse("events:export", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.get(
        url, {"columns": ["name", "email", "registered_by", "status"], "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Email", "Registered by", "Status"]
    assert len(rows) == 3 and rows[1][1] == "a@x.org"
    response = client.get(url, {"columns": ["name", "email"], "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["Name", "Email"]
    assert sheet.max_row == 3
    # A formula-looking value is exported as text, not run by the spreadsheet.
    response = client.get(url, {"columns": ["registered_by", "name"], "format": "csv"})
    assert "=HYPERLINK" not in response.content.decode().replace("'=HYPERLINK", "")
    # No column chosen: the form says so.
    assert "columns" in client.get(url, {"format": "csv"}).context["form"].errors


def test_statistics_by_kind_and_country_with_no_shows(world: World, register: Register) -> None:
    start = timezone.now() + timedelta(days=1)
    event = EventFactory.create(
        owner=world.prefecture, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    japanese = register(event, organisation_kind="company", country="JP")
    register(event, organisation_kind="company", country="IN")
    register(event, organisation_kind="agency", country="IN")
    attendee = japanese.attendees.get()
    attendee.checked_in_at = timezone.now()
    attendee.save()
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    response = world.client_for("officer_own").get(reverse("events:statistics", args=[event.pk]))
    stats = response.context["stats"]
    assert (stats.total.registered, stats.total.checked_in, stats.total.no_shows) == (3, 1, 2)
    by_country = {row.label: (row.registered, row.no_shows) for row in stats.by_country}
    assert by_country == {"India": (2, 2), "Japan": (1, 0)}


def test_check_in_by_code(world: World, event: Event, register: Register) -> None:
    registration = register(event, "ravi@x.org", name="Ravi", organisation_name="Pune Motors")
    attendee = registration.attendees.get()
    other = register(
        EventFactory.create(owner=world.prefecture, title_en="Other seminar")
    ).attendees.get()
    client = world.client_for("officer_own")
    url = reverse("events:checkin", args=[event.pk])
    assert client.get(url).status_code == 200
    typed = f" {attendee.code[:5].lower()}-{attendee.code[5:]} "
    response = client.post(url, {"code": typed}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-ok="true"' in body and "Pune Motors" in body
    assert "1</strong> / 1" in body  # live counts swapped in
    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None
    again = client.post(url, {"code": attendee.code}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-ok="false"' in again and "already checked in" in again
    foreign = client.post(url, {"code": other.code}).content.decode()
    assert "another event: Other seminar" in foreign
    assert "No ticket has the code" in client.post(url, {"code": "ZZZZZ-ZZZZZ"}).content.decode()
    other.refresh_from_db()
    assert other.checked_in_at is None


def test_waitlisted_person_cannot_check_in(world: World, event: Event, register: Register) -> None:
    event.capacity = 1
    event.save()
    register(event)
    waiting = register(event).attendees.get()
    response = world.client_for("officer_own").post(
        reverse("events:checkin", args=[event.pk]), {"code": waiting.code}
    )
    assert "has no confirmed seat" in response.content.decode()
    assert not Attendee.objects.filter(checked_in_at__isnull=False).exists()


def test_live_counts_partial(world: World, event: Event, register: Register) -> None:
    register(event)
    response = world.client_for("officer_own").get(
        reverse("events:checkin_counts", args=[event.pk])
    )
    assert "0</strong> / 1" in response.content.decode()

"""Registering through the pages: signed in, as a guest, groups, questions, cancelling, tickets."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from setu.conftest import World
from setu.events import tokens
from setu.events.models import Attendee, Event, Question, Registration, RegistrationStatus
from setu.events.tests.factories import EventFactory, category

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _link(body: str, name: str) -> str:
    match = re.search(rf"https?://[^\s]+/events/{name}/[^\s]+", body)
    assert match, body
    return match.group(0).split("testserver", 1)[-1]


def test_member_registers_with_colleagues_and_answers(
    world: World, event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    question = Question.objects.create(
        event=event, kind="single", label_en="Lunch", choices="Veg\nNon-veg", required=True
    )
    client = world.client_for("member")
    url = reverse("events:register", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["email"].value() == "member@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "Member Person",
                "attend_myself": "on",
                "privacy_consent": "on",
                "organisation": world.company.pk,
                "person_1_name": "Colleague One",
                "person_1_email": "one@kofu.example",
                f"q_{question.pk}": "Veg",
                "email": "forged@example.org",  # disabled field: ignored
            },
        )
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert registration.status == S.CONFIRMED
    assert registration.email == "member@example.org"
    assert registration.organisation == world.company and registration.country == "JP"
    assert sorted(a.email for a in registration.attendees.all()) == [
        "member@example.org",
        "one@kofu.example",
    ]
    assert registration.answers == {str(question.pk): "Veg"}
    assert {tuple(m.to) for m in mail.outbox} == {("member@example.org",), ("one@kofu.example",)}
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "Colleague One" in page and "qr.svg" in page


def test_required_answer_missing_names_the_question_and_saves_nothing(
    world: World, event: Event
) -> None:
    Question.objects.create(event=event, kind="text", label_en="Purpose of visit", required=True)
    response = world.client_for("member").post(
        reverse("events:register", args=[event.pk]),
        {"name": "M", "attend_myself": "on", "privacy_consent": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(key.startswith("q_") for key in errors)
    assert not Registration.objects.exists()


def test_nobody_attending_is_refused(world: World, event: Event) -> None:
    response = world.client_for("member").post(
        reverse("events:register", args=[event.pk]), {"name": "M", "privacy_consent": "on"}
    )
    assert "at least one person" in response.content.decode()
    assert not Registration.objects.exists()


def test_second_registration_of_the_same_person_is_refused_in_japanese(
    world: World, event: Event
) -> None:
    member = world.users["member"]
    member.language = "ja"
    member.save()
    client = world.client_for("member")
    url = reverse("events:register", args=[event.pk])
    client.post(url, {"name": "M", "attend_myself": "on", "privacy_consent": "on"})
    response = client.post(url, {"name": "M", "attend_myself": "on", "privacy_consent": "on"})
    with translation.override("ja"):
        expected = translation.gettext("%(emails)s is already registered for this event.") % {
            "emails": "member@example.org"
        }
    assert expected in response.content.decode()
    assert Registration.objects.count() == 1


def test_tampered_category_is_refused(world: World, event: Event) -> None:
    category(event, "Indian company", 5)
    foreign = category(EventFactory.create(owner=world.prefecture), "Other", 5)
    response = world.client_for("member").post(
        reverse("events:register", args=[event.pk]),
        {"name": "M", "attend_myself": "on", "privacy_consent": "on", "category": foreign.pk},
    )
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_full_without_waitlist_says_so(
    world: World, event: Event, register: Callable[..., Registration]
) -> None:
    event.capacity = 1
    event.waitlist_enabled = False
    event.save()
    register(event)
    response = world.client_for("member").post(
        reverse("events:register", args=[event.pk]),
        {"name": "M", "attend_myself": "on", "privacy_consent": "on"},
    )
    assert "The event is full" in response.content.decode()
    assert Registration.objects.count() == 1


def test_guest_registration_counts_after_the_emailed_link(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    url = reverse("events:register", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "Ravi Kumar",
                "email": "ravi@example.in",
                "attend_myself": "on",
                "privacy_consent": "on",
                "organisation_name": "Pune Motors",
                "organisation_kind": "company",
                "country": "IN",
                "time_zone": "Asia/Kolkata",
            },
        )
    assert response["Location"] == reverse("events:register_done", args=[event.pk])
    assert "Check your email" in client.get(response["Location"]).content.decode()
    registration = Registration.objects.get()
    assert registration.status == S.UNCONFIRMED and registration.booked_by is None
    confirm = _link(mail.outbox[-1].body, "confirm")
    # Opening the link (GET) changes nothing: mail scanners follow links.
    page = client.get(confirm)
    assert page.status_code == 200
    registration.refresh_from_db()
    assert registration.status == S.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert response["Location"] == registration.get_absolute_url()
    assert "You are registered" in mail.outbox[-1].subject
    # Opening it again, or posting it again (a reload, a retried request), confirms nothing
    # more and says where the registration stands, in a fresh browser too.
    assert client.get(confirm)["Location"] == registration.get_absolute_url()
    for again in (Client().post(confirm, follow=True), Client().get(confirm, follow=True)):
        assert "You are registered" in again.content.decode()
    assert Registration.objects.get().status == S.CONFIRMED
    assert len([m for m in mail.outbox if "You are registered" in m.subject]) == 1


def test_guest_with_an_invalid_email_is_told(event: Event) -> None:
    response = Client().post(
        reverse("events:register", args=[event.pk]),
        {
            "name": "X",
            "email": "not-an-email",
            "attend_myself": "on",
            "privacy_consent": "on",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_bad_and_expired_links(event: Event, register: Callable[..., Registration]) -> None:
    client = Client()
    assert client.get(reverse("events:confirm_email", args=["garbage"])).status_code == 400
    assert client.get(reverse("events:cancel_link", args=["garbage"])).status_code == 400
    assert client.get(reverse("events:registration", args=["garbage"])).status_code == 404
    assert client.get(reverse("events:ticket", args=["garbage"])).status_code == 404
    registration = register(event)
    # A cancel link signed for another registration's id does not cancel this one.
    forged = tokens.cancel_link_token(registration.pk, "someone-elses-token")
    assert client.post(reverse("events:cancel_link", args=[forged])).status_code == 400
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    # An unconfirmed guest registration has no page yet.
    guest = register(event, "guest@example.org", guest=True)
    assert client.get(guest.get_absolute_url()).status_code == 404


def test_cancel_through_the_emailed_link_asks_first(
    event: Event, register: Callable[..., Registration]
) -> None:
    event.capacity = 1
    event.save()
    registration = register(event)
    waiting = register(event)
    url = reverse(
        "events:cancel_link", args=[tokens.cancel_link_token(registration.pk, registration.token)]
    )
    client = Client()
    assert "Yes, cancel it" in client.get(url).content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert client.post(url)["Location"] == registration.get_absolute_url()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == (S.CANCELLED, S.CONFIRMED)
    # Cancelling twice: a clear message, nothing changes.
    response = client.post(url, follow=True)
    assert "already cancelled" in response.content.decode()


def test_registration_page_shows_the_place_in_line_and_promotion(
    event: Event, register: Callable[..., Registration]
) -> None:
    event.capacity = 1
    event.save()
    first = register(event)
    register(event)
    third = register(event)
    client = Client()
    page = client.get(third.get_absolute_url()).content.decode()
    assert "number 2 in line" in page
    client.post(reverse("events:registration_cancel", args=[first.token]))
    page = client.get(third.get_absolute_url()).content.decode()
    assert "You are next in line" in page


def test_claiming_an_offered_seat_on_the_page(
    event: Event, register: Callable[..., Registration]
) -> None:
    event.capacity = 1
    event.claim_hours = 12
    event.save()
    first = register(event)
    second = register(event)
    client = Client()
    client.post(reverse("events:registration_cancel", args=[first.token]))
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Claim my seat" in page
    client.post(reverse("events:registration_claim", args=[second.token]))
    second.refresh_from_db()
    assert second.status == S.CONFIRMED


def test_ticket_page_qr_and_cancelling_ones_own_place(
    event: Event, register: Callable[..., Registration]
) -> None:
    registration = register(event, "a@x.org", "b@x.org")
    attendee = registration.attendees.get(email="b@x.org")
    signed = tokens.ticket_token(attendee.pk, attendee.code)
    client = Client()
    page = client.get(reverse("events:ticket", args=[signed])).content.decode()
    assert attendee.display_code in page
    svg = client.get(reverse("events:ticket_qr", args=[signed]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    client.post(reverse("events:ticket", args=[signed]))
    attendee.refresh_from_db()
    registration.refresh_from_db()
    assert not attendee.active and registration.status == S.CONFIRMED
    assert Attendee.objects.filter(registration=registration, active=True).count() == 1


def test_my_registrations(
    world: World, event: Event, register: Callable[..., Registration]
) -> None:
    member = world.users["member"]
    register(event, member.email, user=member)
    page = world.client_for("member").get(reverse("events:mine")).content.decode()
    assert event.title_en in page and "/events/feed/" in page
    old = member.event_feed.token
    world.client_for("member").post(reverse("events:feed_reset"))
    member.event_feed.refresh_from_db()
    assert member.event_feed.token != old


@pytest.mark.parametrize("rows", [2, 30])
def test_my_registrations_query_count_is_fixed(
    world: World,
    rows: int,
    register: Callable[..., Registration],
    django_assert_max_num_queries: Any,
) -> None:
    member = world.users["member"]
    for _ in range(rows):
        register(EventFactory.create(owner=world.prefecture), member.email, user=member)
    client = world.client_for("member")
    client.get(reverse("events:mine"))  # the feed token is made on the first visit
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:mine"))
    assert len(response.context["upcoming"]) == rows


def test_a_colleague_with_an_account_sees_the_registration(
    world: World, event: Event, register: Callable[..., Registration]
) -> None:
    partner = world.users["partner"]
    register(event, "booker-only@x.org", partner.email)
    page = world.client_for("partner").get(reverse("events:mine")).content.decode()
    assert event.title_en in page


@pytest.mark.parametrize(("capacity", "taken", "rows"), [(3, 0, 2), (3, 2, 0), (None, 0, 9)])
def test_guest_form_offers_colleague_rows_for_the_seats_left(
    event: Event, register: Callable[..., Registration], capacity: int | None, taken: int, rows: int
) -> None:
    event.capacity = capacity
    event.save()
    for _ in range(taken):
        register(event)
    page = Client().get(reverse("events:register", args=[event.pk]))
    assert page.context["form"].extra_slots == rows
    assert page.content.decode().count('name="person_') == 2 * rows
    if rows == 0:
        assert "Register colleague" not in page.content.decode()


def test_guest_registration_redirects_and_a_reload_registers_nobody_again(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    data = {
        "name": "Ravi Kumar",
        "email": "ravi@example.in",
        "attend_myself": "on",
        "privacy_consent": "on",
        "organisation_name": "Kofu Precision K.K.",
        "time_zone": "Asia/Kolkata",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), data)
    done = reverse("events:register_done", args=[event.pk])
    assert response.status_code == 302 and response["Location"] == done
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # the page, then a reload
            page = client.get(done)
            assert page.status_code == 200
            assert "We sent a link to ravi@example.in." in page.content.decode()
    assert Registration.objects.count() == 1 and len(mail.outbox) == sent


def test_closed_registration_is_said_once(world: World, event: Event) -> None:
    event.registration_closes_at = timezone.now() - timedelta(hours=1)
    event.save()
    client = world.client_for("member")
    response = client.get(reverse("events:register", args=[event.pk]), follow=True)
    assert response.redirect_chain[-1][0] == event.get_absolute_url()
    assert response.content.decode().count("Registration closed on") == 1


def test_no_double_full_stop_after_a_name_ending_in_one(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    event.title_en = "Seminar of Kofu Precision K.K."
    event.save()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("events:register", args=[event.pk]),
            {
                "name": "A",
                "email": "a@example.in",
                "attend_myself": "on",
                "privacy_consent": "on",
                "time_zone": "UTC",
            },
        )
    page = client.get(reverse("events:register_done", args=[event.pk])).content.decode()
    assert "registration for Seminar of Kofu Precision K.K. " in page or (
        "registration for Seminar of Kofu Precision K.K.<" in page
    )
    assert "K.K.." not in page
    assert "K.K.." not in mail.outbox[-1].body


def test_registering_needs_the_agreement_and_writes_the_ledger(world: World, event: Event) -> None:
    from setu.privacy.consent import has_consent
    from setu.privacy.models import Consent

    client = world.client_for("member")
    url = reverse("events:register", args=[event.pk])
    refused = client.post(url, {"name": "M", "attend_myself": "on"})
    assert "Registering needs your agreement to the notice." in refused.content.decode()
    assert not Registration.objects.exists() and not Consent.objects.exists()
    client.post(url, {"name": "M", "attend_myself": "on", "privacy_consent": "on"})
    assert Registration.objects.count() == 1
    assert has_consent(world.users["member"], "events")

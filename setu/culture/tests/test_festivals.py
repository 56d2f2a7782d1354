"""Festivals: programme items, shifts with limits, sign-ups, reminders through the worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.culture.models import ProgrammeItem, Shift, ShiftSignup
from setu.culture.services.festivals import (
    programme_item_create,
    shift_create,
    shift_leave,
    shift_reminders_enqueue,
    shift_signup,
)
from setu.culture.tests.factories import festival, shift
from setu.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _item_data(event, **extra):  # type: ignore[no-untyped-def]
    return {
        "kind": "performance",
        "title_en": "Taiko",
        "title_ja": "和太鼓",
        "title_hi": "",
        "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(hours=1),
        "place": "Main stage",
        "performers": "Ren Ueda",
        "group": "Tottori Drummers",
    } | extra


def test_programme_items_are_the_organisers_and_fall_within_the_festival(world: World) -> None:
    event = festival(world.prefecture)
    officer = world.users["officer_own"]
    item = programme_item_create(event=event, actor=officer, data=_item_data(event))
    assert item.group == "Tottori Drummers"
    with pytest.raises(PermissionDenied):
        programme_item_create(
            event=event, actor=world.users["officer_other"], data=_item_data(event)
        )
    with pytest.raises(ValidationError):
        programme_item_create(
            event=event,
            actor=officer,
            data=_item_data(event, starts_at=event.starts_at - timedelta(days=1)),
        )
    seminar = EventFactory.create(owner=world.prefecture)
    with pytest.raises(ValidationError):
        programme_item_create(event=seminar, actor=officer, data=_item_data(seminar))
    assert ProgrammeItem.objects.count() == 1


def test_programme_shows_on_the_event_page_and_the_festival_page(world: World) -> None:
    event = festival(world.prefecture)
    programme_item_create(event=event, actor=world.users["officer_own"], data=_item_data(event))
    anonymous = world.client_for("anonymous")
    page = anonymous.get(event.get_absolute_url()).content.decode()
    assert "Festival programme" in page and "Taiko" in page and "Tottori Drummers" in page
    page = anonymous.get(reverse("culture:festival", args=[event.pk])).content.decode()
    assert "Taiko" in page and "Sign in to volunteer" not in page  # no shift yet


def test_a_shift_never_takes_more_than_its_limit(world: World) -> None:
    s = shift(festival(world.prefecture), limit=2)
    users = [UserFactory.create() for _ in range(3)]
    shift_signup(shift=s, volunteer=users[0])
    shift_signup(shift=s, volunteer=users[1])
    with translation.override("hi"), pytest.raises(ValidationError) as error:
        shift_signup(shift=s, volunteer=users[2])
    assert error.value.code == "full"
    with pytest.raises(ValidationError) as error:
        shift_signup(shift=s, volunteer=users[0])
    assert error.value.code == "twice"
    assert ShiftSignup.objects.filter(shift=s).count() == 2
    shift_leave(shift=s, volunteer=users[0])
    shift_signup(shift=s, volunteer=users[2])
    assert ShiftSignup.objects.filter(shift=s).count() == 2
    with pytest.raises(ValidationError):
        shift_leave(shift=s, volunteer=users[0])


def test_shift_creation_checks_its_input(world: World) -> None:
    event = festival(world.prefecture)
    officer = world.users["officer_own"]
    data = {
        "title_en": "Stage crew",
        "title_ja": "",
        "title_hi": "",
        "place": "",
        "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(hours=1),
        "limit": 0,
    }
    with pytest.raises(ValidationError):
        shift_create(event=event, actor=officer, data=data)
    assert shift_create(event=event, actor=officer, data=data | {"limit": 3}).limit == 3


def test_shift_form_errors_are_shown_and_nothing_is_saved(world: World) -> None:
    starts = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    event = festival(world.prefecture, starts_at=starts, ends_at=starts + timedelta(hours=8))
    client = world.client_for("officer_own")
    url = reverse("culture:shift_add", args=[event.pk])
    start = event.starts_at.astimezone(event.venue_tz).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"title_en": "", "starts_at": start, "ends_at": start, "limit": "0"}
    )
    assert response.status_code == 200
    assert "Give a title in at least one language." in response.content.decode()
    assert not Shift.objects.exists()
    end = (
        (event.starts_at + timedelta(hours=2)).astimezone(event.venue_tz).strftime("%Y-%m-%dT%H:%M")
    )
    response = client.post(
        url, {"title_en": "Welcome desk", "starts_at": start, "ends_at": end, "limit": "2"}
    )
    assert response.status_code == 302
    saved = Shift.objects.get()
    assert saved.starts_at == event.starts_at


def test_signup_pages_full_shift_message(world: World) -> None:
    s = shift(festival(world.prefecture), limit=1)
    assert (
        world.client_for("student").post(reverse("culture:shift_signup", args=[s.pk])).status_code
        == 302
    )
    response = world.client_for("member").post(
        reverse("culture:shift_signup", args=[s.pk]), follow=True
    )
    assert "This shift is full" in response.content.decode()
    assert ShiftSignup.objects.count() == 1
    page = world.client_for("officer_own").get(reverse("culture:festival", args=[s.event_id]))
    assert "Student" in page.content.decode()  # the organiser sees who volunteers


def test_reminders_go_once_through_the_worker_in_the_volunteers_language(world: World) -> None:
    starts = timezone.now() + timedelta(days=30)
    event = festival(world.prefecture, starts_at=starts, ends_at=starts + timedelta(days=2))
    soon = shift(event, starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1))
    later = shift(
        event,
        title_en="Clean-up",
        starts_at=event.ends_at - timedelta(hours=1),
        ends_at=event.ends_at,
    )
    volunteer = UserFactory.create(language="ja", time_zone="Asia/Tokyo")
    shift_signup(shift=soon, volunteer=volunteer)
    shift_signup(shift=later, volunteer=volunteer)
    now = event.starts_at - timedelta(hours=20)
    assert shift_reminders_enqueue(now=now) == 1
    assert shift_reminders_enqueue(now=now) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [volunteer.email]
    assert "JST" in mail.outbox[0].body
    assert "ボランティア" in mail.outbox[0].subject
    call_command("send_shift_reminders", stdout=None)


def test_the_festival_page_of_another_kind_of_event_is_404(world: World) -> None:
    seminar = EventFactory.create(owner=world.prefecture)
    assert (
        world.client_for("officer_own")
        .get(reverse("culture:festival", args=[seminar.pk]))
        .status_code
        == 404
    )


def test_festival_page_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    event = festival(world.prefecture)
    for n in range(6):
        s = shift(event, title_en=f"Shift {n}")
        shift_signup(shift=s, volunteer=UserFactory.create())
        ProgrammeItem.objects.create(
            event=event,
            kind="stall",
            title_en=f"Stall {n}",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
    client = world.client_for("officer_own")
    client.get(reverse("culture:festival", args=[event.pk]))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("culture:festival", args=[event.pk])).status_code == 200

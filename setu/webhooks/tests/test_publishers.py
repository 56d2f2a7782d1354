"""What Setu's writes send: each subscription hears of its own organisation's events only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.events import registration as reg
from setu.events import services as event_services
from setu.events.models import EventOrganisation, HostRole
from setu.events.registration import Person, Registrant
from setu.events.tests.factories import EventFactory
from setu.matchmaking.services.schedule import schedule_publish
from setu.matchmaking.tests.schedule_builders import scheduled
from setu.webhooks.models import Delivery, DeliveryStatus, Subscription
from setu.webhooks.tests.conftest import Outbox

pytestmark = pytest.mark.django_db


def _register(event: Any, email: str = "guest@example.org") -> Any:
    user = UserFactory.create(email=email)
    return reg.registration_create(
        event=event,
        registrant=Registrant(name="Asha Rao", email=email, user=user),
        people=[Person("Asha Rao", email, user)],
    )


def test_a_registration_reaches_the_hosts_subscription_and_no_other(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    own = subscribe(world.prefecture)
    other = subscribe(world.other_prefecture)
    event = EventFactory.create(owner=world.prefecture, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(event)
    delivery = Delivery.objects.get()
    assert delivery.subscription == own and delivery.status == DeliveryStatus.DELIVERED
    assert not Delivery.objects.filter(subscription=other).exists()
    body = json.loads(sent.posts[0]["body"])
    assert body["type"] == "registration.created"
    assert body["data"] == {
        "event": event.pk,
        "registration": registration.pk,
        "status": "confirmed",
        "people": 1,
    }
    assert "Asha" not in sent.posts[0]["body"].decode()  # ids only: names stay behind the API


def test_a_co_host_hears_of_registrations_too(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    co_host = subscribe(world.other_prefecture)
    event = EventFactory.create(owner=world.prefecture)
    EventOrganisation.objects.create(
        event=event, organisation=world.other_prefecture, role=HostRole.CO_HOST
    )
    with django_capture_on_commit_callbacks(execute=True):
        _register(event)
    assert Delivery.objects.get().subscription == co_host


def test_cancelling_and_the_waitlist_moving_are_told(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(world.prefecture)
    event = EventFactory.create(owner=world.prefecture, capacity=1, waitlist_enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = _register(event, "first@example.org")
        waiting = _register(event, "second@example.org")
    assert waiting.status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        reg.registration_cancel(registration=first, actor=None)
    assert sent.kinds() == [
        "registration.created",
        "registration.created",
        "registration.cancelled",
        "registration.promoted",
    ]
    cancelled, promoted = (json.loads(p["body"])["data"] for p in sent.posts[2:])
    assert cancelled["reason"] == "cancelled" and cancelled["registration"] == first.pk
    assert promoted["registration"] == waiting.pk and promoted["status"] == "confirmed"


def test_a_subscription_hears_only_the_kinds_it_chose(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(world.prefecture, kinds=["event.published"])
    event = EventFactory.create(owner=world.prefecture)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event)
    assert sent.posts == []


def test_publishing_a_draft_event_is_told_once(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(world.prefecture, kinds=["event.published"])
    event = EventFactory.create(owner=world.prefecture, visibility="draft", title_ja="浜松セミナー")
    officer = world.users["officer_own"]
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(event=event, actor=officer, fields={"visibility": "public"})
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(event=event, actor=officer, fields={"venue": "Hall B"})
    assert sent.kinds() == ["event.published"]
    data = json.loads(sent.posts[0]["body"])["data"]
    assert data["event"] == event.pk and data["visibility"] == "public"
    assert data["title"]["ja"] == "浜松セミナー"


def test_a_published_schedule_tells_each_side_of_its_meetings(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    company = subscribe(world.company, kinds=["meeting.scheduled"])
    bystander = subscribe(world.other_prefecture, kinds=["meeting.scheduled"])
    s = scheduled(world, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(run=s.run, actor=world.users["officer_own"])
    delivery = Delivery.objects.get(subscription=company)
    assert delivery.payload["meeting"] == s.meeting.pk
    assert delivery.payload["organisations"] == [world.company.pk, world.partner_org.pk]
    assert delivery.payload["starts_at"] == s.meeting.slot.starts_at.isoformat()
    assert not Delivery.objects.filter(subscription=bystander).exists()


def test_a_rolled_back_registration_sends_nothing(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.exceptions import ValidationError

    subscribe(world.prefecture)
    event = EventFactory.create(owner=world.prefecture, capacity=1, waitlist_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, "one@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _register(event, "two@example.org")  # full, no waitlist: refused
    assert sent.kinds() == ["registration.created"]

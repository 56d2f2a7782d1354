"""The webhook pages as their users meet them: add, check, pause, send again, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.webhooks.models import Delivery, Subscription
from setu.webhooks.tests.conftest import Outbox

pytestmark = pytest.mark.django_db

FORM = {
    "url": "https://crm.yamanashi.example/hooks/setu",
    "description": "CRM",
    "kinds": ["registration.created", "event.published"],
}


def test_an_officer_adds_a_webhook_for_their_prefecture(world: World) -> None:
    client = world.client_for("officer_own")
    response = client.post(reverse("webhooks:create"), FORM)
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == subscription.get_absolute_url()
    assert subscription.organisation == world.prefecture
    assert subscription.kinds == ["event.published", "registration.created"]
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    assert AuditEntry.objects.filter(action="webhooks.subscription.created").exists()
    page = client.get(subscription.get_absolute_url())
    assert subscription.secret in page.content.decode()  # managers read it to verify


@pytest.mark.parametrize(
    ("url", "language", "fragment"),
    [
        ("http://192.168.0.10/hook", "en", "private or local"),
        ("http://169.254.169.254/latest/", "hi", "169.254.169.254"),
        ("not an address", "ja", ""),
    ],
)
def test_a_refused_address_says_why_and_saves_nothing(
    world: World, url: str, language: str, fragment: str
) -> None:
    client = world.client_for("officer_own")
    response = client.post(
        reverse("webhooks:create"), {**FORM, "url": url}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["url"]
    assert errors and fragment in errors[0]
    assert not Subscription.objects.exists()


def test_choosing_no_event_is_refused(world: World) -> None:
    response = world.client_for("officer_own").post(
        reverse("webhooks:create"), {**FORM, "kinds": []}
    )
    assert "Choose at least one event." in response.context["form"].errors["kinds"]
    assert not Subscription.objects.exists()


def test_the_list_shows_only_the_acting_organisations_webhooks(
    world: World, subscribe: Callable[..., Subscription]
) -> None:
    own = subscribe(world.prefecture, url="https://own.example.org/")
    subscribe(world.other_prefecture, url="https://other.example.org/")
    page = world.client_for("officer_own").get(reverse("webhooks:list")).content.decode()
    assert own.url in page and "other.example.org" not in page


def test_edit_pause_resume_rotate_and_delete(
    world: World, subscribe: Callable[..., Subscription], sent: Outbox
) -> None:
    client = world.client_for("officer_own")
    subscription = subscribe()
    old_secret = subscription.secret
    client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        {**FORM, "url": "https://new.example.org/in", "kinds": ["meeting.scheduled"]},
    )
    subscription.refresh_from_db()
    assert subscription.url == "https://new.example.org/in"
    assert subscription.kinds == ["meeting.scheduled"]
    client.post(reverse("webhooks:toggle", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.active and "Officer Own" in subscription.disabled_reason
    client.post(reverse("webhooks:toggle", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.active and subscription.disabled_reason == ""
    client.post(reverse("webhooks:rotate", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.secret != old_secret
    assert client.get(reverse("webhooks:delete", args=[subscription.pk])).status_code == 200
    response = client.post(reverse("webhooks:delete", args=[subscription.pk]))
    assert response["Location"] == reverse("webhooks:list")
    assert not Subscription.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "webhooks.subscription.changed",
        "webhooks.subscription.paused",
        "webhooks.subscription.resumed",
        "webhooks.subscription.secret_rotated",
        "webhooks.subscription.deleted",
    } <= actions


@pytest.mark.django_db(transaction=True)
def test_a_test_event_is_sent_and_shows_in_the_log(
    world: World, subscribe: Callable[..., Subscription], sent: Outbox
) -> None:
    subscription = subscribe(world.prefecture)
    client = world.client_for("officer_own")
    client.post(reverse("webhooks:test", args=[subscription.pk]))
    assert sent.kinds() == ["webhook.test"]
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert "webhook.test" in page and "HTTP 200" in page
    delivery = Delivery.objects.get()
    response = client.post(reverse("webhooks:redeliver", args=[delivery.pk]))
    copy = Delivery.objects.exclude(pk=delivery.pk).get()
    assert response["Location"] == reverse("webhooks:delivery", args=[copy.pk])
    assert copy.event_id == delivery.event_id and len(sent.posts) == 2
    detail = client.get(response["Location"]).content.decode()
    assert str(delivery.event_id) in detail


def test_a_paused_webhook_sends_no_test(
    world: World, subscribe: Callable[..., Subscription], sent: Outbox
) -> None:
    subscription = subscribe(active=False)
    response = world.client_for("officer_own").post(
        reverse("webhooks:test", args=[subscription.pk]), follow=True
    )
    assert "resume it" in response.content.decode()
    assert not Delivery.objects.exists()


def test_another_prefecture_cannot_open_or_redeliver(
    world: World, subscribe: Callable[..., Subscription]
) -> None:
    delivery = Delivery.objects.create(
        subscription=subscribe(world.prefecture),
        kind="event.published",
        payload={},
        occurred_at=timezone.now(),
    )
    client = world.client_for("officer_other")
    assert client.get(reverse("webhooks:delivery", args=[delivery.pk])).status_code == 404
    assert client.post(reverse("webhooks:redeliver", args=[delivery.pk])).status_code == 404
    assert Delivery.objects.count() == 1


def test_demo_has_a_paused_sample_for_shizuoka(world: Any) -> None:
    from setu.directory.models import Organisation
    from setu.webhooks.demo import load_webhooks_demo

    assert load_webhooks_demo({"JP-22": world.other_prefecture}) == 1
    assert load_webhooks_demo({"JP-22": world.other_prefecture}) == 0  # idempotent
    sample = Subscription.objects.get()
    assert not sample.active and sample.organisation == world.other_prefecture
    assert isinstance(sample.organisation, Organisation)

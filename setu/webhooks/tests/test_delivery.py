"""Sending: a real receiver gets a signed body; failures retry with backoff, then give up;
too many failures in a row pause the subscription and email its organisation."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.webhooks import services, signing
from setu.webhooks.models import Delivery, DeliveryStatus, Subscription
from setu.webhooks.tests.conftest import Outbox

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.SETU_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.server.shutdown()


def _delivery(subscription: Subscription, **fields: Any) -> Delivery:
    return Delivery.objects.create(
        subscription=subscription,
        kind="registration.created",
        payload={"event": 7, "registration": 9, "status": "confirmed"},
        occurred_at=timezone.now(),
        **fields,
    )


def test_a_real_receiver_gets_a_signed_json_body(
    receiver: Receiver, subscribe: Callable[..., Subscription]
) -> None:
    subscription = subscribe(url=receiver.url)
    delivery = _delivery(subscription)
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    headers, body = receiver.requests[0]
    assert headers["Setu-Event"] == "registration.created"
    assert headers["Setu-Delivery"] == str(delivery.event_id)
    assert signing.verify(
        subscription.secret, headers["Setu-Signature"], body, now=int(time.time())
    )
    document = json.loads(body)
    assert document["type"] == "registration.created"
    assert document["data"] == {"event": 7, "registration": 9, "status": "confirmed"}
    attempt = delivery.tries.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == "thanks"


def test_an_error_answer_is_retried_later_with_growing_delays(
    receiver: Receiver, subscribe: Callable[..., Subscription], settings: Any
) -> None:
    settings.SETU_WEBHOOKS_MAX_ATTEMPTS = 3
    receiver.status = 503
    delivery = _delivery(subscribe(url=receiver.url))
    start = timezone.now()
    services.delivery_attempt(delivery_id=delivery.pk, now=start)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert delivery.next_attempt_at is not None
    first_wait = delivery.next_attempt_at - start
    assert timedelta(seconds=24) <= first_wait <= timedelta(seconds=36)  # 30 s ± 20 %
    # an early duplicate of the retry task does nothing
    services.delivery_attempt(delivery_id=delivery.pk, now=start + timedelta(seconds=5))
    assert len(receiver.requests) == 1
    second = delivery.next_attempt_at
    services.delivery_attempt(delivery_id=delivery.pk, now=second)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 2
    assert delivery.next_attempt_at is not None
    assert timedelta(seconds=48) <= delivery.next_attempt_at - second <= timedelta(seconds=72)
    services.delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert [t.status_code for t in delivery.tries.all()] == [503, 503, 503]


def test_the_backoff_doubles_and_stops_at_six_hours() -> None:
    import random

    rng = random.Random(1)
    waits = [services.retry_delay(n, rng=rng).total_seconds() for n in range(1, 16)]
    assert 24 <= waits[0] <= 36 and 48 <= waits[1] <= 72 and 96 <= waits[2] <= 144
    assert max(waits) <= 6 * 3600 * 1.2 and waits[-1] >= 6 * 3600 * 0.8


def test_an_address_that_now_resolves_to_loopback_is_not_called(
    _names: dict[str, list[str]], subscribe: Callable[..., Subscription]
) -> None:
    subscription = subscribe(url="https://turncoat.example.net/hook")
    _names["turncoat.example.net"] = ["127.0.0.1"]  # DNS changed after the form checked it
    delivery = _delivery(subscription)
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    attempt = delivery.tries.get()
    assert attempt.status_code is None and "private or local" in attempt.error
    assert delivery.status == DeliveryStatus.RETRYING


def test_failing_in_a_row_pauses_the_subscription_and_emails_its_people(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SETU_WEBHOOKS_PAUSE_AFTER = 3
    officer = world.users["officer_own"]
    officer.language = "ja"
    officer.save()
    sent.status = 500
    subscription = subscribe()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.delivery_attempt(delivery_id=_delivery(subscription).pk)
    subscription.refresh_from_db()
    assert not subscription.active and "3" in subscription.disabled_reason
    assert AuditEntry.objects.filter(action="webhooks.subscription.paused").count() == 1
    assert [m.to for m in mail.outbox] == [["officer_own@example.org"]]  # Yamanashi's people
    assert not mail.outbox[0].subject.startswith("Setu paused")  # in the officer's Japanese
    assert subscription.get_absolute_url() in mail.outbox[0].body
    # a paused subscription's deliveries wait, untried
    waiting = _delivery(subscription)
    services.delivery_attempt(delivery_id=waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.PENDING and waiting.attempts == 0


def test_resuming_sends_what_waited(
    world: World,
    subscribe: Callable[..., Subscription],
    sent: Outbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscription = subscribe(active=False)
    waiting = _delivery(subscription)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_set_active(
            actor=world.users["officer_own"], subscription=subscription, active=True
        )
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.DELIVERED
    assert sent.kinds() == ["registration.created"]


def test_a_success_starts_the_failure_count_afresh(
    subscribe: Callable[..., Subscription], sent: Outbox
) -> None:
    subscription = subscribe(consecutive_failures=7)
    services.delivery_attempt(delivery_id=_delivery(subscription).pk)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_the_retry_command_sends_what_is_due(
    subscribe: Callable[..., Subscription], sent: Outbox
) -> None:
    from io import StringIO

    from django.core.management import call_command

    subscription = subscribe()
    due = _delivery(subscription, status=DeliveryStatus.RETRYING, attempts=1)
    later = _delivery(
        subscription,
        status=DeliveryStatus.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    out = StringIO()
    call_command("webhooks_retry", stdout=out)
    assert out.getvalue().strip() == "1 deliveries tried"
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == DeliveryStatus.DELIVERED and later.status == DeliveryStatus.RETRYING

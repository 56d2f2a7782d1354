"""The read replica: which reads may be stale, the lag and fallback rule, the router (0019)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setu.conftest import World
from setu.core import replica
from setu.core.replica import (
    PRIMARY,
    REPLICA,
    WROTE_COOKIE,
    ReplicaMiddleware,
    ReplicaRouter,
    ReplicaState,
    may_read_replica,
    reading_from,
    stale_reads_ok,
)
from setu.directory.models import Organisation

FRESH = ReplicaState(lag_seconds=0.4, checked_at=0.0)
LAGGING = ReplicaState(lag_seconds=12.0, checked_at=0.0)
DOWN = ReplicaState(lag_seconds=None, checked_at=0.0)


def _decide(**overrides: Any) -> bool:
    values: dict[str, Any] = {
        "marking": "all",
        "method": "GET",
        "signed_in": False,
        "wrote_recently": False,
        "state": FRESH,
        "max_lag_seconds": 5.0,
    }
    return may_read_replica(**{**values, **overrides})


# --- the rule, without a database ------------------------------------------------------------


def test_a_marked_get_reads_the_replica_when_it_is_fresh() -> None:
    assert _decide()
    assert _decide(method="HEAD")
    assert _decide(marking="anonymous", signed_in=False)
    assert _decide(state=ReplicaState(lag_seconds=5.0, checked_at=0.0))  # the limit is allowed


@pytest.mark.parametrize(
    "overrides",
    [
        {"marking": None},  # the view never said its reads may be stale
        {"method": "POST"},  # a write reads the primary
        {"wrote_recently": True},  # this browser just changed something
        {"marking": "anonymous", "signed_in": True},  # a signed-in reader of a public page
        {"state": LAGGING},  # beyond SETU_REPLICA_MAX_LAG_SECONDS
        {"state": DOWN},  # the replica did not answer
    ],
)
def test_everything_else_reads_the_primary(overrides: dict[str, Any]) -> None:
    assert not _decide(**overrides)


def test_the_check_is_remembered_briefly_then_made_again(settings: Any) -> None:
    settings.SETU_REPLICA_CHECK_SECONDS = 2
    replica.forget_replica_state()
    answers = iter([0.1, None])
    calls: list[float] = []

    def measure() -> float | None:
        value = next(answers)
        calls.append(1)
        return value

    try:
        assert replica.replica_state(now=100.0, measure=measure).lag_seconds == 0.1
        assert replica.replica_state(now=101.5, measure=measure).lag_seconds == 0.1  # cached
        assert len(calls) == 1
        state = replica.replica_state(now=102.0, measure=measure)  # old enough: measured again
        assert state.lag_seconds is None and not state.usable(5)
        assert len(calls) == 2
    finally:
        replica.forget_replica_state()


def test_the_router_sends_writes_and_unmarked_reads_to_the_primary() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Organisation) == PRIMARY
    assert router.db_for_write(Organisation) == PRIMARY
    with reading_from(REPLICA):
        assert router.db_for_read(Organisation) == REPLICA
        assert router.db_for_write(Organisation) == PRIMARY
    assert router.db_for_read(Organisation) == PRIMARY
    assert router.allow_migrate(PRIMARY, "directory") and not router.allow_migrate(REPLICA, "x")


# --- the middleware -----------------------------------------------------------------------------


def _run(
    request: HttpRequest, view: Any, *, state: ReplicaState = FRESH, settings: Any
) -> tuple[str, HttpResponse]:
    settings.SETU_REPLICA_MAX_LAG_SECONDS = 5
    seen: list[str] = []

    def inner(request: HttpRequest) -> HttpResponse:
        middleware.process_view(request, view, (), {})
        seen.append(replica._read_alias.get())
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(inner)
    # as if measured just now, so the middleware uses it without measuring again
    replica._state = ReplicaState(lag_seconds=state.lag_seconds, checked_at=float("inf"))
    try:
        response = middleware(request)
    finally:
        replica.forget_replica_state()
    assert replica._read_alias.get() == PRIMARY  # reset once the response is built
    return seen[0], response


@stale_reads_ok
def _directory_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


@stale_reads_ok(anonymous_only=True)
def _public_event_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _unmarked(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _get(**cookies: str) -> HttpRequest:
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    request.user = AnonymousUser()
    return request


def test_the_middleware_routes_marked_pages_and_marks_writers(settings: Any) -> None:
    assert _run(_get(), _directory_list, settings=settings)[0] == REPLICA
    assert _run(_get(), _public_event_page, settings=settings)[0] == REPLICA
    assert _run(_get(), _unmarked, settings=settings)[0] == PRIMARY
    assert _run(_get(), _directory_list, state=LAGGING, settings=settings)[0] == PRIMARY
    assert _run(_get(), _directory_list, state=DOWN, settings=settings)[0] == PRIMARY
    just_wrote = _get(**{WROTE_COOKIE: "1"})
    assert _run(just_wrote, _directory_list, settings=settings)[0] == PRIMARY

    settings.SETU_REPLICA_STICKY_SECONDS = 15
    post = RequestFactory().post("/")
    post.user = AnonymousUser()
    alias, response = _run(post, _directory_list, settings=settings)
    assert alias == PRIMARY
    assert response.cookies[WROTE_COOKIE]["max-age"] == 15
    assert WROTE_COOKIE not in _run(_get(), _directory_list, settings=settings)[1].cookies


@pytest.mark.django_db
def test_a_signed_in_reader_of_a_public_page_reads_the_primary(world: World, settings: Any) -> None:
    request = _get()
    request.user = world.user("member")
    assert _run(request, _public_event_page, settings=settings)[0] == PRIMARY
    assert _run(request, _directory_list, settings=settings)[0] == REPLICA


# --- on PostgreSQL: a second alias on the same database, as TEST MIRROR sets it up ---------------


@pytest.fixture
def replica_alias(settings: Any) -> Iterator[str]:
    """A ``replica`` alias on the test database (what ``"TEST": {"MIRROR": "default"}`` does)."""
    if connection.vendor != "postgresql":
        pytest.skip("the replica's lag query is PostgreSQL's")
    settings_dict = {
        **connections[PRIMARY].settings_dict,
        "TEST": {**connections[PRIMARY].settings_dict["TEST"], "MIRROR": PRIMARY},
    }
    # Set on this thread only, not in connections.settings: Django's test case then lets the
    # second connection open without listing it among the test's databases.
    connections[REPLICA] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, alias=REPLICA
    )
    settings.DATABASE_ROUTERS = ["setu.core.replica.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "setu.core.replica.ReplicaMiddleware"]
    replica.forget_replica_state()
    try:
        yield REPLICA
    finally:
        replica.forget_replica_state()
        connections[REPLICA].close()
        del connections[REPLICA]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_lag_query_answers_on_postgresql_and_a_dead_replica_is_down(
    replica_alias: str,
) -> None:
    assert replica.measure_lag(replica_alias) == 0.0  # not in recovery: no lag
    connections[replica_alias].close()
    connections[replica_alias].settings_dict["PORT"] = "1"  # nothing listens there
    assert replica.measure_lag(replica_alias) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_anonymous_event_list_reads_the_replica_and_a_registration_reads_the_primary(
    world: World, replica_alias: str, settings: Any
) -> None:
    from setu.events.tests.factories import EventFactory

    settings.SETU_REPLICA_MAX_LAG_SECONDS = 5
    event = EventFactory.create(owner=world.prefecture, capacity=10)
    client = world.client_for("anonymous")
    with (
        CaptureQueriesContext(connections[replica_alias]) as on_replica,
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
    ):
        response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert any("events_event" in q["sql"] for q in on_replica.captured_queries)
    assert not any("events_event" in q["sql"] for q in on_primary.captured_queries)

    # a signed-in reader of the same page reads the primary
    member = world.client_for("member")
    with CaptureQueriesContext(connections[replica_alias]) as on_replica:
        assert member.get(reverse("events:list")).status_code == 200
    assert not any("events_event" in q["sql"] for q in on_replica.captured_queries)

    # after a POST, the browser reads the primary for a while, even where stale reads are fine
    client.post(
        reverse("events:register", args=[event.pk]),
        {
            "name": "Guest",
            "email": "guest@example.org",
            "time_zone": "Asia/Kolkata",
            "privacy_consent": "on",
        },
    )
    assert WROTE_COOKIE in client.cookies
    replica.forget_replica_state()
    with CaptureQueriesContext(connections[replica_alias]) as on_replica:
        assert client.get(reverse("events:list")).status_code == 200
    assert not on_replica.captured_queries  # not even the lag check: the cookie decided

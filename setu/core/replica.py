"""Reads that may be a little stale go to the read replica (decision 0019).

Only when ``DATABASE_REPLICA_URL`` configures a ``replica`` database: then settings install
``ReplicaRouter`` and ``ReplicaMiddleware``. Without it nothing here runs and every query goes
to ``default``, as before.

A view says its reads may be stale with ``@stale_reads_ok`` (or
``@stale_reads_ok(anonymous_only=True)`` for public pages whose signed-in readers must see their
own changes). The middleware lets such a request read the replica only when all hold:

- the request is a GET or HEAD (a write and everything in its request use the primary);
- the browser wrote nothing in the last ``SETU_REPLICA_STICKY_SECONDS`` (a cookie set on every
  unsafe request), so a person who just registered or edited sees their change;
- the replica answers and lags no more than ``SETU_REPLICA_MAX_LAG_SECONDS``; the check is one
  cheap query, remembered per process for ``SETU_REPLICA_CHECK_SECONDS``.

The choice lives in a context variable for the length of the request; the router reads it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
WROTE_COOKIE = "setu_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD"})

_read_alias: ContextVar[str] = ContextVar("setu_read_alias", default=PRIMARY)

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


# --- marking views ----------------------------------------------------------------------------


@overload
def stale_reads_ok(view: ViewFunc) -> ViewFunc: ...
@overload
def stale_reads_ok(*, anonymous_only: bool = False) -> Callable[[ViewFunc], ViewFunc]: ...
def stale_reads_ok(
    view: ViewFunc | None = None, *, anonymous_only: bool = False
) -> ViewFunc | Callable[[ViewFunc], ViewFunc]:
    """Mark a view whose reads may come from the replica (seconds behind the primary)."""

    def mark(function: ViewFunc) -> ViewFunc:
        function.setu_stale_reads = "anonymous" if anonymous_only else "all"  # type: ignore[attr-defined]
        return function

    return mark(view) if view is not None else mark


# --- the decision -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplicaState:
    """What the last check saw: lag in seconds, or None when the replica did not answer."""

    lag_seconds: float | None
    checked_at: float

    def usable(self, max_lag_seconds: float) -> bool:
        return self.lag_seconds is not None and self.lag_seconds <= max_lag_seconds


def may_read_replica(
    *,
    marking: str | None,
    method: str,
    signed_in: bool,
    wrote_recently: bool,
    state: ReplicaState,
    max_lag_seconds: float,
) -> bool:
    """The whole rule, without Django: may this request's reads go to the replica?"""
    if marking is None or method not in SAFE_METHODS or wrote_recently:
        return False
    if marking == "anonymous" and signed_in:
        return False
    return state.usable(max_lag_seconds)


# How far behind the primary the replica is. On a standby with nothing left to replay it is
# current (0), whatever the time of the last replayed transaction; on a server that is not in
# recovery (a promoted replica, or the test mirror) there is no lag.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""

_state = ReplicaState(lag_seconds=None, checked_at=float("-inf"))


def measure_lag(alias: str = REPLICA) -> float | None:
    """The replica's lag in seconds, or None when it does not answer."""
    try:
        connection = connections[alias]
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                return 0.0
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
        return float(row[0]) if row else None
    except DatabaseError:
        logger.warning("The read replica does not answer; reading the primary.")
        with suppress(DatabaseError):
            connections[alias].close()
        return None


def replica_state(
    *, now: float | None = None, measure: Callable[[], float | None] = measure_lag
) -> ReplicaState:
    """The cached state, measured again when older than SETU_REPLICA_CHECK_SECONDS."""
    global _state
    now = time.monotonic() if now is None else now
    if now - _state.checked_at >= settings.SETU_REPLICA_CHECK_SECONDS:
        _state = ReplicaState(lag_seconds=measure(), checked_at=now)
    return _state


def forget_replica_state() -> None:
    global _state
    _state = ReplicaState(lag_seconds=None, checked_at=float("-inf"))


@contextmanager
def reading_from(alias: str) -> Iterator[None]:
    """Route this context's reads to ``alias`` (the middleware's choice; tests use it too)."""
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)


# --- Django's hooks ------------------------------------------------------------------------------


class ReplicaRouter:
    """Reads go where the request's context says (the primary unless chosen); writes never."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return _read_alias.get()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaMiddleware:
    """Chooses the replica for marked, safe requests; marks browsers that just wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_setu_read_token", None)
            if token is not None:
                _read_alias.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.SETU_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        marking = getattr(view, "setu_stale_reads", None)
        if marking is None:
            return
        user = getattr(request, "user", None)
        asked: dict[str, Any] = {
            "marking": marking,
            "method": request.method or "",
            "signed_in": bool(user is not None and user.is_authenticated),
            "wrote_recently": WROTE_COOKIE in request.COOKIES,
            "max_lag_seconds": settings.SETU_REPLICA_MAX_LAG_SECONDS,
        }
        usable = ReplicaState(lag_seconds=0.0, checked_at=0.0)
        if not may_read_replica(**asked, state=usable):
            return  # the primary whatever the replica's state: no need to check it
        if may_read_replica(**asked, state=replica_state()):
            # Until the response is built (render() runs inside the view): the whole page.
            request._setu_read_token = _read_alias.set(REPLICA)  # type: ignore[attr-defined]

"""The load mix of deploy/local/loadtest (locust, headless): readers, guests, members, officers.

Reads its plan from $LOADTEST_PLAN (deploy/local/loadtest_django.py prepare) and writes what it
saw to $LOADTEST_OUT when the run stops: request counts and percentiles, the registrations it
saw confirmed and those that failed. Every request is retried once on a server error or a
broken connection (a killed app server); a request counts as failed only if the retry fails too.
"""

from __future__ import annotations

import base64
import email
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment
from requests.cookies import create_cookie

PLAN: dict[str, Any] = json.loads(Path(os.environ.get("LOADTEST_PLAN", "plan.json")).read_text())
OUT = Path(os.environ.get("LOADTEST_OUT", "seen.json"))
MAIL_DIR = Path(os.environ.get("LOADTEST_MAIL_DIR", "mail"))
SEARCHES = [
    "水素",
    "solar",
    "自動車部品",
    "नवीकरणीय ऊर्जा",
    "smart city",
    "Gujarat",
    "食品加工",
    "IT",
]
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/events/confirm/[^\s\"'<>/]+/")

SEEN: dict[str, Any] = {
    "retried": 0,
    "failed_after_retry": 0,
    "confirmed": [],
    "waitlisted": [],
    "failed": [],
    "mail_timeouts": 0,
}
CONFIRM_LINKS: dict[str, list[str]] = {}  # guest's address -> the links of their emails


def _registration_id(link: str) -> int:
    """The registration a confirmation link names (its signed payload is base64 JSON)."""
    payload = link.rstrip("/").rsplit("/", 1)[1].split(":", 1)[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return int(data["r"])


def _scan_mail(since: float) -> None:
    """Index confirmation links from the file mail backend's messages, as a guest reads mail."""
    done: set[str] = set()
    while True:
        try:
            paths = [p for p in MAIL_DIR.iterdir() if p.name not in done]
        except FileNotFoundError:
            paths = []
        for path in paths:
            try:
                if path.stat().st_mtime < since - 5:
                    done.add(path.name)
                    continue
                raw = path.read_bytes()
            except OSError:
                continue
            done.add(path.name)
            for chunk in raw.split(b"\n" + b"-" * 79 + b"\n"):
                message = email.message_from_bytes(chunk.strip())
                to = (message.get("To") or "").strip().lower()
                if not to.startswith(PLAN["email_prefix"]):
                    continue
                for part in message.walk():
                    payload = part.get_payload(decode=True)
                    if isinstance(payload, bytes):
                        found = CONFIRM_LINK.search(payload.decode("utf-8", "replace"))
                        if found:
                            CONFIRM_LINKS.setdefault(to, []).append(found.group(0))
                            break
        gevent.sleep(0.5)


@events.test_start.add_listener
def _start(environment: Environment, **kwargs: Any) -> None:
    gevent.spawn(_scan_mail, time.time())


@events.quitting.add_listener
def _write(environment: Environment, **kwargs: Any) -> None:
    total = environment.stats.total
    OUT.write_text(
        json.dumps(
            {
                **SEEN,
                "requests": total.num_requests,
                "failures_including_retried": total.num_failures,
                "p50": total.get_response_time_percentile(0.50),
                "p95": total.get_response_time_percentile(0.95),
                "p99": total.get_response_time_percentile(0.99),
                "rps": total.total_rps,
                "seconds": (total.last_request_timestamp or 0) - (total.start_time or 0),
            }
        )
    )


class SetuUser(FastHttpUser):
    """geventhttpclient, not requests: the load generator shares the 2 cores with the stack,
    and this client costs several times less CPU per request (docs/performance.md)."""

    abstract = True
    wait_time = between(1, 3)
    insecure = True  # the stack's self-signed certificate
    attempts = 0  # how many tries the last fetch took
    default_headers = {"Accept-Language": "en"}

    def fetch(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        """One request, retried once when the server failed it (5xx or a broken connection)."""
        self.attempts = 0
        for attempt in (1, 2):
            self.attempts = attempt
            with self.client.request(
                method, path, name=name, catch_response=True, allow_redirects=True, **kwargs
            ) as response:
                if response.status_code and response.status_code < 400:
                    response.success()
                    return response
                if response.status_code and response.status_code < 500:
                    response.failure(f"{response.status_code}")  # a client error: no retry
                    SEEN["failed_after_retry"] += 1
                    return None
                response.failure(f"{response.status_code} {response.error or ''}".strip())
                if attempt == 1:
                    SEEN["retried"] += 1
        SEEN["failed_after_retry"] += 1
        return None

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == name), "")

    def post_form(self, path: str, name: str, data: dict[str, Any]) -> Any:
        return self.fetch(
            "POST",
            path,
            name,
            data={"csrfmiddlewaretoken": self.cookie("csrftoken"), **data},
            headers={"Referer": self.host + path},
        )

    def use_session(self, key: str) -> None:
        """Signed in before the run (loadtest_django.py made the session)."""
        host = self.host.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
        self.client.cookiejar.set_cookie(create_cookie("sessionid", key, domain=host, path="/"))


class Reader(SetuUser):
    """Anonymous: the events list and pages, the calendar, search."""

    weight = 50

    @task(4)
    def events(self) -> None:
        self.fetch("GET", "/events/", "events list")

    @task(4)
    def event_page(self) -> None:
        self.fetch("GET", f"/events/{random.choice(PLAN['public_events'])}/", "event page")

    @task(2)
    def calendar(self) -> None:
        self.fetch("GET", "/events/calendar/", "events calendar")

    @task(3)
    def search(self) -> None:
        q = random.choice(SEARCHES)
        self.fetch("GET", "/library/search/", "search", params={"q": q})

    @task(1)
    def home(self) -> None:
        self.fetch("GET", "/", "home")


class Guest(SetuUser):
    """A guest registering for the run's 500-seat event, confirming by the emailed link.

    Each step is a page the guest reads before the next request (the form is filled in, the
    mail opened), so the guest thinks 1–3 s between them as every other user does between
    tasks (``self.wait()``: the same ``wait_time``)."""

    weight = 15

    @task
    def register(self) -> None:
        event = PLAN["event"]
        address = f"{PLAN['email_prefix']}{uuid.uuid4().hex[:12]}@example.org"
        self.fetch("GET", f"/events/{event}/", "event page")
        self.wait()
        if self.fetch("GET", f"/events/{event}/register/", "registration form") is None:
            SEEN["failed"].append(address)
            return
        self.wait()
        response = self.post_form(
            f"/events/{event}/register/",
            "register (guest)",
            {
                "name": "Load Test Guest",
                "email": address,
                "attend_myself": "on",
                "time_zone": "Asia/Kolkata",
                "privacy_consent": "on",
            },
        )
        if response is None or "check-email" not in response.url:
            SEEN["failed"].append(address)
            return
        # A retried POST may have registered twice (the first answer was lost with a killed
        # server): the second registration replaces the first and its email comes second, so
        # the guest then waits a little for it and, as a person would, opens the newest email.
        retried = self.attempts > 1
        wanted = 2 if retried else 1
        deadline = time.time() + 30
        while len(CONFIRM_LINKS.get(address, ())) < wanted and time.time() < deadline:
            if retried and address in CONFIRM_LINKS and time.time() > deadline - 25:
                break  # only one email came: the first attempt never reached the app
            gevent.sleep(0.5)
        links = CONFIRM_LINKS.get(address)
        if not links:
            SEEN["mail_timeouts"] += 1
            return
        link = max(links, key=_registration_id)
        path = link.split("://", 1)[1].split("/", 1)[1]
        self.fetch("GET", "/" + path, "confirmation link")
        self.wait()
        confirmed = self.post_form("/" + path, "confirm (guest)", {})
        if confirmed is None:
            SEEN["failed"].append(address)
        elif "You are registered" in confirmed.text:
            SEEN["confirmed"].append(address)
        elif "waitlist" in confirmed.text:
            SEEN["waitlisted"].append(address)
        else:
            SEEN["failed"].append(address)


class Member(SetuUser):
    """Signed in (a member company, a partner): dashboard, agenda, directory, library search."""

    weight = 25

    def on_start(self) -> None:
        super().on_start()
        chosen = random.choice(PLAN["signed_in"])
        self.use_session(chosen["session"])
        self.agenda_events = chosen["agenda_events"]

    @task(3)
    def dashboard(self) -> None:
        self.fetch("GET", "/dashboard/", "dashboard")

    @task(2)
    def agenda(self) -> None:
        if self.agenda_events:
            pk = random.choice(self.agenda_events)
            self.fetch("GET", f"/events/{pk}/matchmaking/agenda/", "agenda")

    @task(3)
    def directory(self) -> None:
        self.fetch("GET", "/directory/", "directory")

    @task(2)
    def library_search(self) -> None:
        self.fetch(
            "GET", "/library/search/", "library search", params={"q": random.choice(SEARCHES)}
        )


class Officer(SetuUser):
    """A prefecture officer (second factor): registrations list, an event's statistics, the
    KPI dashboard."""

    fixed_count = len(PLAN["officers"])
    _next = 0

    def on_start(self) -> None:
        super().on_start()
        self.account = PLAN["officers"][Officer._next % len(PLAN["officers"])]
        Officer._next += 1
        self.use_session(self.account["session"])

    @task(3)
    def registrations(self) -> None:
        pk = random.choice(self.account["events"])
        self.fetch("GET", f"/events/{pk}/registrations/", "registrations list")

    @task(2)
    def statistics(self) -> None:
        pk = random.choice(self.account["events"])
        self.fetch("GET", f"/events/{pk}/statistics/", "event statistics")

    @task(2)
    def kpi(self) -> None:
        self.fetch("GET", "/results/kpi/", "KPI dashboard")

    @task(1)
    def dashboard(self) -> None:
        self.fetch("GET", "/dashboard/", "dashboard")

"""The load test's database side: prepare a run (its event, who signs in) and reconcile it.

Run by deploy/local/loadtest with the stack's environment (DATABASE_URL of setu_deploy):

    python deploy/local/loadtest_django.py prepare RUN_ID PLAN.json
    python deploy/local/loadtest_django.py reconcile RUN_ID SEEN.json RESULT.json

Each run registers guests for its own fictional 500-seat event, so the counts of one run never
mix with another's.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402  # after django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.http import Http404  # noqa: E402
from django.utils import timezone  # noqa: E402

from setu.accounts.models import Membership, Role, User  # noqa: E402
from setu.directory.models import City  # noqa: E402
from setu.events.models import Attendee, Event, Registration, RegistrationStatus  # noqa: E402
from setu.matchmaking.selectors.access import access_matchmaking  # noqa: E402

CAPACITY = 500
SESSIONS_PER_MEMBER = 30
HOLDING = [RegistrationStatus.CONFIRMED]


def _email_prefix(run_id: str) -> str:
    return f"lt-{run_id}-"


def _session(user: User) -> str:
    """A signed-in session for ``user`` in the configured session store; its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()  # type: ignore[attr-defined]
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def _agenda_events(user: User) -> list[int]:
    """Events whose matchmaking ``user``'s organisations take part in and ``user`` may open
    (the page's own check), up to five."""
    candidates = (
        Event.objects.filter(matchmaking__participants__organisation__memberships__user=user)
        .values_list("pk", flat=True)
        .distinct()
    )
    readable = []
    for pk in candidates:
        try:
            access_matchmaking(user=user, event_pk=pk)
        except Http404:
            continue
        readable.append(pk)
        if len(readable) == 5:
            break
    return readable


def prepare(run_id: str, plan_path: Path) -> None:
    officers = list(
        Membership.objects.filter(
            role=Role.PREFECTURE_OFFICER, user__email__endswith="@demo.setu.example"
        )
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    if not officers:
        raise SystemExit("No demo officers: load the demo first (deploy/local/up).")
    host = officers[0]
    event = Event.objects.create(
        owner=host.organisation,
        created_by=host.user,
        kind="festival",
        title_en=f"Load test festival {run_id} (fictional)",
        title_ja=f"負荷試験フェスティバル {run_id}（架空）",
        city=City.objects.get(key="in-mumbai"),
        time_zone="Asia/Kolkata",
        venue="Fictional Hall",
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=30, hours=6),
        capacity=CAPACITY,
        requires_approval=False,
        visibility="public",
    )
    public_events = list(
        Event.objects.filter(
            visibility="public", starts_at__gte=timezone.now() - timedelta(days=60)
        )
        .exclude(title_en__startswith="Load test festival")
        .values_list("pk", flat=True)[:50]
    )
    signed_in = list(
        User.objects.filter(email__in=["member@demo.setu.example", "partner@demo.setu.example"])
    )
    owned: dict[int, list[int]] = {}
    for event_pk, owner_pk in Event.objects.values_list("pk", "owner_id"):
        owned.setdefault(owner_pk, []).append(event_pk)
    plan: dict[str, Any] = {
        "run_id": run_id,
        "event": event.pk,
        "public_events": public_events or [event.pk],
        # People who work in Setu all day are signed in already: their sessions are made here
        # (as a sign-in with the second factor would), so the mix measures their pages, not
        # password hashing at the start. Each reads the agendas of the events it takes part in.
        "signed_in": [
            {"session": _session(user), "agenda_events": _agenda_events(user)}
            for user in signed_in
            for _ in range(SESSIONS_PER_MEMBER)
        ],
        # officers of the prefectures that lead events: their registrations and statistics
        "officers": [
            {
                "email": m.user.email,
                "session": _session(m.user),
                "events": owned[m.organisation_id][:10],
            }
            for m in officers
            if owned.get(m.organisation_id)
        ],
        "email_prefix": _email_prefix(run_id),
    }
    plan_path.write_text(json.dumps(plan, indent=2))


def reconcile(run_id: str, seen_path: Path, result_path: Path) -> None:
    """Every registration the clients saw confirmed is in the database once; no failed one is;
    seats never exceed capacity."""
    seen = json.loads(seen_path.read_text()) if seen_path.exists() else {}
    confirmed_seen = set(seen.get("confirmed", []))
    failed_seen = set(seen.get("failed", [])) - confirmed_seen
    prefix = _email_prefix(run_id)
    registrations = Registration.objects.filter(email__startswith=prefix)
    by_status: dict[str, int] = {}
    for status in registrations.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    in_db_confirmed = list(registrations.filter(status__in=HOLDING).values_list("email", flat=True))
    counts: dict[str, int] = {}
    for email in in_db_confirmed:
        counts[email] = counts.get(email, 0) + 1
    duplicated = sorted(email for email, n in counts.items() if n > 1)
    missing = sorted(confirmed_seen - set(counts))
    unexpected = sorted(set(counts) - confirmed_seen)  # confirmed in the database, unseen
    failed_but_there = sorted(failed_seen & set(counts))
    event_ids = set(registrations.values_list("event_id", flat=True))
    over_capacity = []
    for event in Event.objects.filter(pk__in=event_ids):
        seats = Attendee.objects.filter(
            event=event, active=True, registration__status__in=HOLDING
        ).count()
        if event.capacity is not None and (
            seats > event.capacity or event.seats_taken > event.capacity
        ):
            over_capacity.append({"event": event.pk, "seats": seats, "capacity": event.capacity})
    result = {
        "confirmed_seen": len(confirmed_seen),
        "confirmed_in_database": len(in_db_confirmed),
        "by_status": by_status,
        "duplicated": duplicated,
        "missing": missing,
        "confirmed_but_unseen": unexpected,
        "failed_but_confirmed": failed_but_there,
        "over_capacity": over_capacity,
        "ok": not (duplicated or missing or failed_but_there or over_capacity),
    }
    result_path.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    command, run, *paths = sys.argv[1:]
    if command == "prepare":
        prepare(run, Path(paths[0]))
    elif command == "reconcile":
        reconcile(run, Path(paths[0]), Path(paths[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")

"""Role × URL rows for scheduling, agendas and outcomes (collected by test_role_matrix.py).

The event is a public seminar led by officer_own's prefecture; its matchmaking pairs the
member's company with the partner's chamber in one published meeting (still to come). The
organisers are the lead's officers and the secretariat; officer_other sees the event but does
not run it. Refused POSTs (a published run cannot be changed; a meeting to come has no outcome)
answer with a message and a redirect back.
"""

from __future__ import annotations

from django.urls import reverse

from setu.conftest import World
from setu.core.tests.matrix import ALL_200, SIGNED_IN_200, Row
from setu.matchmaking.calendar import feed_token
from setu.matchmaking.models import Interpreter
from setu.matchmaking.tests.factories import accepted
from setu.matchmaking.tests.schedule_builders import companies, scheduled

ORGANISERS = ("login", "403", "403", "403", "200", "403", "200")
ORGANISERS_BACK = ("login", "403", "403", "403", "→/events/", "403", "→/events/")
OWN_OR_ORGANISER = ("login", "403", "200", "403", "200", "403", "200")


def _run_url(name: str) -> Row:
    def url(w: World) -> str:
        s = scheduled(w)
        return reverse(f"matchmaking:{name}", args=[s.event.pk, s.run.pk])

    return Row(ORGANISERS, url=url)


def _meeting_url(name: str, expected: tuple[str, ...], method: str = "get") -> Row:
    def url(w: World) -> str:
        s = scheduled(w)
        return reverse(f"matchmaking:{name}", args=[s.event.pk, s.run.pk, s.meeting.pk])

    return Row(expected, url=url, method=method)


def _place(w: World) -> str:
    s = scheduled(w, publish=False)
    late = accepted(s.member, companies(s.mm, 1, country="IN")[0])
    return reverse("matchmaking:schedule_place", args=[s.event.pk, s.run.pk, late.pk])


def _participant_url(name: str) -> Row:
    def url(w: World) -> str:
        s = scheduled(w)
        return reverse(f"matchmaking:{name}", args=[s.event.pk, s.member.pk])

    return Row(OWN_OR_ORGANISER, url=url)


def _event_url(name: str, expected: tuple[str, ...], method: str = "get") -> Row:
    return Row(
        expected,
        url=lambda w: reverse(f"matchmaking:{name}", args=[scheduled(w).event.pk]),
        method=method,
    )


def _interpreter_url(name: str, expected: tuple[str, ...], method: str = "get") -> Row:
    def url(w: World) -> str:
        s = scheduled(w)
        interpreter = Interpreter.objects.create(matchmaking=s.mm, name="Aiko", languages="ja,hi")
        return reverse(f"matchmaking:{name}", args=[s.event.pk, interpreter.pk])

    return Row(expected, url=url, method=method)


ROWS: dict[str, Row] = {
    # interpreters: the organisers' pages only (interpreters are not users)
    "matchmaking:interpreters": _event_url("interpreters", ORGANISERS),
    "matchmaking:interpreter_edit": _interpreter_url("interpreter_edit", ORGANISERS),
    "matchmaking:interpreter_agenda": _interpreter_url("interpreter_agenda", ORGANISERS),
    # the first organiser removes the interpreter; for the second it is gone (404)
    "matchmaking:interpreter_remove": _interpreter_url(
        "interpreter_remove", ("login", "403", "403", "403", "→/events/", "403", "404"), "post"
    ),
    "matchmaking:schedule": _event_url("schedule", ORGANISERS),
    # the first organiser's POST queues a run; the second is told one is already running
    "matchmaking:schedule_run": _event_url("schedule_run", ORGANISERS_BACK, "post"),
    "matchmaking:schedule_reschedule": _event_url("schedule_reschedule", ORGANISERS_BACK, "post"),
    "matchmaking:schedule_detail": _run_url("schedule_detail"),
    "matchmaking:schedule_status": _run_url("schedule_status"),
    "matchmaking:schedule_grid": _run_url("schedule_grid"),
    "matchmaking:schedule_export": _run_url("schedule_export"),
    # already published: refused with a message, back to the run
    "matchmaking:schedule_publish": Row(
        ORGANISERS_BACK,
        url=lambda w: reverse(
            "matchmaking:schedule_publish", args=[(s := scheduled(w)).event.pk, s.run.pk]
        ),
        method="post",
    ),
    # the published run goes back to a draft: back to the run with a message
    "matchmaking:schedule_unpublish": Row(
        ORGANISERS_BACK,
        url=lambda w: reverse(
            "matchmaking:schedule_unpublish", args=[(s := scheduled(w)).event.pk, s.run.pk]
        ),
        method="post",
    ),
    "matchmaking:schedule_move": _meeting_url("schedule_move", ORGANISERS),
    # a published meeting is not removed by hand: a message, back to the run
    "matchmaking:schedule_remove": _meeting_url("schedule_remove", ORGANISERS_BACK, "post"),
    "matchmaking:schedule_place": Row(ORGANISERS, url=_place),
    "matchmaking:outcome_summary": _event_url("outcome_summary", ORGANISERS),
    # everyone signed in: their own agenda, or why they have none
    "matchmaking:agenda": _event_url("agenda", SIGNED_IN_200),
    "matchmaking:agenda_participant": _participant_url("agenda_participant"),
    "matchmaking:agenda_print": _participant_url("agenda_print"),
    "matchmaking:agenda_ics": _participant_url("agenda_ics"),
    # the feed's signed token is the credential: calendar apps cannot sign in
    "matchmaking:agenda_feed": Row(
        ALL_200,
        url=lambda w: reverse("matchmaking:agenda_feed", args=[feed_token(scheduled(w).member)]),
    ),
    # either side or an organiser; the meeting is still to come, so a message and back
    "matchmaking:outcome_record": Row(
        ("login", "403", "→/events/", "→/events/", "→/events/", "403", "→/events/"),
        url=lambda w: reverse(
            "matchmaking:outcome_record", args=[(s := scheduled(w)).event.pk, s.meeting.pk]
        ),
        method="post",
    ),
    # each side writes its own follow-up; organisers read them in the summary
    "matchmaking:outcome_follow_up": Row(
        ("login", "403", "200", "200", "403", "403", "403"),
        url=lambda w: reverse(
            "matchmaking:outcome_follow_up", args=[(s := scheduled(w)).event.pk, s.meeting.pk]
        ),
    ),
}

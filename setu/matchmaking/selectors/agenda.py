"""Reads for personal agendas and for what came of the meetings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from setu.matchmaking.models import (
    FollowUp,
    Matchmaking,
    Meeting,
    MeetingMode,
    Outcome,
    Participant,
    ScheduleRun,
)
from setu.matchmaking.selectors.schedule import published_run


def online_link(matchmaking: Matchmaking, *sides: Participant) -> str:
    """The link of an online meeting: an online-only side's own link, else either side's, else
    the matchmaking's, else the event's."""
    ordered = sorted(sides, key=lambda p: p.mode != MeetingMode.ONLINE)
    for side in ordered:
        if side.online_url:
            return side.online_url
    return matchmaking.online_url or matchmaking.event.online_url


def needs_interpreter(a: Participant, b: Participant) -> bool:
    """Either side asked for one, or the two sides share no language."""
    if a.needs_interpreter or b.needs_interpreter:
        return True
    return not set(a.language_codes) & set(b.language_codes)


@dataclass
class AgendaEntry:
    meeting: Meeting
    other: Participant
    table: str  # the table's label; empty for an online meeting
    link: str  # the online link; empty for a meeting in person
    interpreter: bool
    follow_up: FollowUp | None


def access_participant(*, matchmaking: Matchmaking, participant_pk: Any) -> Participant:
    """A participant of this matchmaking, else 404 (permission is the caller's to check)."""
    try:
        participant = Participant.objects.select_related("organisation", "contact").get(
            matchmaking=matchmaking, pk=participant_pk
        )
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    participant.matchmaking = matchmaking
    return participant


def meetings_with(participant: Participant, run: ScheduleRun) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(run=run)
        .filter(Q(request__requester=participant) | Q(request__recipient=participant))
        .select_related(
            "slot",
            "no_show_by__organisation",
            "request__requester__organisation",
            "request__recipient__organisation",
            "request__requester__contact",
            "request__recipient__contact",
        )
        .order_by("slot__index", "table")
    )


def agenda_entries(*, participant: Participant, run: ScheduleRun | None) -> list[AgendaEntry]:
    """The participant's meetings in ``run`` by time, with what they need to find each other.

    Two queries: the meetings with both sides, and the participant's own follow-ups.
    """
    if run is None:
        return []
    matchmaking = participant.matchmaking
    mine = FollowUp.objects.filter(participant=participant)
    meetings = meetings_with(participant, run).prefetch_related(
        Prefetch("follow_ups", queryset=mine, to_attr="mine")
    )
    entries = []
    for meeting in meetings:
        other = meeting.request.other(participant)
        request = meeting.request
        me = request.requester if request.requester_id == participant.pk else request.recipient
        online = meeting.online or matchmaking.mode == MeetingMode.ONLINE
        entries.append(
            AgendaEntry(
                meeting=meeting,
                other=other,
                table="" if online else matchmaking.table_label(meeting.table),
                link=online_link(matchmaking, me, other) if online else "",
                interpreter=needs_interpreter(me, other),
                follow_up=meeting.mine[0] if meeting.mine else None,
            )
        )
    return entries


# --- outcomes -----------------------------------------------------------------------------------


@dataclass
class OutcomeSummary:
    run: ScheduleRun | None
    meetings: int
    held: int
    no_shows: int
    not_recorded: int
    interest: dict[int, int]  # interest level → follow-ups
    strong: list[FollowUp]


def outcome_summary(*, matchmaking: Matchmaking) -> OutcomeSummary:
    """Meetings held, no-shows and follow-ups of the published schedule, in four queries."""
    run = published_run(matchmaking=matchmaking)
    if run is None:
        return OutcomeSummary(None, 0, 0, 0, 0, {0: 0, 1: 0, 2: 0}, [])
    counts = Meeting.objects.filter(run=run).aggregate(
        meetings=Count("id"),
        held=Count("id", filter=Q(outcome=Outcome.HELD)),
        no_shows=Count("id", filter=Q(outcome=Outcome.NO_SHOW)),
        not_recorded=Count("id", filter=Q(outcome=Outcome.SCHEDULED)),
    )
    follow_ups = FollowUp.objects.filter(meeting__run=run)
    interest = {0: 0, 1: 0, 2: 0}
    for level, count in (
        follow_ups.values("interest")
        .annotate(n=Count("id"))
        .values_list("interest", "n")
        .order_by()
    ):
        interest[level] = count
    strong = list(
        follow_ups.filter(interest=2)
        .select_related(
            "participant__organisation",
            "meeting__slot",
            "meeting__request__requester__organisation",
            "meeting__request__recipient__organisation",
        )
        .order_by("meeting__slot__index", "meeting__table", "pk")
    )
    return OutcomeSummary(
        run=run,
        meetings=counts["meetings"],
        held=counts["held"],
        no_shows=counts["no_shows"],
        not_recorded=counts["not_recorded"],
        interest=interest,
        strong=strong,
    )

"""Reads for coordination: meetings, actions, missions and budgets. Clash notices are in
``setu.coordination.notices``; the calendar in ``setu.coordination.calendar`` (re-exported)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from setu.coordination.calendar import CalendarEntry, calendar_entries, register_calendar_source
from setu.coordination.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    BudgetLine,
    CostShare,
    Delegate,
    Invitee,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Mission,
    MissionParticipant,
)
from setu.coordination.models.meetings import OPEN_ACTION_STATUSES
from setu.core.access import get_visible_or_404
from setu.core.money import NoRate, convert
from setu.core.principal import principal_for
from setu.directory.models import Organisation
from setu.events.models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

    AnyUser = User | AnonymousUser

__all__ = [
    "CalendarEntry",
    "calendar_entries",
    "register_calendar_source",
]


# --- meetings ---------------------------------------------------------------------------------


def series_list(*, user: AnyUser) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.visible_to(user).select_related("owner")


def access_series(*, user: AnyUser, pk: Any) -> MeetingSeries:
    return get_visible_or_404(series_list(user=user), pk)


def meeting_list(
    *, user: AnyUser, when: str = "upcoming", series: MeetingSeries | None = None
) -> QuerySet[Meeting]:
    """Meetings ``user`` may read: "upcoming" (not yet ended, soonest first), "past" (latest
    first) or "all"."""
    meetings = Meeting.objects.visible_to(user).select_related("series", "owner", "city")
    if series is not None:
        meetings = meetings.filter(series=series)
    now = timezone.now()
    if when == "upcoming":
        return meetings.filter(ends_at__gt=now).order_by("starts_at", "id")
    if when == "past":
        return meetings.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return meetings.order_by("-starts_at", "-id")


def access_meeting(*, user: AnyUser, pk: Any) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.visible_to(user).select_related("series", "owner", "city"), pk
    )


@dataclass(frozen=True)
class Participation:
    """How a user stands towards a meeting."""

    organiser: bool
    invited: bool
    answers_for: tuple[Invitee, ...] = field(default=())

    @property
    def takes_part(self) -> bool:
        return self.organiser or self.invited


def meeting_participation(*, user: AnyUser, meeting: Meeting) -> Participation:
    """Cached on the meeting object for the request (one query)."""
    principal = principal_for(user)
    cache: dict[int | None, Participation] = meeting.__dict__.setdefault("_participation", {})
    if principal.user_id in cache:
        return cache[principal.user_id]
    staff_orgs = principal.officer_org_ids | principal.secretariat_org_ids
    mine: tuple[Invitee, ...] = ()
    if principal.user_id is not None:
        mine = tuple(
            Invitee.objects.filter(meeting=meeting)
            .filter(Q(user_id=principal.user_id) | Q(organisation_id__in=principal.org_ids))
            .select_related("organisation", "user")
        )
    result = Participation(
        organiser=meeting.owner_id in staff_orgs, invited=bool(mine), answers_for=mine
    )
    cache[principal.user_id] = result
    return result


def can_read_minutes(*, user: AnyUser, meeting: Meeting) -> bool:
    """Participants read the minutes while they are written; once published, whoever the
    chosen visibility reaches."""
    if meeting_participation(user=user, meeting=meeting).takes_part:
        return True
    principal = principal_for(user)
    if principal.is_secretariat:
        return True
    return meeting.minutes_published_at is not None and (
        meeting.minutes_visibility in principal.shared_levels()
    )


def meeting_organisation_ids(meeting: Meeting) -> set[int]:
    """The organiser and every invited organisation: who may own the meeting's action items."""
    invited = Invitee.objects.filter(meeting=meeting, organisation__isnull=False).values_list(
        "organisation_id", flat=True
    )
    return {meeting.owner_id, *invited}


def meeting_invitees(meeting: Meeting) -> list[Invitee]:
    return list(meeting.invitees.select_related("organisation", "user", "responded_by"))


def agenda_for(meeting: Meeting) -> list[AgendaItem]:
    """The agenda with attachments, decisions and action items (four queries)."""
    return list(
        meeting.agenda_items.select_related("presenter_organisation").prefetch_related(
            "attachments", "decisions"
        )
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The latest meeting of the series before this one (cancelled meetings do not count)."""
    if meeting.series_id is None:
        return None
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at", "-id")
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The earliest meeting of the series after this one (cancelled meetings do not count)."""
    if meeting.series_id is None:
        return None
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__gt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("starts_at", "id")
        .first()
    )


# Overdue first (0), then open (1), then done or dropped (2); within each, by due date.
URGENCY_ORDER = ("urgency", "due_on", "id")


def _action_rows(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    today = timezone.localdate()
    return queryset.select_related("owner", "owner_person", "meeting", "agenda_item").annotate(
        urgency=Case(
            When(status__in=OPEN_ACTION_STATUSES, due_on__lt=today, then=Value(0)),
            When(status__in=OPEN_ACTION_STATUSES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def meeting_actions(
    meeting: Meeting, *, user: AnyUser
) -> tuple[list[ActionItem], list[ActionItem]]:
    """Items raised at the meeting, and open items carried over onto it from earlier ones,
    that ``user`` may read: the participants read them all, others what is shared."""
    visible = ActionItem.objects.visible_to(user)
    raised = list(_action_rows(visible.filter(meeting=meeting)).order_by(*URGENCY_ORDER))
    carried = list(_action_rows(visible.filter(carries__meeting=meeting)).order_by(*URGENCY_ORDER))
    return raised, carried


def action_board(*, user: AnyUser, scope: str = "all", state: str = "open") -> QuerySet[ActionItem]:
    """Action items for a member's board: overdue first, then by due date.

    ``scope`` "mine" keeps the items of the user's organisations and those assigned to them;
    "all" adds every item shared with them. ``state`` "open", "closed" or "all".
    """
    principal = principal_for(user)
    items = ActionItem.objects.visible_to(user)
    if scope == "mine":
        items = items.filter(
            Q(owner_id__in=principal.org_ids) | Q(owner_person_id=principal.user_id)
        )
    if state == "open":
        items = items.filter(status__in=OPEN_ACTION_STATUSES)
    elif state == "closed":
        items = items.exclude(status__in=OPEN_ACTION_STATUSES)
    return _action_rows(items).order_by(*URGENCY_ORDER)


def access_action(*, user: AnyUser, pk: Any) -> ActionItem:
    return get_visible_or_404(
        ActionItem.objects.visible_to(user).select_related("meeting", "owner", "owner_person"), pk
    )


# --- missions ---------------------------------------------------------------------------------


def mission_list(*, user: AnyUser, when: str = "upcoming") -> QuerySet[Mission]:
    """Missions ``user`` may read, with their destinations and participants prefetched."""
    missions = (
        Mission.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(
            Prefetch("destinations", queryset=_destinations()),
            Prefetch(
                "participants", queryset=MissionParticipant.objects.select_related("organisation")
            ),
        )
    )
    today = timezone.localdate()
    if when == "upcoming":
        return missions.filter(ends_on__gte=today).order_by("starts_on", "id")
    if when == "past":
        return missions.filter(ends_on__lt=today).order_by("-starts_on", "-id")
    return missions.order_by("-starts_on", "-id")


def _destinations() -> QuerySet[Any]:
    from setu.coordination.models import MissionDestination

    return MissionDestination.objects.select_related("city", "city__region")


def access_mission(*, user: AnyUser, pk: Any) -> Mission:
    return get_visible_or_404(Mission.objects.visible_to(user).select_related("owner"), pk)


def mission_prefecture_ids(mission: Mission) -> frozenset[int]:
    """The lead and the participating prefectures (cached on the mission object)."""
    cached: frozenset[int] | None = mission.__dict__.get("_prefecture_ids")
    if cached is None:
        participants = MissionParticipant.objects.filter(mission=mission).values_list(
            "organisation_id", flat=True
        )
        cached = frozenset({mission.owner_id, *participants})
        mission.__dict__["_prefecture_ids"] = cached
    return cached


def mission_prefectures(mission: Mission) -> list[Organisation]:
    """Lead first, then participants in the order they joined: the order shares are listed."""
    participants = [
        p.organisation
        for p in MissionParticipant.objects.filter(mission=mission).select_related("organisation")
    ]
    return [mission.owner, *participants]


def headcounts(mission: Mission) -> dict[int, int]:
    """Delegates per prefecture delegation."""
    counts: dict[int, int] = {}
    for prefecture_id in Delegate.objects.filter(mission=mission).values_list(
        "prefecture_id", flat=True
    ):
        counts[prefecture_id] = counts.get(prefecture_id, 0) + 1
    return counts


@dataclass(frozen=True)
class Rate:
    """The JPY→INR rate a page used, to say so next to the amounts."""

    rate: Decimal
    valid_on: date
    source: str

    def inr(self, amount_jpy: int) -> Decimal:
        # The same rounding as setu.core.money.convert: whole rupees, half up.
        return (Decimal(amount_jpy) * self.rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def jpy_inr_rate(on: date) -> Rate | None:
    """The rate ``setu.core.money.convert`` uses on ``on`` (one query), or None without one."""
    try:
        unit = convert(Decimal(1), "JPY", "INR", on=on)
    except NoRate:
        return None
    return Rate(unit.rate, unit.rate_date, unit.source)


@dataclass
class BudgetRow:
    line: BudgetLine
    shares: dict[int, int]
    total_inr: Decimal | None
    cells: list[int | None] = field(default_factory=list)  # shares in the prefectures' order


@dataclass
class BudgetOverview:
    prefectures: list[Organisation]
    rows: list[BudgetRow]
    totals: dict[int, int]
    total_jpy: int
    rate: Rate | None
    rate_requested_on: date

    def total_inr(self) -> Decimal | None:
        return self.rate.inr(self.total_jpy) if self.rate else None

    def totals_in_order(self) -> list[tuple[Organisation, int, Decimal | None]]:
        return [
            (
                org,
                self.totals.get(org.pk, 0),
                self.rate.inr(self.totals.get(org.pk, 0)) if self.rate else None,
            )
            for org in self.prefectures
        ]


def budget_overview(*, mission: Mission) -> BudgetOverview:
    """Every line with its shares per prefecture, totals, and INR at the dated rate.

    The rate is the one valid on the mission's first day, or today's latest while the mission
    is still ahead: costs are planned with the rate known now.
    """
    prefectures = mission_prefectures(mission)
    lines = list(
        mission.budget_lines.prefetch_related(
            Prefetch("shares", queryset=CostShare.objects.order_by("organisation_id"))
        )
    )
    on = min(mission.starts_on, timezone.localdate())
    rate = jpy_inr_rate(on)
    rows = []
    totals: dict[int, int] = {}
    for line in lines:
        shares = {share.organisation_id: share.amount_jpy for share in line.shares.all()}
        for org_id, amount in shares.items():
            totals[org_id] = totals.get(org_id, 0) + amount
        rows.append(
            BudgetRow(
                line,
                shares,
                rate.inr(line.amount_jpy) if rate else None,
                [shares.get(org.pk) for org in prefectures],
            )
        )
    return BudgetOverview(
        prefectures=prefectures,
        rows=rows,
        totals=totals,
        total_jpy=sum(line.amount_jpy for line in lines),
        rate=rate,
        rate_requested_on=on,
    )


# --- the parts of meetings and missions, reached through their parent ------------------------


def _child(model: Any, parent: str, parents: QuerySet[Any], pk: Any, *related: str) -> Any:
    """A part (agenda item, delegate, ...) of a parent the user may read, else 404."""
    queryset = model.objects.filter(**{f"{parent}__in": parents.values("pk")}).select_related(
        parent, f"{parent}__owner", *related
    )
    return get_visible_or_404(queryset, pk)


def access_agenda_item(*, user: AnyUser, pk: Any) -> AgendaItem:
    item: AgendaItem = _child(AgendaItem, "meeting", Meeting.objects.visible_to(user), pk)
    return item


def access_meeting_part(*, user: AnyUser, model: Any, pk: Any) -> Any:
    """An invitee, decision or attachment of a meeting the user may read."""
    meetings = Meeting.objects.visible_to(user)
    if model is AgendaAttachment:
        return _child(model, "agenda_item__meeting", meetings, pk, "agenda_item")
    return _child(model, "meeting", meetings, pk)


def access_mission_part(*, user: AnyUser, model: Any, pk: Any) -> Any:
    """A participant, destination, delegate, itinerary entry, task or budget line of a mission
    the user may read."""
    return _child(model, "mission", Mission.objects.visible_to(user), pk)


def with_permissions(actions: Any, user: AnyUser) -> list[ActionItem]:
    """The action items, each marked ``can_update`` for the user (no queries)."""
    items = list(actions)
    for action in items:
        action.can_update = user.has_perm("coordination.change_action", action)
    return items


def events_during(*, user: User | AnonymousUser, mission: Mission) -> QuerySet[Event]:
    """Events the user may read that touch the mission's days (a day's slack each side), for
    linking itinerary entries to them."""
    since = datetime.combine(mission.starts_on - timedelta(days=1), time.min, UTC)
    until = datetime.combine(mission.ends_on + timedelta(days=2), time.min, UTC)
    return (
        Event.objects.visible_to(user)
        .filter(starts_at__lt=until, ends_at__gt=since)
        .select_related("city")
        .order_by("starts_at")
    )


def my_invitations(*, user: AnyUser, limit: int = 5) -> list[Invitee]:
    """The user's (or their organisations') invitations to meetings that have not ended yet,
    soonest first, for the dashboard. Cancelled meetings are left out. One query."""
    principal = principal_for(user)
    if principal.user_id is None:
        return []
    rows = (
        Invitee.objects.filter(
            Q(user_id=principal.user_id) | Q(organisation_id__in=principal.org_ids),
            meeting__ends_at__gt=timezone.now(),
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "organisation")
        .order_by("meeting__starts_at", "id")[: limit * 2]
    )
    by_meeting: dict[int, Invitee] = {}
    for row in rows:  # invited as a person and through an organisation: show the meeting once
        by_meeting.setdefault(row.meeting_id, row)
    return list(by_meeting.values())[:limit]

"""Clash notices as each reader may see them.

What is revealed
----------------
* The two members concerned (the lead prefectures of the two plans) always see the notice on
  their coordination home and on their mission's page; participants of a mission see it on
  the mission page.
* When the other plan is one the reader may read anyway (shared with the consortium, or a
  mission the reader's prefecture takes part in), the notice names it: member, title, link,
  cities and days.
* When it is private, the notice says only "another member plans an activity in <cities,
  state> from <first day> to <last day>", and why it clashes (same city, same state, or
  same target organisation, naming only the targets the reader's own plan has too). The
  member, title, purpose, participants, other targets and budget stay hidden.
* A proposal to join forces reveals the proposer (member and mission title) to the other
  side: proposing is the proposer's choice. Accepting makes the joining prefecture (the
  proposer, or the other side when invited) a participant of the joint mission, which it then
  reads like any participant. Until the joining prefecture merges or withdraws its own,
  now duplicate, plan, both sides see the notice with the agreement on it.
* The secretariat sees every notice with both plans named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setu.coordination.event_plans import event_key
from setu.coordination.models import (
    ClashNotice,
    JointProposal,
    Mission,
    PlanOutcome,
    ProposalDirection,
    ProposalStatus,
)
from setu.coordination.plans import mission_key
from setu.core.principal import principal_for
from setu.directory.models import City, Organisation
from setu.events.models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

    from setu.accounts.models import User

REASON_LABELS: dict[str, _StrPromise] = {
    "same_city": _("same city"),
    "same_region": _("same state or region"),
    "same_target": _("same organisation"),
}


@dataclass
class PlanSide:
    """One side of a notice, as the reader may see it."""

    mission: Mission | None  # None when the reader may not know it, or for an event
    owner: Organisation | None  # None when hidden
    cities: list[City]
    starts_on: date
    ends_on: date
    event: Event | None = None  # None when the reader may not know it, or for a mission

    @property
    def plan(self) -> Mission | Event | None:
        """The mission or event, when the reader may know it (it has a title and a page)."""
        return self.mission or self.event

    @property
    def revealed(self) -> bool:
        return self.plan is not None

    @property
    def places(self) -> str:
        """ "Mumbai (Maharashtra), Pune (Maharashtra)"; empty for a plan without a place."""
        return ", ".join(
            f"{city.display_name} ({city.region.display_name})"
            if city.region
            else city.display_name
            for city in self.cities
        )


@dataclass
class NoticeView:
    notice: ClashNotice
    side: str | None  # "a"/"b" when the reader answers for a side, None for onlookers
    mine: PlanSide
    other: PlanSide
    reasons: list[str]
    shared_targets: list[Organisation]
    dismissed: bool
    proposals: list[JointProposal] = field(default_factory=list)

    @property
    def can_answer(self) -> bool:
        return self.side is not None

    @property
    def pending_from_me(self) -> JointProposal | None:
        return next(
            (
                p
                for p in self.proposals
                if p.status == ProposalStatus.PENDING
                and self.mine.mission is not None
                and p.from_mission_id == self.mine.mission.pk
            ),
            None,
        )

    @property
    def agreed(self) -> JointProposal | None:
        """An accepted proposal of this pair whose duplicate plan is still open."""
        return next((p for p in self.proposals if p.duplicate_open), None)

    @property
    def mine_is_duplicate(self) -> bool:
        """The plan this notice is read from is the duplicate to merge or withdraw."""
        agreed = self.agreed
        return (
            agreed is not None
            and self.mine.mission is not None
            and agreed.duplicate_mission.pk == self.mine.mission.pk
        )

    @property
    def pending_to_me(self) -> JointProposal | None:
        return next(
            (
                p
                for p in self.proposals
                if p.status == ProposalStatus.PENDING
                and self.mine.mission is not None
                and p.to_mission_id == self.mine.mission.pk
            ),
            None,
        )


def notice_list(
    *,
    user: User | AnonymousUser,
    mission: Mission | None = None,
    event: Event | None = None,
    include_dismissed: bool = False,
    everything: bool = False,
) -> list[NoticeView]:
    """Notices for the reader: their members' notices, or one mission's (``mission``) or
    event's (``event``), or, for the secretariat with ``everything``, all of them. Seven queries
    whatever the count."""
    principal = principal_for(user)
    notices = ClashNotice.objects.select_related(
        "mission_a", "mission_b", "event_a", "event_b", "owner_a", "owner_b"
    )
    if mission is not None:
        notices = notices.filter(Q(mission_a=mission) | Q(mission_b=mission))
    elif event is not None:
        notices = notices.filter(Q(event_a=event) | Q(event_b=event))
    elif everything and principal.is_secretariat:
        pass
    else:
        notices = notices.filter(
            Q(owner_a__in=principal.officer_org_ids) | Q(owner_b__in=principal.officer_org_ids)
        )
    rows = list(notices.order_by("a_starts_on", "id"))
    if not rows:
        return []
    mission_ids = {pk for n in rows for pk in (n.mission_a_id, n.mission_b_id) if pk}
    readable = {
        mission_key(pk)
        for pk in Mission.objects.visible_to(user)
        .filter(pk__in=mission_ids)
        .values_list("pk", flat=True)
    }
    event_ids = {pk for n in rows for pk in (n.event_a_id, n.event_b_id) if pk}
    if event_ids:
        readable |= {
            event_key(pk)
            for pk in Event.objects.visible_to(user)
            .filter(pk__in=event_ids)
            .values_list("pk", flat=True)
        }
    city_ids = {pk for n in rows for pk in (*n.a_city_ids, *n.b_city_ids)}
    cities = City.objects.select_related("region").in_bulk(city_ids)
    target_ids = {pk for n in rows for pk in n.shared_target_ids}
    targets = Organisation.objects.in_bulk(target_ids)
    proposals: dict[frozenset[int], list[JointProposal]] = {}
    for proposal in JointProposal.objects.filter(
        from_mission__in=mission_ids, to_mission__in=mission_ids
    ).select_related("proposer", "from_mission__owner", "to_mission__owner"):
        pair = frozenset((proposal.from_mission_id, proposal.to_mission_id))
        proposals.setdefault(pair, []).append(proposal)
    views = []
    for notice in rows:
        answering = notice.side_of(principal.officer_org_ids)
        if mission is not None:
            viewpoint = "a" if notice.mission_a_id == mission.pk else "b"
        elif event is not None:
            viewpoint = "a" if notice.event_a_id == event.pk else "b"
        else:
            viewpoint = answering or "a"
        if answering != viewpoint:
            answering = None  # reading the other side's page: nothing to answer here
        dismissed = answering is not None and bool(getattr(notice, f"dismissed_{answering}_at"))
        if dismissed and not include_dismissed:
            continue
        other = "b" if viewpoint == "a" else "a"
        views.append(
            NoticeView(
                notice=notice,
                side=answering,
                mine=_side(notice, viewpoint, cities, reveal=True),
                other=_side(
                    notice,
                    other,
                    cities,
                    reveal=principal.is_secretariat or getattr(notice, f"plan_{other}") in readable,
                ),
                reasons=[str(REASON_LABELS.get(r, r)) for r in notice.reasons],
                shared_targets=[targets[pk] for pk in notice.shared_target_ids if pk in targets],
                dismissed=dismissed,
                proposals=proposals.get(
                    frozenset((notice.mission_a_id or 0, notice.mission_b_id or 0)), []
                ),
            )
        )
    return views


def _side(notice: ClashNotice, side: str, cities: dict[Any, City], *, reveal: bool) -> PlanSide:
    return PlanSide(
        mission=getattr(notice, f"mission_{side}") if reveal else None,
        event=getattr(notice, f"event_{side}") if reveal else None,
        owner=getattr(notice, f"owner_{side}") if reveal else None,
        cities=[cities[pk] for pk in getattr(notice, f"{side}_city_ids") if pk in cities],
        starts_on=getattr(notice, f"{side}_starts_on"),
        ends_on=getattr(notice, f"{side}_ends_on"),
    )


def access_notice(*, user: User | AnonymousUser, pk: Any) -> ClashNotice:
    """A notice the user answers for (an officer of either side), else 404."""
    from setu.core.access import get_visible_or_404

    officer_of = principal_for(user).officer_org_ids
    return get_visible_or_404(
        ClashNotice.objects.filter(
            Q(owner_a__in=officer_of) | Q(owner_b__in=officer_of)
        ).select_related("mission_a__owner", "mission_b__owner"),
        pk,
    )


def access_proposal(*, user: User | AnonymousUser, pk: Any) -> JointProposal:
    """A pending-or-answered proposal to one of the user's prefecture's missions, else 404."""
    from setu.core.access import get_visible_or_404

    officer_of = principal_for(user).officer_org_ids
    return get_visible_or_404(
        JointProposal.objects.filter(to_mission__owner__in=officer_of).select_related(
            "to_mission", "from_mission", "proposer"
        ),
        pk,
    )


def access_proposal_of_side(*, user: User | AnonymousUser, pk: Any) -> JointProposal:
    """A proposal between a mission of the user's prefecture and another, made or received
    (an officer of either lead), else 404."""
    from setu.core.access import get_visible_or_404

    officer_of = principal_for(user).officer_org_ids
    return get_visible_or_404(
        JointProposal.objects.filter(
            Q(to_mission__owner__in=officer_of) | Q(from_mission__owner__in=officer_of)
        ).select_related("to_mission__owner", "from_mission__owner", "proposer"),
        pk,
    )


def open_duplicate_proposals(mission: Mission) -> list[JointProposal]:
    """Accepted proposals that left ``mission`` as the duplicate plan, not yet merged or
    withdrawn (the mission page offers to do one or the other)."""
    if not mission.is_active:
        return []
    return list(
        JointProposal.objects.filter(
            Q(from_mission=mission, direction=ProposalDirection.JOIN_THEIRS)
            | Q(to_mission=mission, direction=ProposalDirection.INVITE_TO_MINE),
            status=ProposalStatus.ACCEPTED,
            plan_outcome=PlanOutcome.OPEN,
        )
        .select_related("from_mission__owner", "to_mission__owner", "proposer")
        .order_by("decided_at", "id")
    )


def event_notices(
    user: User | AnonymousUser, event: Event, can_run: bool, can_change: bool
) -> dict[str, list[NoticeView]]:
    """The clash notices on an event's page, for those who run it."""
    if not can_run:
        return {"notices": []}
    return {"notices": notice_list(user=user, event=event, include_dismissed=True)}

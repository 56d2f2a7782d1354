"""Who may do what in coordination (the ``rules`` package). Reads are filtered in selectors."""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for
from setu.core.rules import has_staff_role, is_prefecture_officer, is_secretariat


def _staff_org_ids(user: Any) -> frozenset[int]:
    principal = principal_for(user)
    return principal.officer_org_ids | principal.secretariat_org_ids


@rules.predicate
def in_network(user: Any) -> bool:
    """Staff, member companies and partners: everyone coordination has something for."""
    return principal_for(user).in_network


@rules.predicate
def organises_meeting(user: Any, meeting: Any) -> bool:
    """Staff of the organisation that organises the meeting (or its series)."""
    return meeting is not None and meeting.owner_id in _staff_org_ids(user)


@rules.predicate
def takes_part_in_meeting(user: Any, meeting: Any) -> bool:
    """Invited in person, or a member of an invited organisation."""
    if meeting is None:
        return False
    from setu.coordination.selectors import meeting_participation

    return meeting_participation(user=user, meeting=meeting).invited


@rules.predicate
def minutes_open(user: Any, meeting: Any) -> bool:
    return meeting is not None and meeting.minutes_published_at is None


@rules.predicate
def leads_mission(user: Any, mission: Any) -> bool:
    """An officer of the lead prefecture."""
    return mission is not None and mission.owner_id in principal_for(user).officer_org_ids


@rules.predicate
def joins_mission(user: Any, mission: Any) -> bool:
    """An officer of a participating prefecture."""
    if mission is None:
        return False
    officer_of = principal_for(user).officer_org_ids
    if not officer_of:
        return False
    from setu.coordination.selectors import mission_prefecture_ids

    return bool(officer_of & mission_prefecture_ids(mission))


@rules.predicate
def leads_duplicate(user: Any, proposal: Any) -> bool:
    """An officer of the prefecture whose own mission an accepted proposal left as the
    duplicate (it merges or withdraws it)."""
    return (
        proposal is not None
        and proposal.duplicate_mission.owner_id in principal_for(user).officer_org_ids
    )


@rules.predicate
def owns_series(user: Any, series: Any) -> bool:
    return series is not None and series.owner_id in _staff_org_ids(user)


@rules.predicate
def answers_for_action(user: Any, action: Any) -> bool:
    """The responsible organisation's people, or the person the item is assigned to."""
    if action is None:
        return False
    principal = principal_for(user)
    return action.owner_id in principal.org_ids or action.owner_person_id == principal.user_id


@rules.predicate
def organises_actions_meeting(user: Any, action: Any) -> bool:
    return action is not None and action.meeting.owner_id in _staff_org_ids(user)


can_manage_meeting = organises_meeting | is_secretariat
can_take_part = can_manage_meeting | takes_part_in_meeting

rules.add_perm("coordination.use", in_network)
rules.add_perm("coordination.view_staff_pages", has_staff_role)
rules.add_perm("coordination.add_meeting", has_staff_role)
rules.add_perm("coordination.change_series", owns_series | is_secretariat)
rules.add_perm("coordination.change_meeting", can_manage_meeting)
rules.add_perm("coordination.edit_minutes", can_take_part & minutes_open)
rules.add_perm("coordination.publish_minutes", can_manage_meeting & minutes_open)
rules.add_perm("coordination.add_action", can_take_part)
rules.add_perm(
    "coordination.change_action", answers_for_action | organises_actions_meeting | is_secretariat
)
rules.add_perm("coordination.add_mission", is_prefecture_officer)
rules.add_perm("coordination.change_mission", leads_mission)
rules.add_perm("coordination.contribute_mission", leads_mission | joins_mission)
rules.add_perm("coordination.view_mission_budget", leads_mission | joins_mission | is_secretariat)
rules.add_perm("coordination.resolve_duplicate", leads_duplicate)

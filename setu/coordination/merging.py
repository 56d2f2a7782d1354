"""What merging a duplicate plan into the joint mission moves, decided before anything moves.

After a joint-mission proposal is accepted, the mission whose lead joined the other one is the
*duplicate*. Merging it moves into the joint mission:

* **delegates** of every delegation whose prefecture takes part in the joint mission (the
  joining prefecture always does), unless the same person (same delegation, organisation and
  name, ignoring case) is there already;
* **itinerary entries**, unless the joint mission has an entry starting at the same moment
  with the same Indian organisation (or, for an entry without one, of the same type and
  title); a moved entry is placed at the joint mission's destination in the same city whose
  days contain it, or at none;
* **tasks** owned by a prefecture that takes part in the joint mission, unless a task with the
  same title and owner is there already;
* **budget lines**, unless a line with the same title and amount is there already. A moved line
  keeps each prefecture's share as it was, as fixed amounts, so that no cost lands on the
  joint mission's other prefectures until its lead changes the line; a line with a share held
  by a prefecture that does not take part in the joint mission stays behind.

What stays behind (items already there, and items of prefectures not on the joint mission)
remains on the duplicate plan, which is then cancelled, and the page lists it beforehand.
Destinations, targets and linked documents are not moved. The page shows this plan before the
lead confirms; ``setu.coordination.services.joint.duplicate_merge`` carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from setu.coordination.models import (
    BudgetLine,
    Delegate,
    ItineraryItem,
    JointProposal,
    Mission,
    MissionDestination,
    MissionTask,
)
from setu.coordination.selectors import mission_prefecture_ids
from setu.core.timefmt import zone


@dataclass
class MergePlan:
    """Per kind of record: what moves, what is there already, what stays behind."""

    joint: Mission
    duplicate: Mission
    delegates: list[Delegate] = field(default_factory=list)
    delegates_there: list[Delegate] = field(default_factory=list)
    delegates_left: list[Delegate] = field(default_factory=list)
    itinerary: list[ItineraryItem] = field(default_factory=list)
    itinerary_there: list[ItineraryItem] = field(default_factory=list)
    tasks: list[MissionTask] = field(default_factory=list)
    tasks_there: list[MissionTask] = field(default_factory=list)
    tasks_left: list[MissionTask] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)
    lines_there: list[BudgetLine] = field(default_factory=list)
    lines_left: list[BudgetLine] = field(default_factory=list)
    # itinerary entry pk → the joint mission's destination it is placed at (or None)
    destination_for: dict[int, MissionDestination | None] = field(default_factory=dict)

    @property
    def moves_anything(self) -> bool:
        return bool(self.delegates or self.itinerary or self.tasks or self.lines)

    @property
    def leaves_anything(self) -> bool:
        return bool(
            self.delegates_there
            or self.delegates_left
            or self.itinerary_there
            or self.tasks_there
            or self.tasks_left
            or self.lines_there
            or self.lines_left
        )


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _entry_key(item: ItineraryItem) -> tuple[object, ...]:
    if item.organisation_id:
        return (item.starts_at, "org", item.organisation_id)
    return (item.starts_at, item.kind, _fold(item.title_en), _fold(item.title_ja))


def _local_day(item: ItineraryItem) -> date:
    zone_name = item.destination.city.timezone if item.destination else "Asia/Kolkata"
    return timezone.localtime(item.starts_at, timezone=zone(zone_name)).date()


def merge_plan(proposal: JointProposal) -> MergePlan:
    """What ``duplicate_merge`` would move for this accepted proposal, read now."""
    joint, duplicate = proposal.joint_mission, proposal.duplicate_mission
    plan = MergePlan(joint=joint, duplicate=duplicate)
    on_joint = mission_prefecture_ids(joint)

    people = {(d.prefecture_id, d.organisation_id, _fold(d.name)) for d in joint.delegates.all()}
    for delegate in duplicate.delegates.select_related("prefecture", "organisation"):
        if delegate.prefecture_id not in on_joint:
            plan.delegates_left.append(delegate)
        elif (delegate.prefecture_id, delegate.organisation_id, _fold(delegate.name)) in people:
            plan.delegates_there.append(delegate)
        else:
            plan.delegates.append(delegate)

    entries = {_entry_key(item) for item in joint.itinerary.all()}
    destinations = list(joint.destinations.all())
    for item in duplicate.itinerary.select_related("destination__city", "organisation"):
        if _entry_key(item) in entries:
            plan.itinerary_there.append(item)
            continue
        plan.itinerary.append(item)
        day = _local_day(item)
        city_id = item.destination.city_id if item.destination else None
        plan.destination_for[item.pk] = next(
            (d for d in destinations if d.city_id == city_id and d.starts_on <= day <= d.ends_on),
            None,
        )

    tasks = {(t.owner_organisation_id, _fold(t.title)) for t in joint.tasks.all()}
    for task in duplicate.tasks.select_related("owner_organisation"):
        if task.owner_organisation_id not in on_joint:
            plan.tasks_left.append(task)
        elif (task.owner_organisation_id, _fold(task.title)) in tasks:
            plan.tasks_there.append(task)
        else:
            plan.tasks.append(task)

    lines = {(_fold(line.title), line.amount_jpy) for line in joint.budget_lines.all()}
    for line in duplicate.budget_lines.prefetch_related("shares"):
        holders = {share.organisation_id for share in line.shares.all() if share.amount_jpy}
        if (_fold(line.title), line.amount_jpy) in lines:
            plan.lines_there.append(line)
        elif holders - on_joint:
            plan.lines_left.append(line)
        else:
            plan.lines.append(line)
    return plan

"""After a joint mission is agreed: merging the duplicate plan into it, or withdrawing it.

Either ends the duplicate (it is cancelled), records the outcome on the proposal, and checks
both missions for clashes again: the pair's notice, kept while the duplicate was open
(``setu.coordination.plans.open_duplicates``), goes. What a merge moves is decided by
``setu.coordination.merging.merge_plan`` (documented there).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts.models import User
from setu.coordination.merging import MergePlan, merge_plan
from setu.coordination.models import (
    CostShare,
    Delegate,
    ItineraryItem,
    JointProposal,
    Mission,
    MissionStatus,
    MissionTask,
    PlanOutcome,
    ProposalStatus,
    SplitMethod,
)
from setu.coordination.notifications import notify, staff_of
from setu.coordination.selectors import mission_prefecture_ids
from setu.coordination.services.budget import budget_recompute
from setu.coordination.services.clashes import clash_recompute_for_mission
from setu.core import audit
from setu.core.principal import principal_for


def _locked_open(proposal: JointProposal, actor: User) -> JointProposal:
    """The proposal and its two missions under lock, checked ready to resolve."""
    locked = (
        JointProposal.objects.select_for_update(of=("self", "from_mission", "to_mission"))
        .select_related("from_mission__owner", "to_mission__owner", "proposer")
        .get(pk=proposal.pk)
    )
    if locked.duplicate_mission.owner_id not in principal_for(actor).officer_org_ids:
        raise PermissionDenied
    if locked.status != ProposalStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted proposal leaves a plan to merge or withdraw."))
    if locked.plan_outcome == PlanOutcome.MERGED:
        raise ValidationError(_("This plan was already merged into the joint mission."))
    if locked.plan_outcome == PlanOutcome.WITHDRAWN:
        raise ValidationError(_("This plan was already withdrawn."))
    duplicate = locked.duplicate_mission
    if not duplicate.is_active:
        raise ValidationError(
            _("“%(title)s” is %(status)s already: there is nothing left to merge or withdraw.")
            % {"title": duplicate, "status": duplicate.get_status_display().lower()}
        )
    return locked


def _counts(plan: MergePlan) -> dict[str, int]:
    return {
        "delegates": len(plan.delegates),
        "itinerary": len(plan.itinerary),
        "tasks": len(plan.tasks),
        "budget_lines": len(plan.lines),
    }


def _move(plan: MergePlan) -> None:
    joint = plan.joint
    Delegate.objects.filter(pk__in=[d.pk for d in plan.delegates]).update(mission=joint)
    for item in plan.itinerary:
        destination = plan.destination_for.get(item.pk)
        ItineraryItem.objects.filter(pk=item.pk).update(
            mission=joint, destination=destination.pk if destination else None
        )
    MissionTask.objects.filter(pk__in=[t.pk for t in plan.tasks]).update(mission=joint)
    prefectures = mission_prefecture_ids(joint)
    for line in plan.lines:
        current = {share.organisation_id: share.amount_jpy for share in line.shares.all()}
        line.mission, line.split = joint, SplitMethod.FIXED
        line.save(update_fields=["mission", "split", "updated_at"])
        line.shares.all().delete()
        CostShare.objects.bulk_create(
            CostShare(line=line, organisation_id=pk, amount_jpy=current.get(pk, 0))
            for pk in sorted(prefectures)
        )
    # The joint mission's own headcount lines follow the delegates who arrived.
    budget_recompute(mission=joint)


def _finish(
    locked: JointProposal, actor: User, outcome: str, moved: dict[str, int] | None = None
) -> None:
    duplicate, joint = locked.duplicate_mission, locked.joint_mission
    duplicate.status = MissionStatus.CANCELLED
    duplicate.save(update_fields=["status", "updated_at"])
    locked.plan_outcome = outcome
    locked.plan_outcome_by, locked.plan_outcome_at = actor, timezone.now()
    locked.save(update_fields=["plan_outcome", "plan_outcome_by", "plan_outcome_at"])
    action = (
        "coordination.proposal.plan_merged"
        if outcome == PlanOutcome.MERGED
        else "coordination.proposal.plan_withdrawn"
    )
    for owner in (duplicate.owner, joint.owner):
        audit.record(
            locked,
            action,
            actor=actor,
            owner=owner,
            changes={
                "plan_outcome": [PlanOutcome.OPEN, outcome],
                "duplicate": [None, str(duplicate)],
            },
        )
    clash_recompute_for_mission(mission=duplicate)
    clash_recompute_for_mission(mission=joint)
    notify(
        staff_of([joint.owner_id]),
        subject=gettext_lazy("%(org)s merged its plan into %(title)s")
        if outcome == PlanOutcome.MERGED
        else gettext_lazy("%(org)s withdrew its own plan and joins %(title)s"),
        subject_params={"org": duplicate.owner, "title": joint},
        template="coordination/email/duplicate_resolved.txt",
        context={
            "joiner": duplicate.owner,
            "duplicate": duplicate,
            "joint": joint,
            "merged": outcome == PlanOutcome.MERGED,
            "moved": moved or {},
        },
    )


@transaction.atomic
def duplicate_merge(*, proposal: JointProposal, actor: User) -> MergePlan:
    """Move the duplicate plan's delegates, itinerary, tasks and budget lines into the joint
    mission (``merge_plan``), then cancel the duplicate. Only an officer of the duplicate's
    lead may. All or nothing; returns what moved."""
    locked = _locked_open(proposal, actor)
    joint, duplicate = locked.joint_mission, locked.duplicate_mission
    if not joint.is_active:
        raise ValidationError(
            _(
                "The joint mission “%(title)s” is %(status)s: there is nothing to merge into. "
                "Withdraw this plan instead, or ask its lead."
            )
            % {"title": joint, "status": joint.get_status_display().lower()}
        )
    if duplicate.owner_id not in mission_prefecture_ids(joint):
        raise ValidationError(
            _("%(org)s no longer takes part in “%(title)s”: nothing can be merged into it.")
            % {"org": duplicate.owner, "title": joint}
        )
    plan = merge_plan(locked)
    _move(plan)
    moved = _counts(plan)
    audit.record(
        duplicate,
        "coordination.mission.merged",
        actor=actor,
        changes={
            "status": [duplicate.status, MissionStatus.CANCELLED],
            "into": [None, str(joint)],
            **{name: [None, count] for name, count in moved.items()},
        },
    )
    audit.record(
        joint,
        "coordination.mission.merged_in",
        actor=actor,
        changes={
            "from": [None, str(duplicate)],
            **{name: [None, count] for name, count in moved.items()},
        },
    )
    _finish(locked, actor, PlanOutcome.MERGED, moved)
    return plan


@transaction.atomic
def duplicate_withdraw(*, proposal: JointProposal, actor: User) -> Mission:
    """Cancel the duplicate plan without moving anything. Only an officer of its lead may."""
    locked = _locked_open(proposal, actor)
    duplicate = locked.duplicate_mission
    audit.record(
        duplicate,
        "coordination.mission.withdrawn",
        actor=actor,
        changes={
            "status": [duplicate.status, MissionStatus.CANCELLED],
            "joint_mission": [None, str(locked.joint_mission)],
        },
    )
    _finish(locked, actor, PlanOutcome.WITHDRAWN)
    return duplicate

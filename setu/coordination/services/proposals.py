"""Joint-mission proposals: from a clash notice, one prefecture proposes to join the other's
mission (or invites it to join its own); the other accepts or declines.

Accepting adds the joining prefecture as a participant (``missions.participant_add``), so
this module sits above both ``clashes`` and ``missions`` and neither imports it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.accounts.models import User
from setu.coordination.models import (
    ClashNotice,
    JointProposal,
    PlanOutcome,
    ProposalDirection,
    ProposalStatus,
)
from setu.coordination.notifications import notify, staff_of
from setu.coordination.services.clashes import notice_side
from setu.coordination.services.missions import participant_add
from setu.core import audit
from setu.core.principal import principal_for


@transaction.atomic
def proposal_create(
    *,
    notice: ClashNotice,
    actor: User,
    direction: str = ProposalDirection.JOIN_THEIRS,
    message: str = "",
) -> JointProposal:
    """The actor's side proposes to join forces with the other side's mission: either its
    prefecture joins theirs (``join_theirs``) or it invites theirs to join its own
    (``invite_to_mine``)."""
    side = notice_side(notice, actor)
    if direction not in ProposalDirection.values:
        raise ValidationError(
            {"direction": _("Choose whether to join their mission or to invite them to yours.")}
        )
    mine, theirs = (
        (notice.mission_a, notice.mission_b)
        if side == "a"
        else (notice.mission_b, notice.mission_a)
    )
    if mine is None or theirs is None:
        raise ValidationError(_("Joining forces is possible between missions only."))
    pair = JointProposal.objects.filter(
        from_mission__in=[mine, theirs], to_mission__in=[mine, theirs]
    )
    pending = pair.filter(status=ProposalStatus.PENDING).first()
    if pending is not None:
        if pending.from_mission_id == mine.pk:
            raise ValidationError(_("Your proposal is already waiting for an answer."))
        raise ValidationError(_("The other member already proposed to join you: answer it below."))
    if pair.filter(status=ProposalStatus.ACCEPTED, plan_outcome=PlanOutcome.OPEN).exists():
        raise ValidationError(
            _(
                "You have already agreed to join forces: the duplicate plan is now to be merged "
                "into the joint mission or withdrawn."
            )
        )
    proposal = JointProposal.objects.create(
        from_mission=mine,
        to_mission=theirs,
        proposer=mine.owner,
        direction=direction,
        message=message.strip(),
        created_by=actor,
    )
    changes = {"from": [None, str(mine)], "direction": [None, direction]}
    audit.record(
        proposal,
        "coordination.proposal.created",
        actor=actor,
        owner=mine.owner,
        changes={**changes, "to": [None, theirs.pk]},
    )
    audit.record(
        proposal,
        "coordination.proposal.received",
        actor=actor,
        owner=theirs.owner,
        changes={**changes, "to": [None, str(theirs)]},
    )
    notify(
        staff_of([theirs.owner_id]),
        subject=gettext_lazy("%(org)s proposes a joint mission"),
        subject_params={"org": mine.owner},
        template="coordination/email/proposal_received.txt",
        context={"proposal": proposal, "mine": theirs, "theirs": mine},
    )
    return proposal


def _locked_pending(proposal: JointProposal, actor: User) -> JointProposal:
    locked = (
        JointProposal.objects.select_for_update()
        .select_related("from_mission__owner", "to_mission__owner", "proposer")
        .get(pk=proposal.pk)
    )
    if locked.to_mission.owner_id not in principal_for(actor).officer_org_ids:
        raise PermissionDenied
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal was already answered."))
    return locked


@transaction.atomic
def proposal_accept(*, proposal: JointProposal, actor: User) -> JointProposal:
    """The joining prefecture becomes a participant of the joint mission (the proposer's
    prefecture joins the other mission, or the other prefecture joins the proposer's, as the
    proposal says); both members are told by email. The duplicate plan's notice stays until
    it is merged or withdrawn (``setu.coordination.services.joint``)."""
    locked = _locked_pending(proposal, actor)
    joint = locked.joint_mission
    if not joint.is_active:
        raise ValidationError(
            _("“%(title)s” is %(status)s: nobody can join it any more. Decline the proposal.")
            % {"title": joint, "status": joint.get_status_display().lower()}
        )
    # Accepted before the participant is added, so that the clash check that follows sees
    # the duplicate plan as still open and keeps the notice (setu.coordination.plans).
    locked.status = ProposalStatus.ACCEPTED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    participant_add(
        mission=joint, actor=actor, organisation=locked.joining_organisation, via_proposal=locked
    )
    for owner in (locked.to_mission.owner, locked.proposer):
        audit.record(
            locked,
            "coordination.proposal.accepted",
            actor=actor,
            owner=owner,
            changes={
                "status": [ProposalStatus.PENDING, ProposalStatus.ACCEPTED],
                "joint_mission": [None, str(joint)],
                "joins": [None, str(locked.joining_organisation)],
            },
        )
    for mine in (locked.to_mission, locked.from_mission):
        notify(
            staff_of([mine.owner_id]),
            subject=gettext_lazy("Joint mission agreed: %(title)s"),
            subject_params={"title": joint},
            template="coordination/email/proposal_accepted.txt",
            context={
                "proposal": locked,
                "mine": mine,
                "joint": joint,
                "duplicate": locked.duplicate_mission,
                "joiner": locked.joining_organisation,
                "mine_is_duplicate": mine.pk == locked.duplicate_mission.pk,
            },
        )
    return locked


@transaction.atomic
def proposal_decline(*, proposal: JointProposal, actor: User) -> JointProposal:
    locked = _locked_pending(proposal, actor)
    locked.status = ProposalStatus.DECLINED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    for owner in (locked.to_mission.owner, locked.proposer):
        audit.record(
            locked,
            "coordination.proposal.declined",
            actor=actor,
            owner=owner,
            changes={"status": [ProposalStatus.PENDING, ProposalStatus.DECLINED]},
        )
    notify(
        staff_of([locked.proposer.pk]),
        subject=gettext_lazy("Your joint mission proposal was declined"),
        template="coordination/email/proposal_declined.txt",
        context={"proposal": locked, "mine": locked.from_mission},
    )
    return locked

"""Clash notices between members' plans, and proposals to join forces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from setu.coordination.models.missions import Mission
    from setu.directory.models import Organisation


class ClashNotice(models.Model):
    """Two members' plans that overlap in time and place or purpose (setu.algorithms.clashes).

    One row per pair of plans; ``plan_a < plan_b`` as Python orders the plan keys
    ("mission:12", "event:7"); the mission or event links are set to match the keys. Each side
    dismisses the notice for itself; the row is deleted when the plans stop clashing, and a
    dismissal therefore lasts as long as the clash does.
    """

    plan_a = models.CharField(max_length=40)
    plan_b = models.CharField(max_length=40)
    mission_a = models.ForeignKey(
        "coordination.Mission", on_delete=models.CASCADE, null=True, related_name="+"
    )
    mission_b = models.ForeignKey(
        "coordination.Mission", on_delete=models.CASCADE, null=True, related_name="+"
    )
    event_a = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, related_name="+"
    )
    event_b = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, related_name="+"
    )
    owner_a = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    owner_b = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.JSONField(default=list)
    # What each side's clashing part looks like: its cities and its days.
    a_city_ids = models.JSONField(default=list)
    b_city_ids = models.JSONField(default=list)
    shared_target_ids = models.JSONField(default=list)
    a_starts_on = models.DateField()
    a_ends_on = models.DateField()
    b_starts_on = models.DateField()
    b_ends_on = models.DateField()
    dismissed_a_at = models.DateTimeField(null=True, blank=True)
    dismissed_b_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["a_starts_on", "id"]
        verbose_name = _("clash notice")
        verbose_name_plural = _("clash notices")
        constraints = [
            models.UniqueConstraint(fields=["plan_a", "plan_b"], name="clash_notice_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.plan_a} × {self.plan_b}"

    def side_of(self, org_ids: frozenset[int]) -> str | None:
        """ "a" or "b" for the member among ``org_ids``, else None."""
        if self.owner_a_id in org_ids:
            return "a"
        if self.owner_b_id in org_ids:
            return "b"
        return None


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProposalDirection(models.TextChoices):
    """Whose mission becomes the joint one."""

    JOIN_THEIRS = "join_theirs", _("Join their mission")
    INVITE_TO_MINE = "invite_to_mine", _("Invite them to join mine")


class PlanOutcome(models.TextChoices):
    """What became of the duplicate plan after an accepted proposal."""

    OPEN = "", _("Not merged or withdrawn yet")
    MERGED = "merged", _("Merged into the joint mission")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class JointProposal(models.Model):
    """One member proposes to join forces with another member's clashing mission.

    ``direction`` says whose mission becomes the joint one: ``join_theirs`` (the proposer's
    prefecture joins ``to_mission``) or ``invite_to_mine`` (the other prefecture joins
    ``from_mission``). After acceptance the other mission of the pair is the *duplicate*; its
    lead merges it into the joint mission or withdraws it (``plan_outcome``), and until then
    the pair's clash notice stays (setu/coordination/plans.py).
    """

    from_mission = models.ForeignKey(
        "coordination.Mission", on_delete=models.CASCADE, related_name="proposals_made"
    )
    to_mission = models.ForeignKey(
        "coordination.Mission", on_delete=models.CASCADE, related_name="proposals_received"
    )
    proposer = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    direction = models.CharField(
        _("how to join forces"),
        max_length=16,
        choices=ProposalDirection.choices,
        default=ProposalDirection.JOIN_THEIRS,
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    plan_outcome = models.CharField(
        _("duplicate plan"),
        max_length=12,
        choices=PlanOutcome.choices,
        default=PlanOutcome.OPEN,
        blank=True,
    )
    plan_outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("joint mission proposal")
        verbose_name_plural = _("joint mission proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["from_mission", "to_mission"],
                condition=Q(status="pending"),
                name="one_pending_proposal_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposer} → {self.to_mission}"

    @property
    def invites(self) -> bool:
        return self.direction == ProposalDirection.INVITE_TO_MINE

    @property
    def joint_mission(self) -> Mission:
        """The mission that goes on as the joint one."""
        return self.from_mission if self.invites else self.to_mission

    @property
    def duplicate_mission(self) -> Mission:
        """The other mission, whose lead joins the joint one and then merges or withdraws it."""
        return self.to_mission if self.invites else self.from_mission

    @property
    def joining_organisation(self) -> Organisation:
        """The prefecture that becomes a participant of the joint mission."""
        return self.duplicate_mission.owner

    @property
    def duplicate_open(self) -> bool:
        """Accepted, and the duplicate plan is neither merged nor withdrawn nor otherwise over."""
        return (
            self.status == ProposalStatus.ACCEPTED
            and self.plan_outcome == PlanOutcome.OPEN
            and self.duplicate_mission.is_active
        )

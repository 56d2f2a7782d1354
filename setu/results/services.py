"""Writes of results: leads, their stage moves, credits, deals and MoU links.

Every stage move goes through ``lead_move`` (creation records the first stage the same way), so
the history, the audit entry and the ``lead.stage_changed`` domain event never disagree.
Attribution (docs/decisions/0014-results-attribution-and-lead-stages.md): a lead credits the
member prefectures that took part in its origin, and its owner, in equal shares unless the owner
sets them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.coordination.models import ItineraryItem, Mission
from setu.core import audit, domain_events, writes
from setu.directory.models import Organisation, OrganisationKind, Partnership
from setu.matchmaking.models import Meeting
from setu.results import kpi_summary
from setu.results.models import (
    CLOSING_STAGES,
    WHOLE,
    Credit,
    Deal,
    EventCost,
    Lead,
    LeadKind,
    MouLink,
    OriginKind,
    Stage,
    StageChange,
    stage_index,
)
from setu.results.selectors import origin_prefecture_ids, readable_by

if TYPE_CHECKING:
    from setu.accounts.models import User

LEAD_FIELDS = (
    "kind", "title", "company", "counterpart", "counterpart_note", "sector", "expected_value",
    "currency", "probability", "next_step", "next_step_due", "notes", "visibility",
    "origin_kind", "origin_event", "origin_mission", "origin_meeting", "origin_itinerary_item",
    "origin_invitation", "season", "expected_travellers", "travellers_booked",
)  # fmt: skip
ORIGIN_FIELDS = (
    "origin_kind", "origin_event", "origin_mission", "origin_meeting", "origin_itinerary_item",
    "origin_invitation",
)  # fmt: skip
DEAL_FIELDS = (
    "value", "currency", "closed_on", "evidence", "investment_amount", "jobs_planned", "site",
)  # fmt: skip
SHARE_STEP = Decimal("0.0001")


def _check_actor(actor: User | None, lead: Lead) -> None:
    """A person must be an officer of the lead's owner; ``None`` is the system (a survey
    answer, the demo loader)."""
    if actor is not None and not actor.has_perm("results.change_lead", lead):
        raise PermissionDenied


# --- attribution ------------------------------------------------------------------------------


def equal_shares(organisation_ids: Iterable[int]) -> dict[int, Decimal]:
    """Equal shares to four places that add up to exactly 1; the rounding remainder goes to
    the first (the owner)."""
    ids = list(dict.fromkeys(organisation_ids))
    if not ids:
        return {}
    each = (WHOLE / len(ids)).quantize(SHARE_STEP, rounding=ROUND_DOWN)
    shares = dict.fromkeys(ids, each)
    shares[ids[0]] += WHOLE - each * len(ids)
    return shares


def credits_recompute(*, lead: Lead) -> dict[int, Decimal]:
    """Credit the owner and the origin's prefectures in equal shares (replacing any shares
    the owner set). Call inside the write's transaction."""
    shares = equal_shares([lead.owner_id, *origin_prefecture_ids(lead)])
    Credit.objects.filter(lead=lead).delete()
    Credit.objects.bulk_create(
        Credit(lead=lead, organisation_id=pk, share=share) for pk, share in shares.items()
    )
    kpi_summary.lead_written(lead.pk)  # bulk_create sends no signal
    return shares


def _credit_names(lead: Lead) -> str:
    return ", ".join(
        f"{credit.organisation} {credit.share}"
        for credit in Credit.objects.filter(lead=lead).select_related("organisation")
    )


@transaction.atomic
def credits_set(*, lead: Lead, actor: User | None, shares: Mapping[int, Decimal]) -> Lead:
    """The owner's own split: ``shares`` by prefecture id (a zero drops the prefecture).

    Only prefectures the attribution rule credits may have a share, and the shares add up
    to exactly 1.
    """
    _check_actor(actor, lead)
    allowed = {lead.owner_id, *origin_prefecture_ids(lead)}
    kept = {pk: Decimal(share) for pk, share in shares.items() if share}
    errors = []
    if set(kept) - allowed:
        errors.append(_("Only the owner and the prefectures that took part can be credited."))
    if any(share < 0 or share > 1 for share in kept.values()):
        errors.append(_("Each share is between 0 and 1."))
    if any(share != share.quantize(SHARE_STEP) for share in kept.values()):
        errors.append(_("Give shares with at most four decimal places."))
    if sum(kept.values(), Decimal(0)) != WHOLE:
        errors.append(_("The shares must add up to 1 (100%)."))
    if errors:
        raise ValidationError(errors)
    before = _credit_names(lead)
    Credit.objects.filter(lead=lead).delete()
    Credit.objects.bulk_create(
        Credit(lead=lead, organisation_id=pk, share=share, set_by_owner=True)
        for pk, share in sorted(kept.items(), key=lambda item: -item[1])
    )
    kpi_summary.lead_written(lead.pk)  # bulk_create sends no signal
    audit.record(
        lead,
        "results.lead.credits_set",
        actor=actor,
        changes={"credits": [before, _credit_names(lead)]},
    )
    return lead


# --- leads ------------------------------------------------------------------------------------


def _check_lead(lead: Lead) -> None:
    """What a form cannot know: the owner, the companies seen from the owner, the origin."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    owner = lead.owner
    if owner.kind != OrganisationKind.MEMBER_PREFECTURE:
        add("owner", _("A lead belongs to a member prefecture."))
    for field in ("company", "counterpart"):
        organisation = getattr(lead, field)
        if organisation is not None and not readable_by(owner, organisation):
            add(
                field,
                _("%(org)s is not visible to %(owner)s: share it first or choose another.")
                % {"org": organisation, "owner": owner},
            )
    if lead.counterpart_id is not None and lead.counterpart_id == lead.company_id:
        add("counterpart", _("The counterpart must be another organisation than the company."))
    if lead.expected_value is not None and lead.expected_value < 0:
        add("expected_value", _("The value cannot be negative."))
    if lead.expected_value is not None and not lead.currency:
        add("currency", _("Give the currency of the value."))
    if not 0 <= lead.probability <= 100:
        add("probability", _("The probability is between 0 and 100."))
    if not lead.title.strip():
        add("title", _("Give the lead a title."))
    needs = {
        OriginKind.EVENT: ("origin_event", _("Choose the event the lead came from.")),
        OriginKind.MISSION: ("origin_mission", _("Choose the mission the lead came from.")),
        OriginKind.MEETING: ("origin_meeting", _("A lead from a B2B meeting names the meeting.")),
    }
    if lead.origin_kind in needs:
        field, message = needs[OriginKind(lead.origin_kind)]
        if getattr(lead, f"{field}_id") is None:
            add(field, message)
    if lead.origin_kind == OriginKind.SURVEY and not (
        lead.origin_event_id or lead.origin_mission_id
    ):
        add("origin_kind", _("A lead from a survey names its event or mission."))
    if errors:
        raise ValidationError(errors)


def _complete_origin(lead: Lead) -> None:
    """A B2B meeting's event and a mission meeting's mission are part of the origin too."""
    if lead.origin_meeting_id is not None and lead.origin_event_id is None:
        lead.origin_event_id = (
            Meeting.objects.filter(pk=lead.origin_meeting_id)
            .values_list("run__matchmaking__event_id", flat=True)
            .first()
        )
    if lead.origin_itinerary_item_id is not None and lead.origin_mission_id is None:
        lead.origin_mission_id = (
            ItineraryItem.objects.filter(pk=lead.origin_itinerary_item_id)
            .values_list("mission_id", flat=True)
            .first()
        )
    if lead.origin_kind == OriginKind.MANUAL:
        lead.origin_event = lead.origin_mission = None
        lead.origin_meeting = lead.origin_itinerary_item = None


def _publish_stage(lead: Lead, *, from_stage: str | None, at: Any) -> None:
    credited = Credit.objects.filter(lead=lead).values_list("organisation_id", flat=True)
    domain_events.publish(
        "lead.stage_changed",
        organisation_ids={lead.owner_id, *credited},
        payload={
            "lead": lead.pk,
            "kind": lead.kind,
            "from_stage": from_stage,
            "to_stage": lead.stage,
            "at": at.isoformat(),
        },
    )


@transaction.atomic
def lead_create(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    owner: Organisation | None = None,
    stage: str = Stage.IDENTIFIED,
) -> Lead:
    """A new lead of ``owner`` (or ``data["owner"]``) from validated ``data``; its credits
    follow the attribution rule. ``actor`` must be an officer of the owner."""
    owner = owner or data.get("owner")
    if owner is None:
        raise ValidationError(_("A lead belongs to a member prefecture."))
    lead = Lead(owner=owner, created_by=actor, stage=stage)
    writes.assign(lead, {name: data[name] for name in LEAD_FIELDS if name in data})
    _check_actor(actor, lead)
    _complete_origin(lead)
    _check_lead(lead)
    now = timezone.now()
    lead.stage_changed_at = now
    if lead.stage == Stage.WON:
        lead.probability = 100
    lead.save()
    StageChange.objects.create(lead=lead, from_stage="", to_stage=lead.stage, at=now, by=actor)
    credits_recompute(lead=lead)
    after = audit.snapshot(lead, fields=LEAD_FIELDS)
    audit.record(
        lead,
        "results.lead.created",
        actor=actor,
        changes={**audit.field_changes({}, after), "stage": [None, lead.stage]},
    )
    _publish_stage(lead, from_stage=None, at=now)
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, actor: User | None, data: Mapping[str, Any]) -> Lead:
    """Save edited fields (never the stage: that is ``lead_move``). A changed origin credits
    the new origin's prefectures in equal shares again."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    _check_actor(actor, locked)
    before = audit.snapshot(locked, fields=LEAD_FIELDS)
    origin_before = tuple(getattr(locked, f"{name}_id", None) for name in ORIGIN_FIELDS[1:])
    kind_before = locked.origin_kind
    writes.assign(locked, {name: data[name] for name in LEAD_FIELDS if name in data})
    _complete_origin(locked)
    _check_lead(locked)
    locked.save()
    changes = audit.field_changes(before, audit.snapshot(locked, fields=LEAD_FIELDS))
    origin_after = tuple(getattr(locked, f"{name}_id", None) for name in ORIGIN_FIELDS[1:])
    if origin_after != origin_before or locked.origin_kind != kind_before:
        old = _credit_names(locked)
        credits_recompute(lead=locked)
        changes["credits"] = [old, _credit_names(locked)]
    if changes:
        audit.record(locked, "results.lead.changed", actor=actor, changes=changes)
    return locked


def is_backwards(from_stage: str, to_stage: str) -> bool:
    """Moving to an earlier stage, or out of "won" (which withdraws the deal)."""
    return stage_index(to_stage) < stage_index(from_stage) or from_stage == Stage.WON


@transaction.atomic
def lead_move(*, lead: Lead, actor: User | None, to_stage: str, reason: str = "") -> Lead:
    """Move the lead to ``to_stage``: history, audit entry and ``lead.stage_changed``.

    Backwards (to an earlier stage, or out of "won") needs a ``reason``; leaving "won"
    withdraws the lead's deal. Won sets the probability to 100, lost to 0.
    """
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    _check_actor(actor, locked)
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Choose one of the stages.")})
    from_stage = locked.stage
    if to_stage == from_stage:
        raise ValidationError(
            {
                "to_stage": _("The lead is already at this stage: %(stage)s.")
                % {"stage": locked.get_stage_display()}
            }
        )
    reason = reason.strip()
    if is_backwards(from_stage, to_stage) and not reason:
        raise ValidationError(
            {"reason": _("Moving a lead back needs a reason: say what happened.")}
        )
    now = timezone.now()
    changes: dict[str, list[Any]] = {"stage": [from_stage, to_stage]}
    if from_stage == Stage.WON:
        deal = Deal.objects.filter(lead=locked).first()
        if deal is not None:
            changes["deal"] = [f"{deal.value} {deal.currency} {deal.closed_on}", None]
            deal.delete()
    locked.stage = to_stage
    locked.stage_changed_at = now
    if to_stage == Stage.WON:
        locked.probability = 100
    elif to_stage == Stage.LOST:
        locked.probability = 0
    locked.save(update_fields=["stage", "stage_changed_at", "probability", "updated_at"])
    StageChange.objects.create(
        lead=locked, from_stage=from_stage, to_stage=to_stage, reason=reason, at=now, by=actor
    )
    if reason:
        changes["reason"] = [None, reason]
    audit.record(locked, "results.lead.moved", actor=actor, changes=changes)
    _publish_stage(locked, from_stage=from_stage, at=now)
    lead.stage, lead.stage_changed_at, lead.probability = to_stage, now, locked.probability
    return locked


# --- one click from a meeting, an attendance, a mission's meeting ------------------------------


def _existing(owner: Organisation, **origin: Any) -> Lead | None:
    return Lead.objects.filter(owner=owner, **origin).order_by("pk").first()


def lead_from_meeting(*, actor: User, owner: Organisation, meeting: Meeting) -> tuple[Lead, bool]:
    """A trade lead from a held B2B meeting: the Japanese side's company towards the Indian
    side. Returns the lead and whether it is new (one lead per meeting and owner)."""
    existing = _existing(owner, origin_meeting=meeting)
    if existing is not None:
        return existing, False
    request = meeting.request
    sides = [request.requester, request.recipient]
    japanese = next((p for p in sides if p.side == "JP"), sides[0])
    other = request.other(japanese)
    event = meeting.run.matchmaking.event
    follow_up = meeting.follow_ups.order_by("-interest").first()
    data = {
        "kind": LeadKind.TRADE,
        "title": _("%(company)s with %(other)s")
        % {"company": japanese.organisation, "other": other.organisation},
        "company": japanese.organisation,
        "counterpart": other.organisation,
        "sector": japanese.organisation.sectors.first(),
        "next_step": follow_up.next_step if follow_up else "",
        "origin_kind": OriginKind.MEETING,
        "origin_meeting": meeting,
        "origin_event": event,
    }
    return lead_create(actor=actor, owner=owner, data=data, stage=Stage.MEETING_HELD), True


def lead_from_registration(
    *, actor: User, owner: Organisation, registration: Any
) -> tuple[Lead, bool]:
    """A lead from an organisation's attendance at an event: investment for an Indian
    company, trade otherwise."""
    organisation = registration.organisation
    if organisation is None:
        raise ValidationError(_("This registration names no organisation in the directory."))
    existing = _existing(owner, origin_event=registration.event, company=organisation)
    if existing is not None:
        return existing, False
    kind = LeadKind.INVESTMENT if organisation.country == "IN" else LeadKind.TRADE
    data = {
        "kind": kind,
        "title": _("%(company)s after %(event)s")
        % {"company": organisation, "event": registration.event},
        "company": organisation,
        "sector": organisation.sectors.first(),
        "origin_kind": OriginKind.EVENT,
        "origin_event": registration.event,
    }
    return lead_create(actor=actor, owner=owner, data=data, stage=Stage.CONTACTED), True


def lead_from_itinerary_item(
    *, actor: User, owner: Organisation, item: ItineraryItem
) -> tuple[Lead, bool]:
    """An investment lead from a mission's meeting with an Indian organisation."""
    if item.organisation is None:
        raise ValidationError(_("This itinerary entry names no organisation to follow up."))
    existing = _existing(owner, origin_itinerary_item=item)
    if existing is not None:
        return existing, False
    data = {
        "kind": LeadKind.INVESTMENT,
        "title": _("%(company)s after %(mission)s")
        % {"company": item.organisation, "mission": item.mission},
        "company": item.organisation,
        "sector": item.organisation.sectors.first(),
        "next_step": item.outcome[:300],
        "origin_kind": OriginKind.MISSION,
        "origin_mission": item.mission,
        "origin_itinerary_item": item,
    }
    return lead_create(actor=actor, owner=owner, data=data, stage=Stage.MEETING_HELD), True


# --- deals and MoUs ---------------------------------------------------------------------------


@transaction.atomic
def deal_save(*, lead: Lead, actor: User | None, data: Mapping[str, Any]) -> Deal:
    """Record (or correct) the lead's deal; a lead not yet won moves to "won" first."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    _check_actor(actor, locked)
    deal = Deal.objects.filter(lead=locked).first() or Deal(lead=locked, created_by=actor)
    before = audit.snapshot(deal, fields=DEAL_FIELDS) if deal.pk else {}
    writes.assign(deal, {name: data[name] for name in DEAL_FIELDS if name in data})
    errors: dict[str, str] = {}
    if deal.value is None or deal.value < 0:
        errors["value"] = _("The value cannot be negative.")
    if deal.investment_amount is not None and deal.investment_amount < 0:
        errors["investment_amount"] = _("The amount cannot be negative.")
    if locked.kind != LeadKind.INVESTMENT:
        deal.investment_amount, deal.jobs_planned, deal.site = None, None, ""
    if deal.closed_on and deal.closed_on > timezone.localdate():
        errors["closed_on"] = _("A deal is recorded once closed: the date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if locked.stage != Stage.WON:
        lead_move(lead=locked, actor=actor, to_stage=Stage.WON, reason=_("Deal recorded"))
    deal.save()
    after = audit.snapshot(deal, fields=DEAL_FIELDS)
    audit.record(
        locked,
        "results.deal.saved",
        actor=actor,
        changes=audit.field_changes(before, after),
    )
    return deal


@transaction.atomic
def mou_link_add(
    *,
    actor: User,
    partnership: Partnership,
    lead: Lead | None = None,
    mission: Mission | None = None,
) -> MouLink:
    """Link an MoU to the lead or mission behind it (the actor works the lead, or leads or
    joins the mission)."""
    if (lead is None) == (mission is None):
        raise ValidationError(_("Link the agreement to one lead or one mission."))
    if lead is not None:
        _check_actor(actor, lead)
        record: Any = lead
        exists = MouLink.objects.filter(partnership=partnership, lead=lead).exists()
    else:
        assert mission is not None
        if not actor.has_perm("coordination.contribute_mission", mission):
            raise PermissionDenied
        record = mission
        exists = MouLink.objects.filter(partnership=partnership, mission=mission).exists()
    if exists:
        raise ValidationError({"partnership": _("This agreement is already linked.")})
    link = MouLink.objects.create(
        partnership=partnership, lead=lead, mission=mission, created_by=actor
    )
    audit.record(
        record, "results.mou.linked", actor=actor, changes={"agreement": [None, str(partnership)]}
    )
    return link


@transaction.atomic
def mou_link_remove(*, actor: User, link: MouLink) -> None:
    record: Any = link.lead or link.mission
    if link.lead is not None:
        _check_actor(actor, link.lead)
    elif link.mission is not None and not actor.has_perm(
        "coordination.contribute_mission", link.mission
    ):
        raise PermissionDenied
    name = str(link.partnership)
    link.delete()
    audit.record(record, "results.mou.unlinked", actor=actor, changes={"agreement": [name, None]})


# --- event costs (what "was it worth its cost?" sets outcomes against) ---------------------------


def _check_event_host(actor: User, event: Any) -> None:
    from setu.results.selectors import cost_events

    if not cost_events(actor).filter(pk=event.pk).exists():
        raise PermissionDenied


@transaction.atomic
def event_cost_add(*, actor: User, event: Any, title: str, amount_jpy: int) -> EventCost:
    """A cost of ``event`` in yen, entered by an officer of a prefecture that hosts it."""
    _check_event_host(actor, event)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Say what the cost was for.")})
    if amount_jpy is None or amount_jpy < 0:
        raise ValidationError({"amount_jpy": _("Give an amount of zero yen or more.")})
    cost = EventCost.objects.create(
        event=event, title=title, amount_jpy=amount_jpy, created_by=actor
    )
    audit.record(
        event,
        "results.event_cost.added",
        actor=actor,
        changes={"cost": [None, f"{title}: {amount_jpy} JPY"]},
    )
    return cost


@transaction.atomic
def event_cost_remove(*, actor: User, cost: EventCost) -> None:
    _check_event_host(actor, cost.event)
    before = f"{cost.title}: {cost.amount_jpy} JPY"
    event = cost.event
    cost.delete()
    audit.record(event, "results.event_cost.removed", actor=actor, changes={"cost": [before, None]})


def closing(stage: str) -> bool:
    return stage in CLOSING_STAGES

"""Reads of results: leads under the ownership rule, the board, surveys, dashboard figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from setu.core.access import get_visible_or_404
from setu.core.principal import Principal, principal_for
from setu.directory.models import Organisation, OrganisationKind
from setu.results.models import (
    CLOSING_STAGES,
    Credit,
    EventCost,
    Lead,
    MouLink,
    Stage,
    Survey,
    SurveyInvitation,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

    AnyUser = User | AnonymousUser

BOARD_COLUMN_SIZE = 50


def _leads(user: AnyUser) -> QuerySet[Lead]:
    return Lead.objects.visible_to(user).select_related("owner", "company", "counterpart", "sector")


def lead_list(
    *,
    user: AnyUser,
    owner: int | None = None,
    stage: str = "",
    kind: str = "",
    sector: int | None = None,
    overdue: bool = False,
    q: str = "",
) -> QuerySet[Lead]:
    """The leads ``user`` may read, filtered; each row carries its owner, companies, sector."""
    leads = _leads(user)
    if owner is not None:
        leads = leads.filter(owner_id=owner)
    if stage:
        leads = leads.filter(stage=stage)
    if kind:
        leads = leads.filter(kind=kind)
    if sector is not None:
        leads = leads.filter(sector_id=sector)
    if overdue:
        leads = leads.filter(next_step_due__lt=timezone.localdate()).exclude(
            stage__in=CLOSING_STAGES
        )
    if q:
        leads = leads.filter(
            Q(title__icontains=q)
            | Q(company__name_en__icontains=q)
            | Q(company__name_ja__icontains=q)
            | Q(counterpart__name_en__icontains=q)
            | Q(counterpart_note__icontains=q)
        )
    return leads


def access_lead(user: AnyUser, pk: Any) -> Lead:
    """The lead with ``pk`` if ``user`` may read it, else 404."""
    return get_visible_or_404(_leads(user), pk)


def lead_page(user: AnyUser, pk: Any) -> Lead:
    """A lead with everything its page shows, in a fixed number of queries."""
    leads = (
        _leads(user)
        .select_related("origin_event", "origin_mission", "origin_itinerary_item", "created_by")
        .prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("organisation")),
            "stage_changes__by",
            Prefetch("mou_links", queryset=MouLink.objects.select_related("partnership")),
        )
    )
    return get_visible_or_404(leads, pk)


def deal_of(lead: Lead) -> Any:
    """The lead's deal, or None."""
    from setu.results.models import Deal

    return Deal.objects.filter(lead=lead).select_related("evidence").first()


# --- members and the board --------------------------------------------------------------------


def member_prefectures() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE).order_by("name_en")


def board_members(*, user: AnyUser) -> list[Organisation]:
    """Whose boards ``user`` may open: an officer's own prefectures first, then (for staff)
    every member prefecture, whose boards show what it shares."""
    principal = principal_for(user)
    if not principal.is_staff_role:
        return []
    members = list(member_prefectures())
    own = [m for m in members if m.pk in principal.officer_org_ids]
    return own + [m for m in members if m.pk not in principal.officer_org_ids]


@dataclass(frozen=True)
class Column:
    stage: str
    label: str
    leads: list[Lead]
    total: int


def board(
    *, user: AnyUser, member: Organisation, filters: dict[str, Any] | None = None
) -> list[Column]:
    """The member's leads that ``user`` may read, one column per stage, in two queries.

    A column shows its ``BOARD_COLUMN_SIZE`` most recently moved leads and counts them all.
    """
    leads = lead_list(user=user, owner=member.pk, **(filters or {}))
    totals = dict(
        leads.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    shown: dict[str, list[Lead]] = {stage.value: [] for stage in Stage}
    # One query: each column's newest leads (a window would be neater; the columns are short).
    for lead in leads.order_by("stage", "-stage_changed_at", "-id"):
        column = shown[lead.stage]
        if len(column) < BOARD_COLUMN_SIZE:
            column.append(lead)
    return [
        Column(stage.value, str(stage.label), shown[stage.value], totals.get(stage.value, 0))
        for stage in Stage
    ]


def movable_stages(lead: Lead) -> list[tuple[str, str]]:
    return [(stage.value, str(stage.label)) for stage in Stage if stage.value != lead.stage]


# --- the dashboard and an organisation's page -------------------------------------------------


def overdue_next_steps(*, user: AnyUser, today: date | None = None, limit: int = 8) -> list[Lead]:
    """Open leads of the user's prefectures whose next step is overdue, the oldest first."""
    principal = principal_for(user)
    if not principal.officer_org_ids:
        return []
    today = today or timezone.localdate()
    return list(
        Lead.objects.filter(owner_id__in=principal.officer_org_ids, next_step_due__lt=today)
        .exclude(stage__in=CLOSING_STAGES)
        .select_related("company")
        .order_by("next_step_due", "id")[:limit]
    )


def stage_counts(
    *, user: AnyUser, owner_ids: frozenset[int] | None = None
) -> list[tuple[str, str, int]]:
    """(stage, label, count) of the leads ``user`` may read (of ``owner_ids`` when given)."""
    leads = Lead.objects.visible_to(user)
    if owner_ids is not None:
        leads = leads.filter(owner_id__in=owner_ids)
    counts = dict(
        leads.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    return [(stage.value, str(stage.label), counts.get(stage.value, 0)) for stage in Stage]


def organisation_leads(*, user: AnyUser, organisation: Organisation, limit: int = 10) -> list[Lead]:
    """Leads naming ``organisation`` as company or counterpart that ``user`` may read."""
    return list(
        _leads(user)
        .filter(Q(company=organisation) | Q(counterpart=organisation))
        .select_related("deal")
        .order_by("-updated_at", "-id")[:limit]
    )


# --- surveys ----------------------------------------------------------------------------------


def survey_list(*, user: AnyUser) -> QuerySet[Survey]:
    """Surveys ``user`` may read, with their invitation and answer counts."""
    return (
        Survey.objects.visible_to(user)
        .select_related("owner", "event", "mission")
        .annotate(
            invited=Count("invitations", distinct=True),
            sent_count=Count(
                "invitations", filter=Q(invitations__sent_at__isnull=False), distinct=True
            ),
            answered=Count(
                "invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )


def access_survey(user: AnyUser, pk: Any) -> Survey:
    return get_visible_or_404(survey_list(user=user), pk)


def survey_invitations(survey: Survey) -> QuerySet[SurveyInvitation]:
    return survey.invitations.select_related("organisation").order_by("organisation__name_en", "id")


def response_rate(*, sent: int, answered: int) -> int | None:
    """Answers per invitation sent, in whole percent; None before anything was sent."""
    return None if not sent else round(100 * answered / sent)


def access_invitation(token: str) -> SurveyInvitation:
    """The invitation of a survey link; 404 for an unknown token."""
    invitations = SurveyInvitation.objects.select_related(
        "survey", "survey__event", "survey__mission", "organisation"
    )
    try:
        return invitations.get(token=str(token)[:64])
    except SurveyInvitation.DoesNotExist as exc:
        from django.http import Http404

        raise Http404 from exc


def organisation_principal(organisation: Organisation) -> Principal:
    """What a member prefecture reads as an organisation (its officers' view of the network):
    a lead's companies must be readable by the lead's owner."""
    ids = frozenset({organisation.pk})
    return Principal(
        user_id=None,
        org_ids=ids,
        roles=frozenset({"prefecture_officer"}),
        officer_org_ids=ids,
        secretariat_org_ids=frozenset(),
        memberships=((organisation.pk, "prefecture_officer"),),
    )


def readable_by(owner: Organisation, organisation: Organisation) -> bool:
    return organisation_principal(owner).may_read(
        visibility=organisation.visibility,
        owner_id=organisation.pk,
        managed_by_id=organisation.managed_by_id,
    )


# --- the records a lead is made from in one click ---------------------------------------------


def origin_meeting_for(user: AnyUser, pk: Any) -> Any:
    """A held B2B meeting with an interested follow-up, at an event ``user``'s prefecture
    hosts or with a company it manages (whose officers follow it up)."""
    from setu.events.selectors import events_managed_by
    from setu.matchmaking.models import FollowUp, Meeting, Outcome

    officer_of = principal_for(user).officer_org_ids
    ours = (
        Q(run__matchmaking__event__in=events_managed_by(user=user))
        | Q(request__requester__organisation__managed_by__in=officer_of)
        | Q(request__recipient__organisation__managed_by__in=officer_of)
    )
    meetings = (
        Meeting.objects.filter(ours, outcome=Outcome.HELD)
        .filter(pk__in=FollowUp.objects.filter(interest__gte=1).values("meeting_id"))
        .select_related(
            "run__matchmaking__event",
            "request__requester__organisation",
            "request__recipient__organisation",
        )
    )
    return get_visible_or_404(meetings, pk)


def origin_registration_for(user: AnyUser, pk: Any) -> Any:
    """A confirmed registration of an organisation at an event ``user``'s prefecture hosts."""
    from setu.events.models import Registration, RegistrationStatus
    from setu.events.selectors import events_managed_by

    registrations = Registration.objects.filter(
        event__in=events_managed_by(user=user),
        status=RegistrationStatus.CONFIRMED,
        organisation__isnull=False,
    ).select_related("event", "organisation")
    return get_visible_or_404(registrations, pk)


def origin_itinerary_item_for(user: AnyUser, pk: Any) -> Any:
    """A meeting on the itinerary of a mission ``user``'s prefecture leads or joins."""
    from setu.coordination.models import ItineraryItem, Mission
    from setu.coordination.models.missions import MEETING_KINDS

    officer_of = principal_for(user).officer_org_ids
    missions = Mission.objects.visible_to(user).filter(
        Q(owner__in=officer_of) | Q(participants__organisation__in=officer_of)
    )
    items = ItineraryItem.objects.filter(
        mission__in=missions, kind__in=MEETING_KINDS, organisation__isnull=False
    ).select_related("mission", "organisation")
    return get_visible_or_404(items, pk)


# --- MoU links --------------------------------------------------------------------------------


def mou_link_list(*, user: AnyUser) -> QuerySet[MouLink]:
    """Links whose agreement and whose lead or mission ``user`` may read."""
    from setu.coordination.models import Mission
    from setu.directory.models import Partnership

    return (
        MouLink.objects.filter(partnership__in=Partnership.objects.visible_to(user))
        .filter(
            Q(lead__in=Lead.objects.visible_to(user))
            | Q(mission__in=Mission.objects.visible_to(user))
        )
        .select_related("partnership", "lead", "lead__owner", "mission")
        .order_by("-partnership__signed_on", "-id")
    )


def access_mou_link(user: AnyUser, pk: Any) -> MouLink:
    return get_visible_or_404(mou_link_list(user=user), pk)


def cost_events(user: AnyUser) -> QuerySet[Any]:
    """The events whose costs the user enters: those a prefecture they are an officer of
    hosts (leads or co-hosts), that they may see."""
    from setu.events.models import Event, EventOrganisation, HostRole

    officer_of = principal_for(user).officer_org_ids
    co_hosted = EventOrganisation.objects.filter(
        organisation__in=officer_of, role=HostRole.CO_HOST
    ).values("event_id")
    return Event.objects.visible_to(user).filter(Q(owner__in=officer_of) | Q(pk__in=co_hosted))


def access_cost_event(user: AnyUser, pk: Any) -> Any:
    """404 unless the user enters this event's costs."""
    return get_visible_or_404(cost_events(user), pk)


def event_costs(event: Any) -> QuerySet[EventCost]:
    return EventCost.objects.filter(event=event).select_related("created_by").order_by("id")


def access_event_cost(user: AnyUser, pk: Any) -> EventCost:
    """404 unless the cost is of an event whose costs the user enters."""
    return get_visible_or_404(
        EventCost.objects.filter(event__in=cost_events(user).values("pk")).select_related("event"),
        pk,
    )


def credit_prefectures(lead: Lead) -> list[Organisation]:
    """Who may share in the lead's credit: its owner and its origin's prefectures."""
    ids = [lead.owner_id, *origin_prefecture_ids(lead)]
    by_id = Organisation.objects.in_bulk(ids)
    return [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]


def origin_prefecture_ids(lead: Lead) -> list[int]:
    """The member prefectures that took part in the lead's origin: an event's lead host and
    co-hosts (also for a B2B meeting at it), a mission's lead and participating prefectures."""
    from setu.coordination.models import Mission, MissionParticipant
    from setu.events.models import Event, EventOrganisation, HostRole

    ids: list[int] = []
    if lead.origin_event_id is not None:
        event = Event.objects.only("owner_id").get(pk=lead.origin_event_id)
        ids.append(event.owner_id)
        ids += EventOrganisation.objects.filter(
            event_id=lead.origin_event_id, role=HostRole.CO_HOST
        ).values_list("organisation_id", flat=True)
    if lead.origin_mission_id is not None:
        mission = Mission.objects.only("owner_id").get(pk=lead.origin_mission_id)
        ids.append(mission.owner_id)
        ids += MissionParticipant.objects.filter(mission_id=lead.origin_mission_id).values_list(
            "organisation_id", flat=True
        )
    members = set(
        Organisation.objects.filter(
            pk__in=ids, kind=OrganisationKind.MEMBER_PREFECTURE
        ).values_list("pk", flat=True)
    )
    return list(dict.fromkeys(pk for pk in ids if pk in members))

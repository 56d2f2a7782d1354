"""Joint missions on a prefecture's directory page (registered in ``CoordinationConfig.ready``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.coordination.models import Direction, Mission, MissionParticipant, MissionStatus
from setu.directory.models import Organisation, OrganisationKind
from setu.directory.sections import (
    Section,
    SectionItem,
    day_range,
    register_section,
    upcoming_first,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def organisation_missions(user: User | AnonymousUser, organisation: Organisation) -> Section | None:
    """Missions a prefecture leads or takes part in that the reader may read (one query):
    upcoming first, then the most recent. Other organisations get no section."""
    if organisation.kind != OrganisationKind.MEMBER_PREFECTURE:
        return None
    joined = MissionParticipant.objects.filter(mission=OuterRef("pk"), organisation=organisation)
    missions = list(
        Mission.objects.visible_to(user)
        .filter(Q(owner=organisation) | Q(Exists(joined)))
        .filter(direction=Direction.TO_INDIA)
        .exclude(status=MissionStatus.CANCELLED)
        .order_by("-starts_on")[:40]
    )
    today = timezone.localdate()
    chosen = upcoming_first(
        missions, is_over=lambda m: m.ends_on < today, starts=lambda m: m.starts_on
    )
    return Section(
        key="missions",
        title=_("Joint missions"),
        items=[
            SectionItem(
                title=mission.display_title,
                url=mission.get_absolute_url(),
                when=day_range(mission.starts_on, mission.ends_on),
                note=str(_("Lead"))
                if mission.owner_id == organisation.pk
                else str(_("Taking part")),
            )
            for mission in chosen
        ],
        empty=_("No missions of this prefecture are shared with you."),
    )


def organisation_visits(user: User | AnonymousUser, organisation: Organisation) -> Section | None:
    """Visits to Japan a prefecture hosts or co-hosts that the reader may read (one query)."""
    if organisation.kind != OrganisationKind.MEMBER_PREFECTURE:
        return None
    joined = MissionParticipant.objects.filter(mission=OuterRef("pk"), organisation=organisation)
    visits = list(
        Mission.objects.visible_to(user)
        .filter(Q(owner=organisation) | Q(Exists(joined)), direction=Direction.TO_JAPAN)
        .exclude(status=MissionStatus.CANCELLED)
        .order_by("-starts_on")[:40]
    )
    today = timezone.localdate()
    chosen = upcoming_first(
        visits, is_over=lambda m: m.ends_on < today, starts=lambda m: m.starts_on
    )
    return Section(
        key="inbound_visits",
        title=_("Visits to Japan"),
        items=[
            SectionItem(
                title=visit.display_title,
                url=visit.get_absolute_url(),
                when=day_range(visit.starts_on, visit.ends_on),
                note=str(visit.get_visit_kind_display())
                + " · "
                + str(_("Host") if visit.owner_id == organisation.pk else _("Co-host")),
            )
            for visit in chosen
        ],
        empty=_("No visits to Japan hosted by this prefecture are shared with you."),
    )


def register() -> None:
    register_section("missions", organisation_missions, order=20)
    register_section("inbound_visits", organisation_visits, order=21)

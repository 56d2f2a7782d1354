"""A company's leads and deals on its directory page, and the results card on the dashboard
(registered in ``ResultsConfig.ready``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from setu.core.principal import principal_for
from setu.directory.models import Organisation, OrganisationKind
from setu.directory.sections import Section, SectionItem, register_section
from setu.results import selectors

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def organisation_leads(user: User | AnonymousUser, organisation: Organisation) -> Section | None:
    """Leads naming the organisation (as company or counterpart) that the reader may read;
    only staff read leads, and prefectures have none of their own here."""
    if not principal_for(user).is_staff_role:
        return None
    if organisation.kind in (OrganisationKind.MEMBER_PREFECTURE, OrganisationKind.SECRETARIAT):
        return None
    leads = selectors.organisation_leads(user=user, organisation=organisation)
    items = []
    for lead in leads:
        deal = getattr(lead, "deal", None)
        note = f"{lead.get_stage_display()} · {lead.owner}"
        if deal is not None:
            note += f" · {deal.value:,.0f} {deal.currency}"
        items.append(
            SectionItem(
                title=lead.title,
                url=lead.get_absolute_url(),
                when=lead.stage_changed_at.date().isoformat(),
                note=note,
            )
        )
    return Section(
        key="leads",
        title=_("Leads and deals"),
        items=items,
        empty=_("No lead naming this organisation is shared with you."),
    )


def dashboard_part(user: User | AnonymousUser) -> dict[str, Any]:
    """My overdue next steps and my prefectures' leads by stage (two queries), for officers."""
    principal = principal_for(user)
    if not principal.is_officer:
        return {}
    return {
        "results_card": {
            "overdue": selectors.overdue_next_steps(user=user),
            "stages": selectors.stage_counts(user=user, owner_ids=principal.officer_org_ids),
        }
    }


def register() -> None:
    register_section("leads", organisation_leads, order=40)

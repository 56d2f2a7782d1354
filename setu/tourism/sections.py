"""What tourism adds to other apps' pages: the arrivals chart on a member prefecture's
directory page and on the KPI dashboard (registered in ``TourismConfig.ready``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from setu.directory.models import Organisation, OrganisationKind
from setu.directory.sections import Section
from setu.results.kpi_parts import KpiPart
from setu.tourism.charts import arrivals_html

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

TITLE = _("Visitors from India")


def arrivals_section(user: User | AnonymousUser, organisation: Organisation) -> Section | None:
    """The prefecture's arrival figures (public statistics: every reader sees them)."""
    if organisation.kind != OrganisationKind.MEMBER_PREFECTURE or not organisation.region_id:
        return None
    html = arrivals_html(region_ids=[organisation.region_id])
    if html is None:
        return None
    return Section(key="arrivals", title=TITLE, items=[], empty="", html=html)


def arrivals_kpi_part(
    user: User | AnonymousUser, member: Organisation | None, start: date, end: date
) -> KpiPart | None:
    """The member's figures, or every member prefecture's together for the consortium, for
    the latest year with figures up to the period's end."""
    if member is not None:
        region_ids = [member.region_id] if member.region_id else []
    else:
        region_ids = [
            code
            for code in Organisation.objects.filter(
                kind=OrganisationKind.MEMBER_PREFECTURE, region__isnull=False
            ).values_list("region_id", flat=True)
            if code
        ]
    if not region_ids:
        return None
    html = arrivals_html(region_ids=region_ids, until=end.year)
    if html is None:
        return None
    return KpiPart(key="arrivals", title=TITLE, html=html)

"""Role × URL rows for results (vocabulary in setu/core/tests/matrix.py).

The test world: officer_own's prefecture (Yamanashi) owns a consortium-shared lead for its
managed company, hosts a past event (with a held B2B meeting, a confirmed registration and a
survey) and leads a mission with a meeting on its itinerary. Leads are staff pages: member
companies, partners and students get 403 on the lists and 404 for a lead they cannot read.
Officers work their own prefecture's leads; the secretariat reads what members share and
changes nothing. Rows that remove something use a *private* lead of officer_other's
prefecture (Shizuoka), so that only officer_other may and the order of requests is no matter.
"""

from __future__ import annotations

from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.core.tests.matrix import ALL_200, STAFF_ONLY, Row
from setu.directory.models import Partnership
from setu.results.models import MouLink
from setu.results.tests.factories import (
    confirmed_registration,
    held_meeting,
    lead,
    mission_meeting,
    past_event,
    survey,
)

# anonymous, student, member, partner, officer_own, officer_other, secretariat
OFFICERS = ("login", "403", "403", "403", "200", "200", "403")
LEAD_WORK = ("login", "404", "404", "404", "200", "403", "403")
TO_LEADS = "→/results/leads/"
# one click: officer_own's prefecture hosts the event / leads the mission; officer_other's
# does not (404: not one of its records to follow up); the secretariat creates no leads
ONE_CLICK = ("login", "404", "404", "404", TO_LEADS, "404", "403")
ONE_CLICK_REGISTRATION = ONE_CLICK
# a mission's meeting is followed up by the prefectures on the mission: not the secretariat
ONE_CLICK_MISSION = ("login", "404", "404", "404", TO_LEADS, "404", "404")
PRIVATE_UNLINK = ("login", "404", "404", "404", "404", TO_LEADS, "404")
REPORT = ("login", "403", "403", "403", "200", "404", "404")
# an event's costs: entered by the officers of the prefectures hosting it (officer_own's
# prefecture hosts the past event); the secretariat and other prefectures get 404
EVENT_COSTS = ("login", "403", "403", "403", "200", "404", "404")
# removing a cost of a private event of officer_other's prefecture: only its officers may
COST_REMOVE = ("login", "403", "403", "403", "404", "→/results/events/", "404")
SURVEY_SEND = ("login", "404", "404", "404", "→/results/surveys/", "403", "403")


def _unlink(w: World) -> str:
    secret = lead(w, owner=w.other_prefecture, company=w.partner_org, visibility="private")
    agreement = Partnership.objects.create(
        owner=w.other_prefecture, kind="mou", title_en="MoU", visibility=Visibility.CONSORTIUM
    )
    link = MouLink.objects.create(partnership=agreement, lead=secret)
    return reverse("results:mou_link_remove", args=[link.pk])


def _annual_report(w: World, name: str) -> str:
    """A ready annual report of officer_own's prefecture (its officers read it; nobody else)."""
    from setu.results.models import AnnualReport, ReportStatus

    report = AnnualReport.objects.create(
        owner=w.prefecture, visibility=Visibility.PRIVATE, member=w.prefecture, fiscal_year=2026,
        language="en", status=ReportStatus.DONE, progress=100, pdf=b"%PDF-1.7",
    )  # fmt: skip
    return reverse(name, args=[report.pk])


def _cost_remove(w: World) -> str:
    from setu.results.models import EventCost

    event = past_event(w, owner=w.other_prefecture, visibility="private")
    cost = EventCost.objects.create(event=event, title="Venue", amount_jpy=300_000)
    return reverse("results:event_cost_remove", args=[cost.pk])


def _survey(w: World) -> int:
    return survey(w, past_event(w)).pk


ROWS: dict[str, Row] = {
    "results:board": Row(STAFF_ONLY),
    "results:leads": Row(STAFF_ONLY),
    "results:lead_create": Row(OFFICERS),
    "results:lead": Row(STAFF_ONLY, url=lambda w: reverse("results:lead", args=[lead(w).pk])),
    "results:lead_edit": Row(
        LEAD_WORK, url=lambda w: reverse("results:lead_edit", args=[lead(w).pk])
    ),
    "results:lead_move": Row(
        LEAD_WORK, url=lambda w: reverse("results:lead_move", args=[lead(w).pk])
    ),
    "results:lead_credits": Row(
        LEAD_WORK, url=lambda w: reverse("results:lead_credits", args=[lead(w).pk])
    ),
    "results:deal": Row(LEAD_WORK, url=lambda w: reverse("results:deal", args=[lead(w).pk])),
    "results:lead_from_meeting": Row(
        ONE_CLICK,
        url=lambda w: reverse("results:lead_from_meeting", args=[held_meeting(w).pk]),
        method="post",
    ),
    "results:lead_from_registration": Row(
        ONE_CLICK_REGISTRATION,
        url=lambda w: reverse(
            "results:lead_from_registration",
            args=[confirmed_registration(w, past_event(w)).pk],
        ),
        method="post",
    ),
    "results:lead_from_itinerary": Row(
        ONE_CLICK_MISSION,
        url=lambda w: reverse("results:lead_from_itinerary", args=[mission_meeting(w).pk]),
        method="post",
    ),
    "results:mous": Row(STAFF_ONLY),
    "results:mou_link_add": Row(OFFICERS),
    "results:mou_link_remove": Row(PRIVATE_UNLINK, url=_unlink, method="post"),
    "results:event_costs": Row(
        EVENT_COSTS, url=lambda w: reverse("results:event_costs", args=[past_event(w).pk])
    ),
    "results:event_cost_remove": Row(COST_REMOVE, url=_cost_remove, method="post"),
    # the company/counterpart search of the lead form (htmx): staff, what they may see
    "results:organisation_search": Row(STAFF_ONLY),
    "results:surveys": Row(STAFF_ONLY),
    "results:survey_create": Row(OFFICERS),
    "results:survey": Row(STAFF_ONLY, url=lambda w: reverse("results:survey", args=[_survey(w)])),
    "results:survey_send": Row(
        SURVEY_SEND, url=lambda w: reverse("results:survey_send", args=[_survey(w)]), method="post"
    ),
    # KPIs: staff read them (an officer its own prefecture's and the consortium's); an annual
    # report is read by the people of the organisation that asked for it
    "results:kpi": Row(STAFF_ONLY),
    "results:kpi_xlsx": Row(STAFF_ONLY),
    "results:kpi_reports": Row(STAFF_ONLY),
    "results:kpi_report": Row(REPORT, url=lambda w: _annual_report(w, "results:kpi_report")),
    "results:kpi_report_pdf": Row(
        REPORT, url=lambda w: _annual_report(w, "results:kpi_report_pdf")
    ),
    "results:survey_answer": Row(
        ALL_200,
        url=lambda w: reverse("results:survey_answer", args=[_invitation_token(w)]),
    ),
}


def _invitation_token(w: World) -> str:
    from setu.results.models import SurveyInvitation

    invitation = SurveyInvitation.objects.create(
        survey_id=_survey(w), organisation=w.company, language="ja", token="matrix-token"
    )
    return invitation.token

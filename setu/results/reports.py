"""Who may read which KPIs, and the annual report: asked for on a page, made by the worker.

The dashboard's rule: the secretariat reads the consortium's figures and every member's, as far
as each member shares its records; a prefecture officer reads its own prefecture's figures in
full and the consortium's as far as the others share. Nobody else reads KPIs.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from setu.core import audit
from setu.core.access import get_visible_or_404
from setu.core.models import Visibility
from setu.core.principal import principal_for
from setu.directory.models import Organisation
from setu.results.models import AnnualReport, ReportStatus
from setu.results.selectors import member_prefectures

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

    AnyUser = User | AnonymousUser

logger = logging.getLogger(__name__)

REPORT_LANGUAGES = ("ja", "en")
PROGRESS_FIGURES, PROGRESS_CHARTS, PROGRESS_PDF, PROGRESS_DONE = 10, 40, 60, 100


def kpi_members(*, user: AnyUser) -> list[Organisation]:
    """The member prefectures whose KPIs ``user`` may open (own prefectures first)."""
    principal = principal_for(user)
    if principal.is_secretariat:
        members = list(member_prefectures())
        own = [m for m in members if m.pk in principal.officer_org_ids]
        return own + [m for m in members if m.pk not in principal.officer_org_ids]
    if principal.is_officer:
        return list(member_prefectures().filter(pk__in=principal.officer_org_ids))
    return []


def may_read_kpis(user: AnyUser, member: Organisation | None) -> bool:
    """``member`` None is the consortium, open to all staff."""
    principal = principal_for(user)
    if not principal.is_staff_role:
        return False
    return member is None or any(m.pk == member.pk for m in kpi_members(user=user))


def annual_report_list(*, user: AnyUser) -> QuerySet[AnnualReport]:
    """The reports of the user's organisations, newest first (the PDF is not loaded)."""
    return (
        AnnualReport.objects.visible_to(user)
        .select_related("member", "created_by")
        .defer("pdf")
        .order_by("-created_at", "-id")
    )


def access_annual_report(user: AnyUser, pk: Any) -> AnnualReport:
    return get_visible_or_404(annual_report_list(user=user), pk)


def access_annual_report_pdf(user: AnyUser, pk: Any) -> AnnualReport:
    return get_visible_or_404(AnnualReport.objects.visible_to(user), pk)


@transaction.atomic
def annual_report_request(
    *,
    actor: User,
    owner: Organisation,
    member: Organisation | None,
    fiscal_year: int,
    language: str,
) -> AnnualReport:
    """Queue a report; the worker makes it (``tasks.make_annual_report``)."""
    if not may_read_kpis(actor, member):
        raise PermissionDenied
    report = AnnualReport.objects.create(
        owner=owner,
        visibility=Visibility.PRIVATE,
        member=member,
        fiscal_year=fiscal_year,
        language=language,
        created_by=actor,
    )
    audit.record(
        report,
        "results.report.requested",
        actor=actor,
        changes={"fiscal_year": fiscal_year, "language": language},
    )
    from setu.results.tasks import make_annual_report

    transaction.on_commit(lambda: make_annual_report.enqueue(report_id=report.pk))
    return report


def annual_report_make(*, report_id: int) -> None:
    """The worker's part: figures, charts, PDF, each step moving the progress bar.

    Never raises: a failure is stored on the report. A report no longer queued is left alone.
    """
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("member", "created_by", "owner")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status != ReportStatus.QUEUED:
            return
        report.status, report.progress = ReportStatus.RUNNING, PROGRESS_FIGURES
        report.save(update_fields=["status", "progress"])
    try:
        pdf = _make_pdf(report)
    except Exception as exc:
        logger.exception("annual report %s failed", report_id)
        AnnualReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            progress=PROGRESS_DONE,
            finished_at=timezone.now(),
        )
        return
    AnnualReport.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE, pdf=pdf, progress=PROGRESS_DONE, finished_at=timezone.now()
    )


def _make_pdf(report: AnnualReport) -> bytes:
    from setu.core.pdf import html_to_pdf
    from setu.results.charts import kpi_charts
    from setu.results.kpi import kpi_report, period_of_year
    from setu.results.kpi_export import kpi_tables

    start, end = period_of_year(report.fiscal_year)
    with translation.override(report.language):
        figures = kpi_report(member=report.member, start=start, end=end, user=report.created_by)
        _progress(report, PROGRESS_CHARTS)
        charts = kpi_charts(figures.figures, figures.sector_names)
        outcomes = outcome_list(report=report, start=start, end=end)
        _progress(report, PROGRESS_PDF)
        html = render_to_string(
            "results/pdf/annual_report.html",
            {
                "report": report,
                "kpi": figures,
                "figures": figures.figures,
                "tables": {t.key: t for t in kpi_tables(figures)},
                "charts": charts,
                "outcomes": outcomes,
                "start": start,
                "end": end,
                "pdf_language": report.language,
                "generated_at": timezone.now(),
            },
        )
    return html_to_pdf(html)


def _progress(report: AnnualReport, percent: int) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(progress=percent)


OUTCOME_LIMIT = 200


def outcome_list(*, report: AnnualReport, start: Any, end: Any) -> list[Any]:
    """The deals closed in the year that the report counts (at most ``OUTCOME_LIMIT``)."""
    from setu.results.models import Deal, Lead

    deals = Deal.objects.filter(closed_on__gte=start, closed_on__lte=end)
    if report.created_by is not None:
        deals = deals.filter(lead__in=Lead.objects.visible_to(report.created_by).values("pk"))
    if report.member is not None:
        deals = deals.filter(lead__credits__organisation=report.member)
    return list(
        deals.select_related("lead", "lead__company", "lead__counterpart", "lead__owner").order_by(
            "closed_on", "id"
        )[:OUTCOME_LIMIT]
    )

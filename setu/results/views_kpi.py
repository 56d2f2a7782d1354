"""The KPI dashboard (figures, charts with their tables), its XLSX export, and the annual
reports (asked for here, made by the worker, downloaded as PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from setu.accounts.models import Role
from setu.coordination.views.common import needs
from setu.core.access import acting_organisation, signed_in_user
from setu.core.principal import principal_for
from setu.results import reports
from setu.results.charts import MAX_ORIGINS, Chart
from setu.results.forms_kpi import AnnualReportForm, KpiFilterForm, default_period
from setu.results.kpi import CONSORTIUM, KpiReport
from setu.results.kpi_cache import cached_kpi_report
from setu.results.kpi_export import kpi_tables, kpi_workbook
from setu.results.kpi_parts import kpi_parts
from setu.results.models import ReportStatus
from setu.results.selectors import cost_events

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The page's per-origin table; the origin chart's rows are among them (MAX_ORIGINS events and
# missions, behind at most the two rows of meetings and of leads entered by hand).
ORIGINS_SHOWN = 25
assert ORIGINS_SHOWN >= MAX_ORIGINS + 2
SHOWN = ("stages", "sectors", "rates")  # the per-origin table is the page's own (its first rows)


def _default_member(request: HttpRequest) -> str:
    """An officer starts on their own prefecture, the secretariat on the consortium."""
    principal = principal_for(request.user)
    if principal.is_secretariat:
        return CONSORTIUM
    own = reports.kpi_members(user=request.user)
    return str(own[0].pk) if own else CONSORTIUM


def _filters(request: HttpRequest) -> KpiFilterForm:
    """The form bound to the query string, each missing value at its default."""
    start, end = default_period()
    data = {
        "member": request.GET.get("member") or _default_member(request),
        "start": request.GET.get("start") or start.isoformat(),
        "end": request.GET.get("end") or end.isoformat(),
        "sector": request.GET.get("sector", ""),
    }
    return KpiFilterForm(data, user=request.user)


def _report(
    request: HttpRequest, form: KpiFilterForm, origins_shown: int | None = None
) -> tuple[KpiReport | None, Any, dict[str, Chart]]:
    """The figures the form asks for (from the cache when the results did not change);
    ``origins_shown`` as for ``kpi_report``."""
    if not form.is_valid():
        return None, None, {}
    member = form.member_object()
    if not reports.may_read_kpis(request.user, member):
        raise PermissionDenied
    return cached_kpi_report(
        member=member,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        sector=form.sector_object(),
        user=request.user,
        origins_shown=origins_shown,
    )


@login_required
@needs("results.view")
def kpi_dashboard(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    report, computed_at, charts = _report(request, form, origins_shown=ORIGINS_SHOWN)
    context: dict[str, Any] = {"form": form, "report": report, "computed_at": computed_at}
    if report is not None:
        figures = report.figures
        context.update(
            figures=figures,
            member=form.member_object(),
            sector=form.sector_object(),
            tables={table.key: table for table in kpi_tables(report) if table.key in SHOWN},
            charts=charts,
            origins=figures["by_origin"][:ORIGINS_SHOWN],
            origins_hidden=max(0, report.origin_rows - ORIGINS_SHOWN),
            cost_event_ids=_cost_event_ids(request, figures["by_origin"][:ORIGINS_SHOWN]),
            query=request.GET.urlencode(),
            kpi_parts=kpi_parts(
                request.user,
                form.member_object(),
                form.cleaned_data["start"],
                form.cleaned_data["end"],
            ),
        )
    return render(request, "results/kpi_dashboard.html", context)


def _cost_event_ids(request: HttpRequest, origins: list[dict[str, Any]]) -> set[int]:
    """The shown events whose costs the reader enters (a link to the costs beside them)."""
    ids = [o["id"] for o in origins if o["kind"] == "event" and o["id"]]
    if not ids or not principal_for(request.user).is_officer:
        return set()
    return set(cost_events(request.user).filter(pk__in=ids).values_list("pk", flat=True))


@login_required
@needs("results.view")
def kpi_xlsx(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    report, _computed_at, _charts = _report(request, form)
    if report is None:
        messages.error(request, _("Correct the period to export the figures."))
        return redirect(f"{reverse('results:kpi')}?{request.GET.urlencode()}")
    figures = report.figures
    name = f"kpi-{figures['member']}-{figures['from']}-{figures['to']}.xlsx"
    response = HttpResponse(kpi_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@needs("results.view")
def annual_reports(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = AnnualReportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        owner = acting_organisation(user, roles={Role.PREFECTURE_OFFICER, Role.SECRETARIAT})
        if owner is None:
            raise PermissionDenied
        report = reports.annual_report_request(
            actor=user,
            owner=owner,
            member=form.member_object(),
            fiscal_year=form.cleaned_data["fiscal_year"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("The report is being made; this page shows its progress."))
        return redirect(report)
    return render(
        request,
        "results/kpi_reports.html",
        {"form": form, "reports": reports.annual_report_list(user=user)[:50]},
    )


@login_required
@needs("results.view")
def annual_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's page; its status part alone for htmx's polling."""
    report = reports.access_annual_report(request.user, pk)
    template = (
        "results/partials/_report_status.html"
        if getattr(request, "htmx", False)
        else "results/kpi_report.html"
    )
    return render(request, template, {"report": report, "statuses": ReportStatus})


@login_required
@needs("results.view")
def annual_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = reports.access_annual_report_pdf(request.user, pk)
    if report.status != ReportStatus.DONE or not report.pdf:
        messages.info(request, _("The report is not ready yet."))
        return redirect(report)
    member = report.member.region_id if report.member is not None else CONSORTIUM
    name = f"annual-report-{member}-{report.fiscal_year}-{report.language}.pdf"
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


__all__ = [
    "annual_report",
    "annual_report_pdf",
    "annual_reports",
    "kpi_dashboard",
    "kpi_xlsx",
]

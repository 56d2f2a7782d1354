"""The KPI dashboard, its XLSX, the annual report (worker, PDF) and ``manage.py kpi_report``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from setu.conftest import World
from setu.core.models import AuditEntry
from setu.results.models import AnnualReport, Credit, Deal, ReportStatus
from setu.results.tests.factories import lead

pytestmark = pytest.mark.django_db


def _won(world: World, value: str = "1000") -> None:
    made = lead(world, stage="won")
    Credit.objects.get_or_create(lead=made, organisation=world.prefecture, defaults={"share": 1})
    Deal.objects.create(lead=made, value=Decimal(value), currency="JPY", closed_on=date.today())


def test_an_officer_sees_their_prefectures_figures_with_charts_and_tables(world: World) -> None:
    _won(world, "1234567")
    page = world.client_for("officer_own").get(reverse("results:kpi"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "KPIs of Yamanashi" in html
    assert "1,234,567" in html
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert 'id="table-stages"' in html and 'id="table-sectors"' in html


def test_an_officer_may_not_open_another_members_figures(world: World) -> None:
    client = world.client_for("officer_other")
    url = reverse("results:kpi")
    assert client.get(url, {"member": world.prefecture.pk}).status_code == 200  # not offered
    response = client.get(url, {"member": world.prefecture.pk})
    assert "KPIs of Yamanashi" not in response.content.decode()
    assert client.get(url, {"member": "consortium"}).status_code == 200


def test_the_secretariat_opens_the_consortium_and_any_member(world: World) -> None:
    client = world.client_for("secretariat")
    assert "KPIs of the consortium" in client.get(reverse("results:kpi")).content.decode()
    page = client.get(reverse("results:kpi"), {"member": world.prefecture.pk})
    assert "KPIs of Yamanashi" in page.content.decode()


def test_a_bad_period_says_why_in_the_readers_language(world: World) -> None:
    client = world.client_for("officer_own")
    client.cookies["django_language"] = "ja"
    user = world.users["officer_own"]
    user.language = "ja"
    user.save()
    page = client.get(reverse("results:kpi"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert page.status_code == 200
    assert "最終日が初日より前です。" in page.content.decode()
    xlsx = client.get(reverse("results:kpi_xlsx"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert xlsx.status_code == 302


def test_the_xlsx_holds_every_figure(world: World) -> None:
    _won(world, "2500")
    response = world.client_for("officer_own").get(reverse("results:kpi_xlsx"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Figures", "Leads by stage", "Leads by sector", "Cost and outcomes", "Exchange rates used"
    ]  # fmt: skip
    summary = dict(book["Figures"].iter_rows(min_row=2, values_only=True))
    assert summary["Value of deals won (JPY)"] == 2500
    assert summary["Deals won"] == 1


def test_an_annual_report_is_made_by_the_worker_in_japanese(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from setu.core.pdf import pdf_text

    _won(world, "5000")
    client = world.client_for("officer_own")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("results:kpi_reports"),
            {"member": world.prefecture.pk, "fiscal_year": _this_fiscal_year(), "language": "ja"},
        )
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DONE and report.progress == 100  # immediate backend
    assert AuditEntry.objects.filter(action="results.report.requested").exists()
    status = client.get(report.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "report-status" in status.content.decode()
    pdf = client.get(reverse("results:kpi_report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert "年次報告" in text


def test_a_report_for_another_member_is_refused_and_nothing_is_queued(world: World) -> None:
    client = world.client_for("officer_other")
    response = client.post(
        reverse("results:kpi_reports"),
        {"member": world.prefecture.pk, "fiscal_year": _this_fiscal_year(), "language": "en"},
    )
    assert response.status_code == 200  # the member is not among the choices
    assert not AnnualReport.objects.exists()


def _this_fiscal_year() -> int:
    from setu.results.kpi import current_fiscal_year

    return current_fiscal_year()


# --- the command ------------------------------------------------------------------------------


def test_the_command_prints_the_json_alone(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _won(world, "700")
    out = StringIO()
    today = date.today().isoformat()
    call_command(
        "kpi_report", "--member", world.prefecture.region_id, "--from", "2000-01-01",
        "--to", today, "--format", "json", stdout=out,
    )  # fmt: skip
    figures = json.loads(out.getvalue())
    assert figures["member"] == world.prefecture.region_id
    assert figures["deals"] == {"count": 1, "value": 700}
    assert figures["from"] == "2000-01-01" and figures["to"] == today


def test_an_unknown_member_is_one_line_and_exit_two(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "kpi_report", "--member", "JP-99", "--from", "2026-04-01", "--to", "2027-03-31"
        )
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "unknown member" in captured.err


def test_the_command_writes_the_xlsx(world: World, tmp_path: Path) -> None:
    target = tmp_path / "kpi.xlsx"
    call_command(
        "kpi_report", "--member", "consortium", "--from", "2026-04-01", "--to", "2027-03-31",
        "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    assert load_workbook(target).sheetnames[0] == "Figures"


def test_the_demo_year_makes_the_kpis_tell_a_story() -> None:
    """After ``make run``: Shizuoka and two other members have meetings, leads in several
    stages and deal value credited to an event or mission on their dashboards."""
    from datetime import timedelta

    from django.utils import timezone

    from setu.directory.models import Organisation
    from setu.results.kpi import kpi_figures

    call_command("load_demo", stdout=StringIO())
    end = timezone.localdate()
    telling = []
    for member in Organisation.objects.filter(kind="member_prefecture"):
        figures = kpi_figures(member=member, start=end - timedelta(days=364), end=end)
        stages = sum(1 for n in figures["leads"]["by_stage"].values() if n)
        from_origins = sum(
            o["deals_value"] for o in figures["by_origin"] if o["kind"] in ("event", "mission")
        )
        if figures["meetings_held"] and stages >= 2 and from_origins > 0:
            telling.append(member.region_id)
    assert "JP-22" in telling and len(telling) >= 3, telling

"""The KPI figures as labelled tables: one shape for the dashboard's tables, the XLSX export
and the annual report, so every figure appears in each with the same words."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from setu.core.spreadsheets import fill_sheet
from setu.results.kpi import PROGRESS, KpiReport
from setu.results.models import OriginKind, Stage


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]

    @property
    def display_rows(self) -> list[list[str]]:
        """The rows for a page: numbers grouped in the reader's locale, empty cells as a dash."""
        return [[_display(cell) for cell in row] for row in self.rows]


def _display(cell: Any) -> str:
    if cell is None or cell == "":
        return "—"
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return str(cell)
    return number_format(cell, force_grouping=True)


def _origin_kind_labels() -> dict[str, str]:
    return {
        "event": _("Event"),
        "mission": _("Mission"),
        "meeting": str(OriginKind.MEETING.label),
        "manual": str(OriginKind.MANUAL.label),
    }


def _conversion(previous: int, reached: int) -> str:
    return "" if not previous else f"{round(100 * reached / previous)} %"


def stage_rows(figures: dict[str, Any], reached: dict[str, int] | None = None) -> list[list[Any]]:
    """Each stage with its leads now, how many reached it (now or earlier in their stage
    history: a lead moved identified → contacted → lost reached "contacted"), and how many of
    the leads that reached the stage before it reached it (the closing stages lost and dormant
    have none). Without ``reached`` (older callers), the leads now at a stage or beyond it."""
    by_stage = figures["leads"]["by_stage"]
    if reached is None:
        reached = {
            stage: sum(by_stage[s] for s in PROGRESS[i:]) for i, stage in enumerate(PROGRESS)
        }
    rows: list[list[Any]] = []
    for stage in Stage:
        conversion = ""
        if stage.value in PROGRESS and stage.value != PROGRESS[0]:
            before = PROGRESS[PROGRESS.index(stage.value) - 1]
            conversion = _conversion(reached.get(before, 0), reached.get(stage.value, 0))
        rows.append(
            [str(stage.label), by_stage[stage.value], reached.get(stage.value, ""), conversion]
        )
    return rows


def kpi_tables(report: KpiReport) -> list[Table]:
    f = report.figures
    survey = f["survey"]
    rate = "" if not survey["sent"] else f"{round(100 * survey['answered'] / survey['sent'])} %"
    summary = Table(
        "summary",
        _("Figures"),
        [_("Figure"), _("Value")],
        [
            [_("Member"), f["member"]],
            [_("From"), f["from"]],
            [_("To"), f["to"]],
            [_("Currency"), f["currency"]],
            [_("Meetings held"), f["meetings_held"]],
            [_("Leads"), f["leads"]["total"]],
            [_("Deals won"), f["deals"]["count"]],
            [_("Value of deals won (JPY)"), f["deals"]["value"]],
            [_("Investments attracted"), f["investments"]["count"]],
            [_("Amount invested (JPY)"), f["investments"]["amount"]],
            [_("Jobs planned"), f["investments"]["jobs"]],
            [_("MoUs signed"), f["mous"]],
            [_("Travel packages (leads)"), f["travel_packages"]["leads"]],
            [_("Travel packages won"), f["travel_packages"]["won"]],
            [_("Travellers expected"), f["travel_packages"]["expected_travellers"]],
            [_("Travellers booked"), f["travel_packages"]["travellers_booked"]],
            [_("Events held"), f["events"]["held"]],
            [_("Attendance (checked in)"), f["events"]["attendance"]],
            [_("Surveys sent"), survey["sent"]],
            [_("Surveys answered"), survey["answered"]],
            [_("Response rate"), rate],
            [
                _("Mean usefulness (1–5)"),
                "" if survey["mean_usefulness"] is None else survey["mean_usefulness"],
            ],
        ],
    )
    stages = Table(
        "stages",
        _("Leads by stage"),
        [_("Stage"), _("Leads"), _("Reached"), _("Conversion from the stage before")],
        stage_rows(f, report.reached),
    )
    sectors = Table(
        "sectors",
        _("Leads by sector"),
        [_("Sector"), _("Leads")],
        [
            [f"{code} {report.sector_names.get(code, '')}".strip(), n]
            for code, n in f["leads"]["by_sector"].items()
        ],
    )
    kind_labels = _origin_kind_labels()  # once: a year holds thousands of origins
    origins = Table(
        "origins",
        _("Cost and outcomes"),
        [_("Origin"), _("Title"), _("Cost (JPY)"), _("Value of deals (JPY)"), _("Leads")],
        [
            [kind_labels[o["kind"]], o["title"], o["cost"], o["deals_value"], o["leads"]]
            for o in f["by_origin"]
        ],
    )
    rates = Table(
        "rates",
        _("Exchange rates used"),
        [_("Currency"), _("Yen per unit"), _("Rate of"), _("Deals")],
        [[r.currency, float(r.rate), r.valid_on.isoformat(), r.deals] for r in report.rates],
    )
    return [summary, stages, sectors, origins, rates]


def kpi_workbook(report: KpiReport) -> bytes:
    """Every figure of ``report`` as an XLSX workbook, one sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = True
    for table in kpi_tables(report):
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None  # a new workbook has an active sheet
        first = False
        sheet.title = table.title[:31]
        fill_sheet(sheet, [table.header, *table.rows])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()

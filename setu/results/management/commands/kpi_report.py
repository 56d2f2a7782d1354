"""The KPI figures of a member prefecture or of the consortium, for other systems and checks.

    manage.py kpi_report --member JP-22 --from 2026-04-01 --to 2027-03-31 --format json
    manage.py kpi_report --member consortium --from ... --to ... --format xlsx --output kpi.xlsx

The JSON goes to standard output alone (the same figures as the dashboard, from
``setu.results.kpi``); messages go to standard error. An unknown member, a bad date or a
missing ``--output`` is a one-line error and exit status 2. The command runs as the system: it
counts every record, whatever its visibility (the dashboard counts what its reader may read).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from setu.directory.models import Organisation, OrganisationKind, Sector
from setu.results.kpi import CONSORTIUM, kpi_report
from setu.results.kpi_export import kpi_workbook

EXIT_USAGE = 2


class Failure(Exception):
    """A one-line error for standard error."""


class Command(BaseCommand):
    help = "Print the KPI figures of a member prefecture (region code) or of the consortium."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", required=True, help="A region code (JP-22) or consortium.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--sector", default="", help="An ISIC code (its sub-sectors too).")
        parser.add_argument("--format", choices=("json", "xlsx"), default="json")
        parser.add_argument("--output", default="", help="The file to write (xlsx).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(options)
        except Failure as error:
            sys.stderr.write(f"kpi_report: {error}\n")
            sys.exit(EXIT_USAGE)

    def _run(self, options: dict[str, Any]) -> None:
        start, end = _day(options["start"], "--from"), _day(options["end"], "--to")
        if end < start:
            raise Failure("--to is before --from")
        member = _member(options["member"])
        sector = None
        if options["sector"]:
            sector = Sector.objects.filter(code=options["sector"]).first()
            if sector is None:
                raise Failure(f"unknown sector: {options['sector']}")
        if options["format"] == "xlsx" and not options["output"]:
            raise Failure("--format xlsx needs --output FILE")
        with translation.override("en"):
            report = kpi_report(member=member, start=start, end=end, sector=sector)
            if report.unconverted_deals:
                sys.stderr.write(
                    f"kpi_report: {report.unconverted_deals} deal(s) have no rate to JPY "
                    "and are left out of the values\n"
                )
            if options["format"] == "json":
                self.stdout.write(json.dumps(report.figures, ensure_ascii=False, indent=2))
                return
            path = Path(options["output"])
            try:
                path.write_bytes(kpi_workbook(report))
            except OSError as error:
                raise Failure(f"cannot write {path}: {error.strerror}") from error
            sys.stderr.write(f"kpi_report: wrote {path}\n")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Failure(f"{option} is not a date (YYYY-MM-DD): {text!r}") from error


def _member(code: str) -> Organisation | None:
    if code == CONSORTIUM:
        return None
    member = (
        Organisation.objects.filter(region_id=code, kind=OrganisationKind.MEMBER_PREFECTURE)
        .order_by("pk")
        .first()
    )
    if member is None:
        raise Failure(f"unknown member: {code!r} (a member prefecture's region code or consortium)")
    return member

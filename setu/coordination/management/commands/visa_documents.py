"""``manage.py visa_documents --output DIR [--mission ID]``: every visitor's visa documents as
PDF files (docs/inbound.md). One line per file on standard output,
``absolute path<TAB>name as in the passport<TAB>kind``; each visitor who cannot have documents
is named on standard error with what is missing. Exit status 0 when every visitor was
generated, 3 when some were not (1 for an unknown mission, 2 for a bad argument)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from setu.coordination.models import Direction, Mission, MissionStatus, Visitor
from setu.coordination.services.visitors import visitor_details
from setu.coordination.visa import VisaIncomplete, document_pdf, visa_generate

INCOMPLETE = 3


class Command(BaseCommand):
    help = "Write each visitor's visa documents (PDF) for visits to Japan into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="folder to write the PDF files into")
        parser.add_argument(
            "--mission", type=int, help="one visit's id (default: every upcoming visit to Japan)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # standard error names the visitors without documents; WeasyPrint's steps are noise
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        output = Path(options["output"]).resolve()
        output.mkdir(parents=True, exist_ok=True)
        missions = Mission.objects.filter(direction=Direction.TO_JAPAN)
        if options["mission"] is not None:
            missions = missions.filter(pk=options["mission"])
            if not missions.exists():
                raise CommandError(f"No visit to Japan with id {options['mission']}.")
        else:
            missions = missions.filter(
                ends_on__gte=timezone.localdate(),
                status__in=(MissionStatus.PLANNED, MissionStatus.CONFIRMED),
            )
        visitors = (
            Visitor.objects.filter(mission__in=missions)
            .select_related("mission", "mission__owner")
            .order_by("mission__starts_on", "mission_id", "name", "id")
        )
        failed = 0
        with translation.override("en"):
            for visitor in visitors:
                try:
                    documents = visa_generate(visitor=visitor, actor=None)
                except VisaIncomplete as error:
                    failed += 1
                    self.stderr.write(
                        f"{visitor.name} (mission {visitor.mission_id}, visitor {visitor.pk}): "
                        + "; ".join(error.problems)
                    )
                    continue
                name = visitor_details(visitor)["passport_name"]
                folder = output / f"mission-{visitor.mission_id}" / f"visitor-{visitor.pk}"
                folder.mkdir(parents=True, exist_ok=True)
                for document in documents:
                    path = folder / document.filename
                    path.write_bytes(document_pdf(document))
                    self.stdout.write(f"{path}\t{name}\t{document.kind}")
        if failed:
            sys.exit(INCOMPLETE)

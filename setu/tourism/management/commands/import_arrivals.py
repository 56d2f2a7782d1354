"""``python manage.py import_arrivals FILE.csv``: monthly visitor figures per region and country.

Prints the number of rows imported. A wrong row refuses the whole file: the errors (row and
column) go to standard error and the exit status is 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.tourism.arrivals import arrivals_import


class Command(BaseCommand):
    help = "Import monthly arrival figures (region,year,month,country,visitors) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--sample", action="store_true", help="Mark the figures as sample figures."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                result = arrivals_import(data=handle, sample=options["sample"])
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not a UTF-8 text file") from error
        if result.errors:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(f"{path}: nothing imported ({len(result.errors)} errors shown).")
        self.stdout.write(f"{result.imported} rows imported.")

"""Planner statistics: what lets the database pick the directory's indexes.

SQLite keeps no statistics until ANALYZE runs, and Django never runs it. Without them SQLite
plans the organisation list through the ``merged_into`` index, which every row matches, instead
of the sort and visibility indexes (docs/performance.md, Directory). PostgreSQL's autovacuum
analyses a table some time after it changes; right after a bulk load it may not have yet.
"""

from __future__ import annotations

from django.db import connection

from setu.directory.models import NameToken, Organisation, Person


def directory_tables() -> list[str]:
    """The tables a directory bulk load fills."""
    return [
        Organisation._meta.db_table,
        Organisation.sectors.through._meta.db_table,
        NameToken._meta.db_table,
        Person._meta.db_table,
    ]


def update_planner_statistics(tables: list[str] | None = None) -> None:
    """ANALYZE ``tables``, or the whole database. Call after loading many rows at once."""
    with connection.cursor() as cursor:
        if tables is None:
            cursor.execute("ANALYZE")
        for table in tables or ():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

"""Role matrix rows for import and export (setu/directory/urls_io.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from setu.conftest import World
from setu.core.tests.matrix import SIGNED_IN_200, STAFF_ONLY, Row
from setu.directory import imports
from setu.directory.models import ImportBatch

CSV = b"name_en,country,region\nMatrix Test Works,JP,JP-19\n"


def _batch(world: World, *, committed: bool = False) -> ImportBatch:
    """A clean one-row preview uploaded by officer_own (owned by their prefecture)."""
    officer = world.users["officer_own"]
    upload = SimpleUploadedFile("matrix.csv", CSV, content_type="text/csv")
    batch = imports.batch_prepare(upload=upload, target=imports.ORGANISATIONS, user=officer)
    if committed:
        imports.batch_commit(batch=batch, actor=officer)
    return batch


# Staff only; another organisation's batch answers 404 like any record one may not see.
OWN_BATCH = ("login", "403", "403", "403", "200", "404", "404")

ROWS: dict[str, Row] = {
    "directory:import": Row(STAFF_ONLY),
    "directory:import_template": Row(
        STAFF_ONLY, url=lambda w: reverse("directory:import_template", args=["organisations"])
    ),
    "directory:import_batch": Row(
        OWN_BATCH, url=lambda w: reverse("directory:import_batch", args=[_batch(w).pk])
    ),
    "directory:import_commit": Row(
        ("login", "403", "403", "403", "→/directory/import/", "404", "404"),
        url=lambda w: reverse("directory:import_commit", args=[_batch(w).pk]),
        method="post",
    ),
    "directory:import_result": Row(
        OWN_BATCH,
        url=lambda w: reverse("directory:import_result", args=[_batch(w, committed=True).pk]),
    ),
    # with no format the export shows its column form
    "directory:export": Row(SIGNED_IN_200),
    "directory:people_export": Row(SIGNED_IN_200),
}

"""Import (upload → preview → commit → result) and export of the directory's lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.accounts.models import User
from setu.core.access import get_visible_or_404, signed_in_user
from setu.core.principal import principal_for
from setu.directory import exports, imports, selectors
from setu.directory.filters import OrganisationFilterForm, PersonFilterForm
from setu.directory.models import City, ImportBatch, OrganisationKind, Person, Region

PREVIEW_PAGE_SIZE = 100
MAX_LISTED_PROBLEMS = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PARAMS = {"format", "columns", "page"}


def _access_batch(user: User, pk: int) -> ImportBatch:
    """A batch of the user's own organisation; any other answers 404."""
    batches = ImportBatch.objects.filter(owner_id__in=principal_for(user).org_ids)
    return get_visible_or_404(batches.select_related("created_by"), pk)


@login_required
@permission_required("directory.import", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {"target": request.GET.get("target", imports.ORGANISATIONS)}
    form = imports.ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.batch_prepare(
                upload=form.cleaned_data["file"], target=form.cleaned_data["target"], user=user
            )
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("directory:import_batch", batch.pk)
    recent = ImportBatch.objects.filter(created_by=user).defer("rows")[:10]
    return render(
        request,
        "directory/import_upload.html",
        {"form": form, "recent": recent, "columns": imports.COLUMNS, "required": imports.REQUIRED},
    )


def _region_and_city_names(rows: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    regions = {row["values"].get("region") for row in rows} - {None, ""}
    cities = {row["values"].get("city") for row in rows} - {None, ""}
    return (
        {region.code: str(region) for region in Region.objects.filter(code__in=regions)},
        {city.key: str(city) for city in City.objects.filter(key__in=cities)},
    )


def _organisation_preview(rows: list[dict[str, Any]]) -> tuple[list[Any], list[list[Any]]]:
    regions, cities = _region_and_city_names(rows)
    kinds = dict(OrganisationKind.choices)
    headers = [
        (_("Name"), False), (_("Kind"), False), (_("Where"), True), (_("Employees"), True),
        (_("Capital"), True), (_("SME"), True), (_("Sectors (ISIC)"), True),
        (_("Visibility"), True),
    ]  # fmt: skip
    table = []
    for row in rows:
        v = row["values"]
        names = [v[key] for key in ("name_en", "name_ja", "name_hi") if v.get(key)]
        where = [v.get("country"), regions.get(v.get("region"), ""), cities.get(v.get("city"))]
        capital = f"{v['capital']:,} {v['capital_currency']}" if v.get("capital") else ""
        sme = {True: _("yes"), False: _("no")}.get(v.get("is_sme"), "—")
        kind = kinds.get(v.get("kind"), v.get("kind"))
        sectors = " ".join(v.get("sectors", []))
        place = " · ".join(filter(None, where))
        employees = v.get("employees") or ""
        table.append(
            [" / ".join(names), kind, place, employees, capital, sme, sectors, v.get("visibility")]
        )
    return headers, table


def _person_preview(rows: list[dict[str, Any]]) -> tuple[list[Any], list[list[Any]]]:
    headers = [
        (_("Organisation"), False), (_("Name (Latin script)"), False),
        (_("Name (native script)"), True), (_("Title"), True), (_("Email"), True),
        (_("Phone"), True), (_("Language"), True), (_("Visibility"), True),
    ]  # fmt: skip
    keys = (
        "organisation_name", "name_latin", "name_native", "title", "email", "phone",
        "preferred_language", "visibility",
    )  # fmt: skip
    return headers, [[row["values"].get(key, "") for key in keys] for row in rows]


@login_required
@permission_required("directory.import", raise_exception=True)
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview: every row as it will be saved, and every problem by row and column."""
    user = signed_in_user(request)
    batch = _access_batch(user, pk)
    if batch.committed_at is not None:
        return redirect("directory:import_result", batch.pk)
    problems = [issue for issue in batch.errors if issue["level"] == "error"]
    warnings = [imports.issue_text(issue) for issue in batch.errors if issue["level"] != "error"]
    by_row: dict[int, list[str]] = {}
    for issue in problems:
        by_row.setdefault(issue["row"], []).append(imports.issue_text(issue, with_row=False))
    page = Paginator(batch.rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    preview = _organisation_preview if batch.target == imports.ORGANISATIONS else _person_preview
    headers, cells = preview(list(page.object_list))
    wide_only = [wide for _label, wide in headers]
    table = [
        {
            "row": row["row"],
            "problems": by_row.get(row["row"], []),
            "cells": list(zip(row_cells, wide_only, strict=True)),
        }
        for row, row_cells in zip(page.object_list, cells, strict=True)
    ]
    return render(
        request,
        "directory/import_preview.html",
        {
            "batch": batch,
            "page": page,
            "headers": headers,
            "table": table,
            "column_count": len(headers) + 2,
            "problems": [imports.issue_text(issue) for issue in problems[:MAX_LISTED_PROBLEMS]],
            "more_problems": max(0, len(problems) - MAX_LISTED_PROBLEMS),
            "problem_count": len(problems),
            "rows_with_problems": len(by_row),
            "warnings": warnings,
            "is_creator": batch.created_by_id == user.pk,
        },
    )


@require_POST
@login_required
@permission_required("directory.import", raise_exception=True)
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = _access_batch(user, pk)
    if batch.created_by_id != user.pk:
        raise PermissionDenied(_("Only the person who uploaded this file can import it."))
    try:
        count = imports.batch_commit(batch=batch, actor=user)
    except imports.ImportRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("directory:import_batch", batch.pk)
    except DatabaseError:
        messages.error(request, _("The import failed and nothing was saved. Please try again."))
        return redirect("directory:import_batch", batch.pk)
    messages.success(
        request,
        ngettext("%(count)s record was imported.", "%(count)s records were imported.", count)
        % {"count": count},
    )
    return redirect("directory:import_result", batch.pk)


@login_required
@permission_required("directory.import", raise_exception=True)
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _access_batch(signed_in_user(request), pk)
    if batch.committed_at is None:
        return redirect("directory:import_batch", batch.pk)
    page = Paginator(batch.rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/import_result.html", {"batch": batch, "page": page})


TEMPLATE_EXAMPLES = {
    imports.ORGANISATIONS: [
        "company", "Minami Alps Seiki K.K.", "南アルプス精機株式会社", "ミナミアルプスセイキ", "",
        "JP", "JP-19", "Kofu", "https://minami-alps-seiki.example.jp", "85", "30000000", "JPY",
        "manufacturing", "25; JSIC:29", "Precision machining of aluminium parts",
        "Distributors in India", "partners",
    ],
    imports.PEOPLE: [
        "Kofu Precision K.K.", "Taro Yamada", "山田太郎", "Sales manager", "taro@example.jp",
        "055-237-1111", "ja", "private",
    ],
}  # fmt: skip


@login_required
@permission_required("directory.import", raise_exception=True)
def import_template(request: HttpRequest, target: str) -> HttpResponse:
    """An empty CSV with the header row and one example row, to fill in."""
    if target not in imports.COLUMNS:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.key for column in imports.COLUMNS[target]])
    writer.writerow(TEMPLATE_EXAMPLES[target])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"setu-{target}-template.csv"
    )
    return response


# --- export ----------------------------------------------------------------------------------


def _export_response(
    request: HttpRequest,
    form: exports.ExportForm,
    name: str,
    rows: Iterator[list[Any]],
) -> HttpResponseBase:
    columns = form.chosen()
    extension = form.cleaned_data["format"]
    filename = f"setu-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"
    if extension == "xlsx":
        return FileResponse(
            exports.xlsx_file(columns, rows, title=name),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_TYPE,
        )
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def stream() -> Iterator[str]:
        # Rows are read while the response is sent, after the view and middleware returned.
        with translation.override(language), timezone.override(zone):
            yield from exports.csv_stream(columns, rows)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _export_form_page(
    request: HttpRequest, form: exports.ExportForm, count: int, list_url: str
) -> HttpResponse:
    filters = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in EXPORT_PARAMS
        for value in values
    ]
    return render(
        request,
        "directory/export_form.html",
        {"form": form, "count": count, "filters": filters, "list_url": list_url},
        status=400 if form.is_bound else 200,
    )


@login_required
def organisation_export(request: HttpRequest) -> HttpResponseBase:
    """The organisation list as filtered on the list page, as CSV or XLSX."""
    filters = OrganisationFilterForm(request.GET or None)
    organisations = filters.apply(selectors.organisation_list(user=request.user))
    bound = "format" in request.GET
    form = exports.ExportForm(request.GET if bound else None, target="organisations")
    if not form.is_valid():
        return _export_form_page(request, form, organisations.count(), "directory:organisations")
    columns = form.chosen()
    rows = (
        exports.cells(organisation, columns)
        for organisation in exports.organisation_rows(organisations, columns)
    )
    return _export_response(request, form, "organisations", rows)


def _with_contacts_shown(user: User, people: Iterator[Person]) -> Iterator[tuple[Person, bool]]:
    """Each person with whether the export carries their email and phone, decided a batch at
    a time (``selectors.contacts_shown``: provisions abroad recorded, withdrawals honoured)."""
    while batch := list(islice(people, exports.CHUNK_SIZE)):
        shown = selectors.contacts_shown(user=user, people=batch)
        for person in batch:
            yield person, person.pk in shown


@login_required
def people_export(request: HttpRequest) -> HttpResponseBase:
    """The people list; email and phone only where the reader may see them, row by row."""
    user = signed_in_user(request)
    filters = PersonFilterForm(request.GET or None)
    people = filters.apply(selectors.person_list(user=user))
    bound = "format" in request.GET
    form = exports.ExportForm(request.GET if bound else None, target="people")
    if not form.is_valid():
        return _export_form_page(request, form, people.count(), "directory:people")
    columns = form.chosen()
    rows = (
        exports.cells(person, columns, hidden=frozenset() if shown else exports.CONTACT_COLUMNS)
        for person, shown in _with_contacts_shown(user, exports.person_rows(people))
    )
    return _export_response(request, form, "people", rows)

"""Attendee exports (one row per person) as CSV or Excel, with the columns the organiser chose."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from setu.core.spreadsheets import fill_sheet, formula_safe
from setu.core.timefmt import dual_time
from setu.events.forms import EXPORT_COLUMNS
from setu.events.models import Attendee, Event, Question, Registration


def _answers_text(registration: Registration, questions: Sequence[Question]) -> str:
    parts = []
    for question in questions:
        value = registration.answers.get(str(question.pk))
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list):
            value = ", ".join(value)
        parts.append(f"{question.display_label}: {value}")
    return "; ".join(parts)


def export_rows(
    *, event: Event, registrations: QuerySet[Registration], columns: Sequence[str]
) -> Iterator[list[Any]]:
    """The header, then one row per attendee of ``registrations``, in ``columns`` order."""
    labels = dict(EXPORT_COLUMNS)
    wanted = [c for c in columns if c in labels]
    yield [str(labels[c]) for c in wanted]
    questions = list(Question.objects.filter(event=event))
    attendees = (
        Attendee.objects.filter(registration__in=registrations)
        .select_related("registration", "registration__category")
        .order_by("registration__created_at", "registration_id", "id")
    )

    def local(moment: datetime | None) -> str:
        return dual_time(moment, event.venue_zone, None, with_date=True) if moment else ""

    for attendee in attendees.iterator(chunk_size=2000):
        registration = attendee.registration
        values = {
            "name": attendee.name,
            "email": attendee.email,
            "organisation": registration.organisation_name,
            "organisation_kind": registration.get_organisation_kind_display()
            if registration.organisation_kind
            else "",
            "country": registration.country,
            "category": str(registration.category) if registration.category else "",
            "status": str(registration.get_status_display())
            if attendee.active or registration.is_over
            else "cancelled",
            "waitlist_position": registration.waitlist_position or "",
            "registered_by": registration.email,
            "registered_at": local(registration.created_at),
            "checked_in_at": local(attendee.checked_in_at),
            "code": attendee.display_code,
            "answers": _answers_text(registration, questions),
        }
        yield [formula_safe(values[c]) for c in wanted]


def to_csv(rows: Iterator[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    # A byte-order mark so that Excel opens Japanese and Hindi text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterator[list[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31] or "Attendees"
    fill_sheet(sheet, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

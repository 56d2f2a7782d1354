"""The schedule as an Excel workbook for organisers: one row per meeting, by slot and table."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from setu.core.spreadsheets import fill_sheet
from setu.core.timefmt import abbreviation
from setu.matchmaking.models import MeetingMode, Participant, ScheduleRun, Unplaced
from setu.matchmaking.selectors.agenda import online_link
from setu.matchmaking.selectors.schedule_report import run_meetings


def _person(participant: Participant) -> list[str]:
    contact = participant.contact
    return [
        str(participant.organisation),
        contact.get_full_name() if contact else "",
        contact.email if contact else "",
    ]


def schedule_xlsx(*, run: ScheduleRun) -> bytes:
    """Sheet one: every meeting (slot times in the venue's zone); sheet two: the unplaced."""
    matchmaking = run.matchmaking
    tz = matchmaking.event.venue_tz
    rows: list[list[Any]] = [
        [
            _("Slot"),
            _("Date"),
            _("Starts"),
            _("Ends"),
            _("Table"),
            _("Online link"),
            _("Organisation A"),
            _("Contact A"),
            _("Email A"),
            _("Organisation B"),
            _("Contact B"),
            _("Email B"),
            _("Priority"),
            _("Outcome"),
            _("Did not come"),
        ]
    ]
    online_only = matchmaking.mode == MeetingMode.ONLINE
    for meeting in run_meetings(run=run).select_related("no_show_by__organisation"):
        request = meeting.request
        starts = meeting.slot.starts_at.astimezone(tz)
        ends = meeting.slot.ends_at.astimezone(tz)
        online = meeting.online or online_only
        rows.append(
            [
                meeting.slot.index + 1,
                starts.strftime("%Y-%m-%d"),
                f"{starts:%H:%M} {abbreviation(starts)}",
                f"{ends:%H:%M} {abbreviation(ends)}",
                _("Online") if online_only else matchmaking.table_label(meeting.table),
                online_link(matchmaking, request.requester, request.recipient) if online else "",
                *_person(request.requester),
                *_person(request.recipient),
                request.get_priority_display(),
                meeting.get_outcome_display() if meeting.outcome else "",
                str(meeting.no_show_by.organisation) if meeting.no_show_by else "",
            ]
        )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Schedule")[:31]
    fill_sheet(sheet, rows, max_width=50)
    unplaced = Unplaced.objects.filter(run=run).select_related(
        "request__requester__organisation",
        "request__recipient__organisation",
        "request__requester__contact",
        "request__recipient__contact",
    )
    rest: list[list[Any]] = [
        [
            _("Organisation A"),
            _("Contact A"),
            _("Email A"),
            _("Organisation B"),
            _("Contact B"),
            _("Email B"),
            _("Priority"),
            _("Why not placed"),
        ]
    ]
    for item in unplaced:
        rest.append(
            [
                *_person(item.request.requester),
                *_person(item.request.recipient),
                item.request.get_priority_display(),
                item.get_reason_display(),
            ]
        )
    fill_sheet(workbook.create_sheet(_("Not placed")[:31]), rest, max_width=50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

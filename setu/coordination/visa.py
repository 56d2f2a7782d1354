"""Visa documents for visitors to Japan (docs/inbound.md, decision 0023): the invitation letter
and the schedule of stay, in Japanese and English, made with ``setu.core.pdf`` from the mission,
the host prefecture and the visitor's sealed details.

Before anything is made the visitor is checked (``visa_problems``): the name as in the passport
in Latin letters, the passport number, every night of the stay covered by a destination of the
visit, the stay inside the visit's days, the signing official named. A visitor with a problem
gets no document. A programme that changed since the last version makes a new version; the old
ones stay as history. Every document carries the name in Latin letters exactly as in the
passport and Western-calendar dates (the Japanese version adds the era).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.coordination import sealing
from setu.coordination.models import (
    DocumentKind,
    ItineraryItem,
    MissionDestination,
    VisaDocument,
    Visitor,
)
from setu.coordination.services.visitors import (
    PASSPORT_NAME,
    inbound_for,
    missing_details,
    visitor_details,
)
from setu.core import audit
from setu.core.pdf import render_pdf

TOKYO = ZoneInfo("Asia/Tokyo")
TEMPLATES = {
    DocumentKind.INVITATION_JA: ("coordination/pdf/invitation_ja.html", "ja"),
    DocumentKind.INVITATION_EN: ("coordination/pdf/invitation_en.html", "en"),
    DocumentKind.SCHEDULE_JA: ("coordination/pdf/schedule_ja.html", "ja"),
    DocumentKind.SCHEDULE_EN: ("coordination/pdf/schedule_en.html", "en"),
}


class VisaIncomplete(Exception):
    def __init__(self, visitor: Visitor, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.visitor = visitor
        self.problems = problems


@dataclass
class ScheduleDay:
    day: date
    items: list[ItineraryItem] = field(default_factory=list)
    stay: str = ""  # the city of the night after this day ("" on the day of departure)
    stay_ja: str = ""


def reiwa(day: date) -> str:
    """The Japanese era date (Reiwa began on 1 May 2019): 令和8年12月7日."""
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


def _nights(arrival: date, departure: date) -> list[date]:
    return [arrival + timedelta(days=n) for n in range((departure - arrival).days)]


def schedule_days(visitor: Visitor, details: dict[str, Any]) -> list[ScheduleDay]:
    """One row per day from arrival to departure with that day's programme in Japan time and
    the city of the night."""
    arrival, departure = details["arrival_on"], details["departure_on"]
    days = {
        arrival + timedelta(days=n): ScheduleDay(arrival + timedelta(days=n))
        for n in range((departure - arrival).days + 1)
    }
    for item in ItineraryItem.objects.filter(mission=visitor.mission).order_by("starts_at", "id"):
        local = item.starts_at.astimezone(TOKYO).date()
        if local in days:
            days[local].items.append(item)
    destinations = list(
        MissionDestination.objects.filter(mission=visitor.mission).select_related("city")
    )
    for night in _nights(arrival, departure):
        for destination in destinations:
            if destination.starts_on <= night < destination.ends_on:
                days[night].stay = destination.city.name_en
                days[night].stay_ja = destination.city.name_ja or destination.city.name_en
                break
    return list(days.values())


def visa_problems(visitor: Visitor, details: dict[str, Any] | None = None) -> list[str]:
    """What stops the documents being made, in the reader's language (empty: ready)."""
    if details is None:
        details = visitor_details(visitor)
    mission = visitor.mission
    problems: list[str] = []
    if visitor.erased_at is not None:
        return [_("the details were erased after the visit")]
    missing = missing_details(details)
    if missing:
        problems.append(_("missing: %(fields)s") % {"fields": ", ".join(missing)})
    name = details.get("passport_name") or ""
    if name and not PASSPORT_NAME.fullmatch(name):
        problems.append(_("the name as in the passport is not in Latin capital letters"))
    arrival, departure = details.get("arrival_on"), details.get("departure_on")
    if arrival and departure:
        if not (mission.starts_on <= arrival <= departure <= mission.ends_on):
            problems.append(
                _(
                    "the stay (%(arrival)s to %(departure)s) is outside the visit "
                    "(%(first)s to %(last)s)"
                )
                % {
                    "arrival": arrival.isoformat(),
                    "departure": departure.isoformat(),
                    "first": mission.starts_on.isoformat(),
                    "last": mission.ends_on.isoformat(),
                }
            )
        else:
            uncovered = [day.day for day in schedule_days(visitor, details)[:-1] if not day.stay]
            if uncovered:
                problems.append(
                    _("no place to stay on the night of %(days)s")
                    % {"days": ", ".join(day.isoformat() for day in uncovered)}
                )
    inbound = inbound_for(mission)
    if not inbound.signing_official.strip():
        problems.append(_("the signing official is not named"))
    if not (inbound.reason_en.strip() and inbound.reason_ja.strip()):
        problems.append(_("the reason for the invitation is not given in English and Japanese"))
    return problems


def _context(visitor: Visitor, details: dict[str, Any]) -> dict[str, Any]:
    mission = visitor.mission
    days = schedule_days(visitor, details)
    return {
        "visitor": visitor,
        "details": details,
        "mission": mission,
        "host": mission.owner,
        "inbound": inbound_for(mission),
        "days": days,
        "issued_on": details["issued_on"],
        "issued_on_era": reiwa(details["issued_on"]),
        "arrival_era": reiwa(details["arrival_on"]),
        "departure_era": reiwa(details["departure_on"]),
        "eras": {day.day: reiwa(day.day) for day in days},
    }


def fingerprint(visitor: Visitor, details: dict[str, Any]) -> str:
    """What the documents are made of: a change in any of it makes a new version."""
    mission = visitor.mission
    inbound = inbound_for(mission)
    items = ItineraryItem.objects.filter(mission=mission).order_by("starts_at", "id")
    stays = MissionDestination.objects.filter(mission=mission).order_by("starts_on", "id")
    material = {
        "details": {k: str(v) for k, v in details.items() if k != "issued_on"},
        "mission": [
            mission.title_en,
            mission.title_ja,
            str(mission.starts_on),
            str(mission.ends_on),
        ],
        "host": [mission.owner.name_en, mission.owner.name_ja],
        "inbound": [
            inbound.reason_en,
            inbound.reason_ja,
            inbound.signing_official,
            inbound.signing_title,
            inbound.inviting_address,
            inbound.inviting_phone,
        ],
        "items": [
            [str(i.starts_at), str(i.ends_at), i.title_en, i.title_ja, i.place] for i in items
        ],
        "stays": [[s.city_id, str(s.starts_on), str(s.ends_on)] for s in stays],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def latest_documents(visitor: Visitor) -> list[VisaDocument]:
    """The newest version of each kind."""
    newest: dict[str, VisaDocument] = {}
    for document in VisaDocument.objects.filter(visitor=visitor).order_by("kind", "-version"):
        newest.setdefault(document.kind, document)
    return [newest[kind] for kind in TEMPLATES if kind in newest]


def documents_current(visitor: Visitor) -> bool:
    """True when every document exists and was made from today's programme and details."""
    latest = latest_documents(visitor)
    if len(latest) < len(TEMPLATES) or visitor.erased_at is not None:
        return False
    details = visitor_details(visitor)
    if missing_details(details):
        return False
    print_ = fingerprint(visitor, details)
    return all(document.fingerprint == print_ for document in latest)


@transaction.atomic
def visa_generate(
    *, visitor: Visitor, actor: User | None, today: date | None = None
) -> list[VisaDocument]:
    """Make (or keep, when nothing changed) the visitor's four documents; returns the newest
    version of each. Raises ``VisaIncomplete`` and makes nothing when the visitor is not ready."""
    from django.utils import timezone

    locked = (
        Visitor.objects.select_for_update()
        .select_related("mission", "mission__owner")
        .get(pk=visitor.pk)
    )
    details = visitor_details(locked)
    problems = visa_problems(locked, details)
    if problems:
        raise VisaIncomplete(locked, problems)
    print_ = fingerprint(locked, details)
    latest = {document.kind: document for document in latest_documents(locked)}
    if len(latest) == len(TEMPLATES) and all(d.fingerprint == print_ for d in latest.values()):
        return list(latest.values())
    version = (
        VisaDocument.objects.filter(visitor=locked).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    context = _context(locked, {**details, "issued_on": today or timezone.localdate()})
    made = []
    for kind, (template, language) in TEMPLATES.items():
        pdf = render_pdf(template, context, language=language)
        made.append(
            VisaDocument.objects.create(
                visitor=locked,
                kind=kind,
                version=version,
                fingerprint=print_,
                sealed_pdf=sealing.seal(pdf),
                generated_by=actor if actor is not None and actor.is_authenticated else None,
            )
        )
    audit.record(
        locked.mission,
        "coordination.visa.generated",
        actor=actor,
        changes={"visitor": [None, locked.name], "version": [version - 1 or None, version]},
    )
    return made


def document_pdf(document: VisaDocument) -> bytes:
    return sealing.open_sealed(bytes(document.sealed_pdf)) if document.sealed_pdf else b""


def visa_bundle(visitor: Visitor) -> bytes:
    """A ZIP of the visitor's newest documents, to send to them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in latest_documents(visitor):
            content = document_pdf(document)
            if content:
                archive.writestr(f"{document.kind}-v{document.version}.pdf", content)
    return buffer.getvalue()

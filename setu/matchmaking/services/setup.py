"""Writes for an event's matchmaking: its settings, days and slots; joining, profiles, leaving.

Meeting requests are in ``services.requests``. Every write runs in one transaction and is
audited; bad input raises ``ValidationError`` (naming the field where there is one) before
anything changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core import audit
from setu.core.principal import principal_for
from setu.directory.models import Organisation, Sector
from setu.events.models import Event
from setu.matchmaking.grid import DayHours, SlotTimes, cut_slots, parse_breaks
from setu.matchmaking.models import (
    Matchmaking,
    MeetingDay,
    MeetingMode,
    MeetingRequest,
    PairRule,
    Participant,
    RequestStatus,
    RunStatus,
    Side,
    Slot,
)
from setu.matchmaking.selectors.market import has_confirmed_registration, has_live_registration
from setu.matchmaking.tasks import embed_profile

if TYPE_CHECKING:
    from setu.accounts.models import User

SETTING_FIELDS = (
    "slot_minutes",
    "tables",
    "table_names",
    "mode",
    "online_url",
    "requests_open_at",
    "requests_close_at",
    "max_requests",
    "pair_rule",
)
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240
# Kept slots step out of the way of the unique (matchmaking, index) while they are renumbered.
INDEX_OFFSET = 10_000


@dataclass
class SetupResult:
    matchmaking: Matchmaking
    created: bool
    slots_changed: bool
    slot_count: int
    runs_deleted: int = 0
    warnings: list[str] = field(default_factory=list)


def _check_settings(fields: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    minutes = fields.get("slot_minutes") or 0
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        errors["slot_minutes"] = _("A slot lasts between %(low)s and %(high)s minutes.") % {
            "low": MIN_SLOT_MINUTES,
            "high": MAX_SLOT_MINUTES,
        }
    if (fields.get("tables") or 0) < 1:
        errors["tables"] = _("There must be at least one table.")
    if (fields.get("max_requests") or 0) < 1:
        errors["max_requests"] = _("Allow each participant at least one request.")
    opens, closes = fields.get("requests_open_at"), fields.get("requests_close_at")
    if opens and closes and closes <= opens:
        errors["requests_close_at"] = _("Requests must close after they open.")
    if closes and not opens:
        errors["requests_open_at"] = _("Say when requests open, too.")
    if fields.get("mode") not in MeetingMode.values:
        errors["mode"] = _("Choose how the meetings take place.")
    elif fields.get("mode") == MeetingMode.ONLINE and not fields.get("online_url"):
        errors["online_url"] = _("Online meetings need a default online link.")
    if fields.get("pair_rule") not in PairRule.values:
        errors["pair_rule"] = _("Choose who may meet whom.")
    if errors:
        raise ValidationError(errors)


def check_breaks(text: str, starts: time, ends: time) -> None:
    """A day's breaks parse, do not overlap, and lie within its hours (else ValidationError)."""
    breaks = parse_breaks(text)
    for (a_start, a_end), (b_start, b_end) in pairwise(breaks):
        if b_start < a_end:
            raise ValidationError(
                _("The breaks %(first)s and %(second)s overlap."),
                params={
                    "first": f"{a_start:%H:%M}-{a_end:%H:%M}",
                    "second": f"{b_start:%H:%M}-{b_end:%H:%M}",
                },
            )
    for b_start, b_end in breaks:
        if b_start < starts or b_end > ends:
            raise ValidationError(
                _("The break %(part)s is outside the day's hours (%(starts)s-%(ends)s)."),
                params={
                    "part": f"{b_start:%H:%M}-{b_end:%H:%M}",
                    "starts": f"{starts:%H:%M}",
                    "ends": f"{ends:%H:%M}",
                },
            )


def _check_days(days: Sequence[DayHours]) -> None:
    if not days:
        raise ValidationError({"days": _("Add at least one meeting day.")})
    seen: set[date] = set()
    for day in days:
        if day.ends <= day.starts:
            raise ValidationError(
                {"days": _("On %(date)s the meetings end before they start.") % {"date": day.date}}
            )
        if day.date in seen:
            raise ValidationError({"days": _("%(date)s is listed twice.") % {"date": day.date}})
        seen.add(day.date)
        try:
            check_breaks(day.breaks, day.starts, day.ends)
        except ValidationError as error:
            raise ValidationError({"days": f"{day.date}: {' '.join(error.messages)}"}) from None


def event_dates(event: Event) -> tuple[date, date]:
    """The first and last day of the event at its venue."""
    tz = event.venue_tz
    return event.starts_at.astimezone(tz).date(), event.ends_at.astimezone(tz).date()


def _warnings(event: Event, days: Sequence[DayHours], fields: Mapping[str, Any]) -> list[str]:
    warnings: list[str] = []
    first, last = event_dates(event)
    outside = [day.date for day in days if not first <= day.date <= last]
    if outside:
        warnings.append(
            _("Not on the event's dates (%(first)s to %(last)s): %(days)s.")
            % {"first": first, "last": last, "days": ", ".join(str(d) for d in sorted(outside))}
        )
    names = [line for line in (fields.get("table_names") or "").splitlines() if line.strip()]
    if len(names) > (fields.get("tables") or 0):
        warnings.append(
            _(
                "There are more table names (%(names)s) than tables (%(tables)s): the extra "
                "names are not used."
            )
            % {"names": len(names), "tables": fields.get("tables")}
        )
    return warnings


def _settings_snapshot(matchmaking: Matchmaking) -> dict[str, Any]:
    return {name: getattr(matchmaking, name) for name in SETTING_FIELDS}


def _regenerate_slots(matchmaking: Matchmaking, times: Sequence[SlotTimes]) -> None:
    """Make the slots ``times``, keeping (renumbered) the rows of slots whose times stay.

    A kept slot keeps its per-slot table number and the participants unavailable in it.
    """
    existing = {(slot.starts_at, slot.ends_at): slot for slot in matchmaking.slots.all()}
    kept: list[Slot] = []
    new: list[Slot] = []
    for index, moment in enumerate(times):
        slot = existing.pop((moment.starts_at, moment.ends_at), None)
        if slot is None:
            new.append(
                Slot(
                    matchmaking=matchmaking,
                    index=index,
                    starts_at=moment.starts_at,
                    ends_at=moment.ends_at,
                )
            )
        else:
            slot.index = index
            kept.append(slot)
    Slot.objects.filter(pk__in=[slot.pk for slot in existing.values()]).delete()
    if kept:
        Slot.objects.filter(pk__in=[slot.pk for slot in kept]).update(
            index=F("index") + INDEX_OFFSET
        )
        Slot.objects.bulk_update(kept, ["index"])
    Slot.objects.bulk_create(new)


def published(matchmaking: Matchmaking) -> bool:
    return matchmaking.runs.filter(status=RunStatus.PUBLISHED).exists()


@transaction.atomic
def matchmaking_save(
    *, event: Event, actor: User, fields: Mapping[str, Any], days: Sequence[DayHours]
) -> SetupResult:
    """Enable matchmaking on ``event`` or change its settings and days; regenerate its slots.

    The slots change only when the days or the slot length give different times. That is
    refused once a schedule is published; otherwise the draft schedules, made for the old
    slots, are deleted.
    """
    _check_settings(fields)
    _check_days(days)
    times = cut_slots(days, minutes=fields["slot_minutes"], time_zone=event.venue_zone)
    if not times:
        raise ValidationError(
            {"days": _("These days and this slot length leave no room for a single meeting.")}
        )
    existing = Matchmaking.objects.select_for_update().filter(event=event).first()
    matchmaking = existing or Matchmaking(event=event)
    before = _settings_snapshot(matchmaking) if existing else {}
    old_times = (
        list(existing.slots.order_by("index").values_list("starts_at", "ends_at"))
        if existing
        else []
    )
    slots_changed = old_times != [(t.starts_at, t.ends_at) for t in times]
    runs_deleted = 0
    if existing and slots_changed:
        if published(existing):
            raise ValidationError(
                {
                    "days": _(
                        "A schedule is published: unpublish it before changing the days or the "
                        "slot length."
                    )
                }
            )
        _total, deleted = existing.runs.exclude(status=RunStatus.PUBLISHED).delete()
        runs_deleted = deleted.get("matchmaking.ScheduleRun", 0)
    for name in SETTING_FIELDS:
        value = fields.get(name)
        if value is None and name in ("table_names", "online_url"):
            value = ""
        setattr(matchmaking, name, value)
    matchmaking.save()
    MeetingDay.objects.filter(matchmaking=matchmaking).delete()
    MeetingDay.objects.bulk_create(
        MeetingDay(
            matchmaking=matchmaking,
            date=day.date,
            starts=day.starts,
            ends=day.ends,
            breaks=day.breaks,
        )
        for day in sorted(days, key=lambda d: d.date)
    )
    if slots_changed:
        _regenerate_slots(matchmaking, times)
    changes: dict[str, Any] = audit.field_changes(before, _settings_snapshot(matchmaking))
    if slots_changed:
        changes["slots"] = [len(old_times), len(times)]
    if runs_deleted:
        changes["draft_schedules_deleted"] = runs_deleted
    audit.record(
        matchmaking,
        "matchmaking.settings.created" if existing is None else "matchmaking.settings.updated",
        actor=actor,
        changes=changes,
        owner=event.owner,
    )
    return SetupResult(
        matchmaking=matchmaking,
        created=existing is None,
        slots_changed=slots_changed,
        slot_count=len(times),
        runs_deleted=runs_deleted,
        warnings=_warnings(event, days, fields),
    )


@transaction.atomic
def slot_tables_save(
    *, matchmaking: Matchmaking, actor: User, tables: Mapping[int, int | None]
) -> int:
    """Set the per-slot number of tables (``None``: the event's number); returns slots changed.

    ``tables`` maps slot ids to numbers; 0 closes a slot to meetings.
    """
    slots = {slot.pk: slot for slot in matchmaking.slots.select_for_update()}
    unknown = set(tables) - set(slots)
    if unknown:
        raise ValidationError(_("Some of these slots are not in this event's matchmaking."))
    changed: list[Slot] = []
    changes: dict[str, list[Any]] = {}
    for slot_id, number in tables.items():
        if number is not None and number < 0:
            raise ValidationError(_("A slot cannot have fewer than 0 tables."))
        slot = slots[slot_id]
        if slot.tables != number:
            changes[f"slot {slot.index + 1}"] = [slot.tables, number]
            slot.tables = number
            changed.append(slot)
    Slot.objects.bulk_update(changed, ["tables"])
    if changed:
        audit.record(
            matchmaking,
            "matchmaking.slots.tables_changed",
            actor=actor,
            changes=changes,
            owner=matchmaking.event.owner,
        )
    return len(changed)


# --- participants ---------------------------------------------------------------------------


def side_for(organisation: Organisation) -> str:
    """JP for a Japanese organisation, IN for an Indian one, XX for any other."""
    return {"JP": Side.JP, "IN": Side.IN}.get(organisation.country, Side.OTHER)


def _default_languages(organisation: Organisation) -> str:
    return "en,ja" if organisation.country == "JP" else "en"


def _default_mode(matchmaking: Matchmaking) -> str:
    return MeetingMode.ONLINE if matchmaking.mode == MeetingMode.ONLINE else MeetingMode.IN_PERSON


PROFILE_FIELDS = ("offers", "needs", "languages", "needs_interpreter", "mode", "online_url")


def _profile_snapshot(participant: Participant) -> dict[str, Any]:
    return {name: getattr(participant, name) for name in (*PROFILE_FIELDS, "contact_id")}


@transaction.atomic
def participant_join(
    *,
    matchmaking: Matchmaking,
    organisation: Organisation,
    actor: User,
    by_organiser: bool = False,
) -> Participant:
    """Add ``organisation`` to the matchmaking, its profile prefilled from the directory.

    A person joins for an organisation they belong to, with a confirmed registration for the
    event; an organiser (``by_organiser``) adds any organisation registered for it. An
    organisation that left comes back with its profile as it was.
    """
    event = matchmaking.event
    name = organisation.display_name
    if by_organiser:
        if not has_live_registration(organisation=organisation, event=event):
            raise ValidationError(
                _("%(name)s has no registration for this event.") % {"name": name}
            )
    else:
        if organisation.pk not in principal_for(actor).org_ids:
            raise ValidationError(_("You can only join for an organisation you belong to."))
        if not has_confirmed_registration(user=actor, event=event):
            raise ValidationError(
                _("Only people with a confirmed registration for this event can join its meetings.")
            )
    existing = (
        Participant.objects.select_for_update()
        .filter(matchmaking=matchmaking, organisation=organisation)
        .first()
    )
    if existing is not None and existing.active:
        raise ValidationError(_("%(name)s already takes part.") % {"name": name})
    if existing is not None:
        existing.active = True
        if existing.contact_id is None and not by_organiser:
            existing.contact = actor
        existing.save(update_fields=["active", "contact", "updated_at"])
        audit.record(existing, "matchmaking.participant.rejoined", actor=actor, owner=organisation)
        profile_embedding_queue(participant=existing)
        return existing
    participant = Participant(
        matchmaking=matchmaking,
        organisation=organisation,
        contact=None if by_organiser else actor,
        side=side_for(organisation),
        offers=organisation.offers,
        needs=organisation.needs,
        languages=_default_languages(organisation),
        mode=_default_mode(matchmaking),
    )
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(_("%(name)s already takes part.") % {"name": name}) from None
    participant.sectors.set(organisation.sectors.filter(level="division"))
    audit.record(
        participant,
        "matchmaking.participant.added" if by_organiser else "matchmaking.participant.joined",
        actor=actor,
        owner=organisation,
    )
    profile_embedding_queue(participant=participant)
    return participant


def profile_embedding_queue(*, participant: Participant) -> None:
    """Once the transaction commits, have the worker make the profile's vectors for the
    recommendations (it skips a profile whose stored vectors are current)."""
    participant_id = participant.pk
    transaction.on_commit(lambda: embed_profile.enqueue(participant_id=participant_id))


def _allowed_modes(matchmaking: Matchmaking) -> set[str]:
    if matchmaking.mode == MeetingMode.IN_PERSON:
        return {MeetingMode.IN_PERSON}
    if matchmaking.mode == MeetingMode.ONLINE:
        return {MeetingMode.ONLINE}
    return set(MeetingMode.values)


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    actor: User,
    fields: Mapping[str, Any],
    sectors: Sequence[Sector],
    unavailable: Sequence[Slot],
    contact: User | None = None,
) -> Participant:
    """Save a participant's profile: texts, sectors, languages, mode, unavailable slots."""
    matchmaking = participant.matchmaking
    errors: dict[str, str] = {}
    languages = [code.strip() for code in fields.get("languages", "").split(",") if code.strip()]
    if not languages:
        errors["languages"] = _("Tick at least one language you can meet in.")
    mode = fields.get("mode") or MeetingMode.IN_PERSON
    if mode not in _allowed_modes(matchmaking):
        errors["mode"] = _("This event's meetings are not held that way.")
    online_url = fields.get("online_url") or ""
    if online_url and matchmaking.mode == MeetingMode.IN_PERSON:
        errors["online_url"] = _("This event's meetings are in person only.")
    if any(slot.matchmaking_id != matchmaking.pk for slot in unavailable):
        errors["unavailable"] = _("Some of these slots are not in this event's matchmaking.")
    if any(sector.level != "division" for sector in sectors):
        errors["sectors"] = _("Choose sectors at the division level.")
    if contact is not None and participant.organisation_id not in principal_for(contact).org_ids:
        errors["contact"] = _("The contact person must belong to the organisation.")
    if errors:
        raise ValidationError(errors)
    before = _profile_snapshot(participant)
    participant.offers = fields.get("offers", "")
    participant.needs = fields.get("needs", "")
    participant.languages = ",".join(dict.fromkeys(languages))
    participant.needs_interpreter = bool(fields.get("needs_interpreter"))
    participant.mode = mode
    participant.online_url = online_url
    if contact is not None:
        participant.contact = contact
    participant.side = side_for(participant.organisation)
    participant.save()
    participant.sectors.set(sectors)
    participant.unavailable.set(unavailable)
    changes = audit.field_changes(before, _profile_snapshot(participant))
    changes["sectors"] = [None, ", ".join(sector.code for sector in sectors)]
    changes["unavailable_slots"] = [None, len(unavailable)]
    audit.record(
        participant,
        "matchmaking.participant.updated",
        actor=actor,
        changes=changes,
        owner=participant.organisation,
    )
    if (before["offers"], before["needs"]) != (participant.offers, participant.needs):
        profile_embedding_queue(participant=participant)
    return participant


@transaction.atomic
def participant_leave(*, participant: Participant, actor: User) -> tuple[int, int]:
    """Take the participant out: its pending requests are withdrawn (sent) or declined
    (received). Accepted requests stay for the organisers to handle. Returns both counts."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not participant.active:
        raise ValidationError(_("%(name)s has already left.") % {"name": participant})
    now = timezone.now()
    pending = MeetingRequest.objects.filter(status=RequestStatus.PENDING)
    withdrawn = pending.filter(requester=participant).update(status=RequestStatus.WITHDRAWN)
    declined = pending.filter(recipient=participant).update(
        status=RequestStatus.DECLINED, answered_at=now
    )
    participant.active = False
    participant.save(update_fields=["active", "updated_at"])
    audit.record(
        participant,
        "matchmaking.participant.left",
        actor=actor,
        changes={"requests_withdrawn": withdrawn, "requests_declined": declined},
        owner=participant.organisation,
    )
    return withdrawn, declined

"""Joint missions: the mission, its prefectures, destinations, delegates, itinerary, tasks and
report. Every change that moves the plan in time or place recomputes its clash notices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.accounts.models import User
from setu.coordination.models import (
    Delegate,
    ItineraryItem,
    Mission,
    MissionDestination,
    MissionParticipant,
    MissionTask,
    TaskStatus,
)
from setu.coordination.models.clashes import JointProposal
from setu.coordination.selectors import mission_prefecture_ids
from setu.coordination.services.budget import budget_recompute
from setu.coordination.services.clashes import clash_recompute_for_mission
from setu.core import audit
from setu.core.models import Visibility
from setu.core.principal import principal_for
from setu.directory.models import City, Organisation, OrganisationKind

MISSION_FIELDS = (
    "title_en", "title_ja", "title_hi", "summary_en", "summary_ja", "starts_on", "ends_on",
    "status", "direction", "visit_kind", "visibility",
)  # fmt: skip
# An itinerary entry may point at an event up to a day away (arrival, a reception the night before).
_DAY = timedelta(days=1)
ITINERARY_FIELDS = (
    "destination", "kind", "starts_at", "ends_at", "title_en", "title_ja", "notes_en",
    "notes_ja", "organisation", "place", "link_url", "event", "host_organisation",
    "host_contact", "wants_to_see", "interpreter",
)  # fmt: skip


def _forget_prefectures(mission: Mission) -> None:
    mission.__dict__.pop("_prefecture_ids", None)


def _check_mission(values: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not any(values.get(name) for name in ("title_en", "title_ja", "title_hi")):
        errors["title_en"] = _("Give a title in at least one language.")
    if values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mission_create(
    *, actor: User, owner: Organisation, targets: Iterable[Organisation] = (), **values: Any
) -> Mission:
    """A new mission led by ``owner`` (a member prefecture)."""
    if owner.kind != OrganisationKind.MEMBER_PREFECTURE:
        raise ValidationError(_("A mission is led by a member prefecture."))
    _check_mission(values)
    mission = Mission(owner=owner, created_by=actor)
    values.setdefault("visibility", Visibility.CONSORTIUM)
    for name in MISSION_FIELDS:
        if name in values:
            setattr(mission, name, values[name])
    mission.save()
    mission.targets.set(list(targets))
    audit.record(
        mission,
        "coordination.mission.created",
        actor=actor,
        changes={
            name: [None, str(getattr(mission, name))] for name in MISSION_FIELDS if name in values
        },
    )
    clash_recompute_for_mission(mission=mission)
    return mission


@transaction.atomic
def mission_update(
    *,
    mission: Mission,
    actor: User,
    targets: Iterable[Organisation] | None = None,
    **values: Any,
) -> Mission:
    locked = Mission.objects.select_for_update().get(pk=mission.pk)
    merged = {name: values.get(name, getattr(locked, name)) for name in MISSION_FIELDS}
    _check_mission(merged)
    outside = [
        d
        for d in locked.destinations.select_related("city")
        if d.starts_on < merged["starts_on"] or d.ends_on > merged["ends_on"]
    ]
    if outside:
        raise ValidationError(
            {
                "starts_on": _(
                    "%(place)s (%(first)s to %(last)s) would fall outside the mission's days. "
                    "Change or remove that destination first."
                )
                % {
                    "place": outside[0].city,
                    "first": outside[0].starts_on.isoformat(),
                    "last": outside[0].ends_on.isoformat(),
                }
            }
        )
    before = {name: getattr(locked, name) for name in MISSION_FIELDS}
    for name, value in merged.items():
        setattr(locked, name, value)
    locked.save()
    changes = audit.field_changes(before, merged)
    if targets is not None:
        old = {org.pk: str(org) for org in locked.targets.all()}
        new = {org.pk: str(org) for org in targets}
        if old.keys() != new.keys():
            locked.targets.set(list(new))
            changes["targets"] = [", ".join(old.values()), ", ".join(new.values())]
    if changes:
        audit.record(locked, "coordination.mission.changed", actor=actor, changes=changes)
    clash_recompute_for_mission(mission=locked)
    return locked


# --- prefectures and delegates ----------------------------------------------------------------


@transaction.atomic
def participant_add(
    *,
    mission: Mission,
    actor: User,
    organisation: Organisation,
    via_proposal: JointProposal | None = None,
) -> MissionParticipant:
    """Add a member prefecture to the mission; computed cost shares follow."""
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    if organisation.kind != OrganisationKind.MEMBER_PREFECTURE:
        raise ValidationError({"organisation": _("Only member prefectures take part in missions.")})
    if organisation.pk == mission.owner_id:
        raise ValidationError(
            {"organisation": _("%(org)s leads this mission.") % {"org": organisation}}
        )
    if MissionParticipant.objects.filter(mission=mission, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("%(org)s already takes part.") % {"org": organisation}}
        )
    participant = MissionParticipant.objects.create(
        mission=mission, organisation=organisation, added_by=actor, via_proposal=via_proposal
    )
    _forget_prefectures(mission)
    budget_recompute(mission=mission)
    audit.record(
        mission,
        "coordination.mission.participant_added",
        actor=actor,
        changes={
            "participant": [None, str(organisation)],
            **({"via_proposal": [None, via_proposal.pk]} if via_proposal else {}),
        },
    )
    clash_recompute_for_mission(mission=mission)
    return participant


@transaction.atomic
def participant_remove(*, participant: MissionParticipant, actor: User) -> None:
    mission = participant.mission
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    if Delegate.objects.filter(mission=mission, prefecture=participant.organisation).exists():
        raise ValidationError(
            _("Remove %(org)s's delegates first.") % {"org": participant.organisation}
        )
    name = str(participant.organisation)
    participant.delete()
    _forget_prefectures(mission)
    budget_recompute(mission=mission)
    audit.record(
        mission,
        "coordination.mission.participant_removed",
        actor=actor,
        changes={"participant": [name, None]},
    )
    clash_recompute_for_mission(mission=mission)


@transaction.atomic
def delegate_add(
    *,
    mission: Mission,
    actor: User,
    prefecture: Organisation,
    organisation: Organisation,
    name: str,
    title: str = "",
    email: str = "",
) -> Delegate:
    """Add an official of ``prefecture`` or a representative of a company it manages.

    Only an officer of ``prefecture`` may, and only for a prefecture on the mission.
    """
    if prefecture.pk not in principal_for(actor).officer_org_ids:
        raise PermissionDenied
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    errors: dict[str, str] = {}
    if prefecture.pk not in mission_prefecture_ids(mission):
        errors["prefecture"] = _("%(org)s does not take part in this mission.") % {
            "org": prefecture
        }
    if organisation.pk != prefecture.pk and organisation.managed_by_id != prefecture.pk:
        errors["organisation"] = _(
            "%(org)s is neither %(pref)s nor a company %(pref)s manages. Each prefecture adds "
            "its own people."
        ) % {"org": organisation, "pref": prefecture}
    if not name.strip():
        errors["name"] = _("Give the person's name.")
    if errors:
        raise ValidationError(errors)
    delegate = Delegate.objects.create(
        mission=mission,
        prefecture=prefecture,
        organisation=organisation,
        name=name.strip(),
        title=title,
        email=email,
        added_by=actor,
    )
    budget_recompute(mission=mission)
    audit.record(
        mission,
        "coordination.delegate.added",
        actor=actor,
        changes={"delegate": [None, f"{delegate.name} ({organisation})"]},
    )
    return delegate


@transaction.atomic
def delegate_remove(*, delegate: Delegate, actor: User) -> None:
    if delegate.prefecture_id not in principal_for(actor).officer_org_ids:
        raise PermissionDenied
    mission = delegate.mission
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    label = f"{delegate.name} ({delegate.organisation})"
    delegate.delete()
    budget_recompute(mission=mission)
    audit.record(
        mission, "coordination.delegate.removed", actor=actor, changes={"delegate": [label, None]}
    )


# --- destinations, itinerary, tasks, report ---------------------------------------------------


@transaction.atomic
def destination_add(
    *, mission: Mission, actor: User, city: City, starts_on: date, ends_on: date
) -> MissionDestination:
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The day of leaving cannot be before the day of arrival.")
    elif starts_on < mission.starts_on or ends_on > mission.ends_on:
        errors["starts_on"] = _(
            "The stay must fall within the mission's days (%(first)s to %(last)s)."
        ) % {"first": mission.starts_on.isoformat(), "last": mission.ends_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    destination = MissionDestination.objects.create(
        mission=mission, city=city, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(
        mission,
        "coordination.destination.added",
        actor=actor,
        changes={"destination": [None, str(destination)]},
    )
    clash_recompute_for_mission(mission=mission)
    return destination


@transaction.atomic
def destination_remove(*, destination: MissionDestination, actor: User) -> None:
    mission, label = destination.mission, str(destination)
    destination.delete()
    audit.record(
        mission,
        "coordination.destination.removed",
        actor=actor,
        changes={"destination": [label, None]},
    )
    clash_recompute_for_mission(mission=mission)


@transaction.atomic
def itinerary_item_save(
    *, mission: Mission, actor: User, item: ItineraryItem | None = None, **values: Any
) -> ItineraryItem:
    merged: dict[str, Any] = {
        name: values.get(name, getattr(item, name, None)) for name in ITINERARY_FIELDS
    }
    errors: dict[str, str] = {}
    if not (merged["title_en"] or merged["title_ja"]):
        errors["title_en"] = _("Give a title in English or Japanese.")
    if merged["ends_at"] <= merged["starts_at"]:
        errors["ends_at"] = _("The entry must end after it starts.")
    destination = merged["destination"]
    if destination is not None and destination.mission_id != mission.pk:
        errors["destination"] = _("That destination belongs to another mission.")
    event = merged["event"]
    if event is not None and not (
        event.starts_at < merged["ends_at"] + _DAY and merged["starts_at"] < event.ends_at + _DAY
    ):
        errors["event"] = _("That event is not on the day of this entry.")
    if errors:
        raise ValidationError(errors)
    creating = item is None
    if item is None:
        item = ItineraryItem(mission=mission)
    before = {name: getattr(item, name, None) for name in ITINERARY_FIELDS}
    for name, value in merged.items():
        if name in values:
            setattr(item, name, value)
    item.save()
    audit.record(
        mission,
        "coordination.itinerary.created" if creating else "coordination.itinerary.changed",
        actor=actor,
        changes={"entry": [None, str(item)], **audit.field_changes(before, merged)},
    )
    return item


@transaction.atomic
def itinerary_item_delete(*, item: ItineraryItem, actor: User) -> None:
    mission, label = item.mission, str(item)
    item.delete()
    audit.record(
        mission, "coordination.itinerary.deleted", actor=actor, changes={"entry": [label, None]}
    )


@transaction.atomic
def task_add(
    *,
    mission: Mission,
    actor: User,
    title: str,
    owner_organisation: Organisation,
    owner_user: User | None = None,
    due_on: date | None = None,
    follow_up: bool = False,
) -> MissionTask:
    if owner_organisation.pk not in mission_prefecture_ids(mission):
        raise ValidationError(
            {"owner_organisation": _("Give the task to the lead or a participating prefecture.")}
        )
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    task = MissionTask.objects.create(
        mission=mission,
        title=title.strip(),
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        due_on=due_on,
        follow_up=follow_up,
        created_by=actor,
    )
    audit.record(
        mission,
        "coordination.task.added",
        actor=actor,
        changes={"task": [None, task.title], "owner": [None, str(owner_organisation)]},
    )
    return task


@transaction.atomic
def task_set_status(*, task: MissionTask, actor: User, status: str) -> MissionTask:
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    before = task.status
    task.status = status
    task.done_at = timezone.now() if status == TaskStatus.DONE else None
    task.save(update_fields=["status", "done_at"])
    audit.record(
        task.mission,
        "coordination.task.status",
        actor=actor,
        changes={"task": [None, task.title], "status": [before, status]},
    )
    return task


@transaction.atomic
def mission_report_save(
    *,
    mission: Mission,
    actor: User,
    summary_en: str,
    summary_ja: str,
    outcomes: Mapping[int, tuple[bool | None, str]],
    submit: bool = False,
) -> Mission:
    """The post-mission report: a summary, and for each itinerary entry whether it was held and
    what came of it. ``submit`` marks the report as final (it stays editable)."""
    locked = Mission.objects.select_for_update().get(pk=mission.pk)
    items = {item.pk: item for item in locked.itinerary.all()}
    strangers = set(outcomes) - set(items)
    if strangers:
        raise ValidationError(_("The report names an itinerary entry of another mission."))
    for pk, (held, outcome) in outcomes.items():
        item = items[pk]
        if (item.held, item.outcome) != (held, outcome):
            item.held, item.outcome = held, outcome
            item.save(update_fields=["held", "outcome"])
    changes = audit.field_changes(
        {
            "report_summary_en": locked.report_summary_en,
            "report_summary_ja": locked.report_summary_ja,
        },
        {"report_summary_en": summary_en, "report_summary_ja": summary_ja},
    )
    locked.report_summary_en, locked.report_summary_ja = summary_en, summary_ja
    if submit and locked.report_submitted_at is None:
        locked.report_submitted_at = timezone.now()
        locked.report_submitted_by = actor
        changes["submitted"] = [None, True]
    locked.save()
    audit.record(locked, "coordination.mission.report_saved", actor=actor, changes=changes)
    return locked

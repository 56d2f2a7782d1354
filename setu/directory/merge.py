"""The secretariat's merge of duplicate organisations, and the other writes of duplicate handling.

``organisation_merge`` moves every reference to the merged organisation onto the surviving one.
References are found from the model graph at run time (every foreign key to Organisation in
every installed app, including the ``owner`` of each OwnedModel and the auto-created tables of
many-to-many fields), so a model added later by another app is covered without a change here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import Signal
from django.utils.translation import gettext as _

from setu.core import audit
from setu.directory.duplicates import DISMISSED_ACTION
from setu.directory.focal import update_focal_groups
from setu.directory.models import MergeRecord, NameToken, Organisation, OrganisationKind
from setu.directory.services import organisation_refresh_derived

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User

# References that stay with the merged record: its history. NameToken is rebuilt instead.
KEEP_REFERENCES = frozenset({"directory.MergeRecord", "directory.NameToken"})
# Which kinds a record may be merged into. A member prefecture never disappears into a plain
# prefecture record (its officers and companies would lose their member); companies, academic
# institutions, agencies and chambers are often recorded under the wrong kind.
_BODIES = frozenset(
    {
        OrganisationKind.COMPANY,
        OrganisationKind.ACADEMIC,
        OrganisationKind.AGENCY,
        OrganisationKind.CHAMBER,
    }
)
MERGEABLE_INTO: dict[str, frozenset[str]] = {
    **{kind: _BODIES for kind in _BODIES},
    OrganisationKind.PREFECTURE: frozenset(
        {OrganisationKind.PREFECTURE, OrganisationKind.MEMBER_PREFECTURE}
    ),
    OrganisationKind.MEMBER_PREFECTURE: frozenset({OrganisationKind.MEMBER_PREFECTURE}),
    OrganisationKind.INDIAN_STATE: frozenset({OrganisationKind.INDIAN_STATE}),
    OrganisationKind.SECRETARIAT: frozenset({OrganisationKind.SECRETARIAT}),
}
# Survivor fields never filled from the merged record: identity, derived and bookkeeping.
_NOT_FILLED = frozenset(
    {
        "id",
        "kind",
        "visibility",
        "original_language",
        "name_key",
        "merged_into",
        "is_sme",
        "created_at",
        "updated_at",
        "sort_name_en",  # generated from the names
        "sort_name_ja",
        "sort_name_hi",
    }
)
# Fields that follow another: filled with it, or on their own when the leaders are equal.
_FILLED_WITH = {"capital_currency": "capital", "name_ja_kana": "name_ja"}


# Sent once a merge has committed, with ``merged``, ``into`` and ``record`` (the MergeRecord;
# ``record.snapshot["moved"]`` lists the moved primary keys by "app.Model.field"). References
# move by bulk UPDATE, without post_save, so an app that keeps derived data about them (a
# search index) listens here.
organisation_merged = Signal()


class MergeRefused(Exception):
    """A merge that makes no sense; the message says why, in the user's language."""


@dataclass(frozen=True)
class Reference:
    """One foreign key to Organisation (on a model or on a many-to-many table)."""

    model: type[models.Model]
    field: models.ForeignKey[Any, Any]

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def is_link_table(self) -> bool:
        """An auto-created many-to-many table: its rows are bare links."""
        return bool(self.model._meta.auto_created)

    def rows(self) -> models.QuerySet[Any]:
        return self.model._base_manager.all()

    def unique_groups(self) -> list[tuple[str, ...]]:
        """Field sets that must stay unique and include this field."""
        options = self.model._meta
        groups: list[tuple[str, ...]] = []
        if self.field.unique:
            groups.append((self.field.name,))
        groups += [tuple(group) for group in options.unique_together]
        groups += [
            tuple(constraint.fields)
            for constraint in options.constraints
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields
        ]
        return [group for group in groups if self.field.name in group]


def organisation_references() -> Iterator[Reference]:
    """Every foreign key to Organisation across installed apps, history excepted."""
    for model in apps.get_models(include_auto_created=True):
        options = model._meta
        if options.label in KEEP_REFERENCES or options.proxy or not options.managed:
            continue
        for field in options.local_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.remote_field.model is Organisation
                and not field.remote_field.parent_link
            ):
                yield Reference(model, field)


def merge_problem(*, merged: Organisation, into: Organisation) -> str | None:
    """Why ``merged`` may not be merged into ``into``, or None."""
    if merged.pk == into.pk:
        return _("An organisation cannot be merged into itself.")
    if merged.merged_into_id is not None:
        return _("“%(name)s” has already been merged into another record.") % {"name": merged}
    if into.merged_into_id is not None:
        return _("“%(name)s” has been merged into another record; merge into that one.") % {
            "name": into
        }
    if into.kind not in MERGEABLE_INTO.get(merged.kind, frozenset()):
        return _("A record of kind “%(merged)s” cannot be merged into one of kind “%(into)s”.") % {
            "merged": merged.get_kind_display(),
            "into": into.get_kind_display(),
        }
    return None


def merge_preview(*, merged: Organisation) -> dict[str, int]:
    """How many references of each kind would move: ``{"accounts.Membership.organisation": 3}``."""
    counts = {}
    for reference in organisation_references():
        count = reference.rows().filter(**{reference.field.name: merged}).count()
        if count:
            counts[reference.label] = count
    return counts


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    """All field values and many-to-many ids, as JSON."""
    options = organisation._meta
    data: dict[str, Any] = {
        field.attname: _json_value(field.value_from_object(organisation))
        for field in options.concrete_fields
    }
    data["m2m"] = {
        field.name: sorted(getattr(organisation, field.name).values_list("pk", flat=True))
        for field in options.many_to_many
    }
    loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return loaded


def _repoint(
    reference: Reference, merged: Organisation, into: Organisation
) -> tuple[list[Any], list[Any], list[Any]]:
    """Move the references; return the pks moved, left in place, and link rows dropped.

    A row that would duplicate one the survivor already has (same user and role, same party of
    the same agreement) is left where it is, or, on a many-to-many table, dropped.
    """
    name = reference.field.name
    rows = reference.rows()
    pks = list(rows.filter(**{name: merged}).values_list("pk", flat=True))
    if not pks:
        return [], [], []
    kept: set[Any] = set()
    for group in reference.unique_groups():
        others = [field for field in group if field != name]
        if not others:
            if rows.filter(**{name: into}).exists():
                kept.update(pks)
            continue
        taken = set(rows.filter(**{name: into}).values_list(*others))
        if not taken:
            continue
        for row in rows.filter(**{name: merged}).values("pk", *others):
            if tuple(row[field] for field in others) in taken:
                kept.add(row["pk"])
    rows.filter(**{name: merged}).exclude(pk__in=kept).update(**{name: into})
    moved = [pk for pk in pks if pk not in kept]
    left = [pk for pk in pks if pk in kept]
    if reference.is_link_table and left:
        rows.filter(pk__in=left).delete()
        return moved, [], left
    return moved, left, []


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _fill_empty_fields(*, merged: Organisation, into: Organisation) -> dict[str, list[Any]]:
    """Copy what the survivor lacks from the merged record, never overwriting anything.

    Returns ``{field: [old, new]}`` for the audit log.
    """
    filled: dict[str, list[Any]] = {}
    for field in Organisation._meta.concrete_fields:
        name = field.attname
        leader = _FILLED_WITH.get(name)
        if field.name in _NOT_FILLED or name in filled:
            continue
        if leader and getattr(into, leader) != getattr(merged, leader):
            continue  # a reading belongs to its own name, a currency to its own amount
        ours, theirs = getattr(into, name), getattr(merged, name)
        if ours not in (None, "") or theirs in (None, ""):
            continue
        if name == "managed_by_id" and theirs == into.pk:
            continue
        followers = [other for other, lead in _FILLED_WITH.items() if lead == name]
        for attname in (name, *followers):
            filled[attname] = [getattr(into, attname), getattr(merged, attname)]
            setattr(into, attname, getattr(merged, attname))
    # Saved even when nothing was filled: post_save tells search indexes that its references,
    # sectors and names may have changed.
    into.save(update_fields=[*filled, "updated_at"])
    return {name: [_json_value(old), _json_value(new)] for name, (old, new) in filled.items()}


@transaction.atomic
def organisation_merge(
    *, merged: Organisation, into: Organisation, actor: User | AnonymousUser | None
) -> MergeRecord:
    """Merge ``merged`` into ``into``: every reference moves, the survivor gains what it lacked,
    the merged record stays (hidden) with ``merged_into`` set and a MergeRecord keeps what it was.

    Raises MergeRefused (nothing changed) when the merge makes no sense. Locks both rows.
    """
    locked = {
        organisation.pk: organisation
        for organisation in Organisation.objects.select_for_update()
        .filter(pk__in=[merged.pk, into.pk])
        .order_by("pk")
    }
    if merged.pk not in locked or into.pk not in locked:
        raise MergeRefused(_("One of the two records no longer exists."))
    merged, into = locked[merged.pk], locked[into.pk]
    problem = merge_problem(merged=merged, into=into)
    if problem:
        raise MergeRefused(problem)
    snapshot = _snapshot(merged)
    repointed: dict[str, int] = {}
    moved: dict[str, list[Any]] = {}
    left: dict[str, list[Any]] = {}
    dropped: dict[str, list[Any]] = {}
    for reference in organisation_references():
        moved_pks, left_pks, dropped_pks = _repoint(reference, merged, into)
        for target, pks in ((moved, moved_pks), (left, left_pks), (dropped, dropped_pks)):
            if pks:
                target[reference.label] = [pk if isinstance(pk, int) else str(pk) for pk in pks]
        if moved_pks:
            repointed[reference.label] = len(moved_pks)
    # A survivor managed by the merged prefecture would now manage itself.
    Organisation.objects.filter(pk=into.pk, managed_by=into).update(managed_by=None)
    into.refresh_from_db()
    merged.refresh_from_db()
    filled = _fill_empty_fields(merged=merged, into=into)
    organisation_refresh_derived(organisation=into)
    # The sector links moved by a queryset update, which sends no m2m signal.
    update_focal_groups([into.pk])
    NameToken.objects.filter(organisation=merged).delete()
    merged.merged_into = into
    merged.save(update_fields=["merged_into", "updated_at"])
    snapshot.update(moved=moved, left_in_place=left, dropped_links=dropped, filled=filled)
    record = MergeRecord.objects.create(
        merged=merged,
        into=into,
        merged_by=actor if actor is not None and actor.is_authenticated else None,
        snapshot=snapshot,
        repointed=repointed,
    )
    changes: dict[str, list[Any]] = {"merged_from": [None, f"{merged} (#{merged.pk})"], **filled}
    if repointed:
        summary = ", ".join(f"{label}: {count}" for label, count in sorted(repointed.items()))
        changes["references"] = [None, summary]
    audit.record(into, "directory.organisation.merged_from", actor=actor, changes=changes)
    audit.record(
        merged,
        "directory.organisation.merged_into",
        actor=actor,
        changes={"merged_into": [None, f"{into} (#{into.pk})"]},
        owner=into,
    )
    transaction.on_commit(
        lambda: organisation_merged.send(
            sender=Organisation, merged=merged, into=into, record=record
        )
    )
    return record


def survivor_of(*, user: User | AnonymousUser, pk: Any) -> Organisation | None:
    """The visible record that ``pk`` was merged into (following a chain), or None."""
    target: Any = pk
    for _hop in range(5):
        row = Organisation.objects.filter(pk=target).values_list("merged_into", flat=True).first()
        if row is None:
            break
        target = row
    if target == pk:
        return None
    return Organisation.objects.visible_to(user).filter(pk=target).first()


class ManageRefused(Exception):
    """The company cannot be taken into the prefecture's care; the message says why."""


@transaction.atomic
def organisation_manage_for(
    *, organisation: Organisation, prefecture: Organisation, actor: User
) -> Organisation:
    """Link an existing shared company to the officer's prefecture instead of adding a copy.

    Only a company nobody manages yet; the row is locked so two prefectures cannot both win.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.kind != OrganisationKind.COMPANY:
        raise ManageRefused(_("Only a company can be managed by a prefecture."))
    if prefecture.kind != OrganisationKind.MEMBER_PREFECTURE:
        raise ManageRefused(_("Only a member prefecture can manage a company."))
    if locked.managed_by_id is not None:
        raise ManageRefused(_("“%(name)s” is already managed by a prefecture.") % {"name": locked})
    locked.managed_by = prefecture
    locked.save(update_fields=["managed_by", "updated_at"])
    audit.record(
        locked,
        "directory.organisation.managed",
        actor=actor,
        changes={"managed_by_id": [None, str(prefecture)]},
    )
    return locked


@transaction.atomic
def duplicate_dismiss(
    *, first: Organisation, second: Organisation, actor: User, secretariat: Organisation | None
) -> None:
    """Remember that two records are different organisations (the pair leaves the list).

    Kept in the audit log, owned by the secretariat so that neither record's readers learn of
    the other.
    """
    low, high = sorted((first.pk, second.pk))
    audit.record(
        first if first.pk == low else second,
        DISMISSED_ACTION,
        actor=actor,
        changes={
            "not_a_duplicate_of": [None, f"{second if first.pk == low else first}"],
            "pair": [None, [low, high]],
        },
        owner=secretariat,
    )

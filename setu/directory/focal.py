"""Which focal sectors an organisation belongs to, stored on its row for the list's filter.

A focal sector is a curated group of ISIC divisions (``FocalSector.sectors``); an organisation
belongs to it when one of its sectors is in the group. The list's "Focal sector" filter reads
``Organisation.focal_groups``, one bit per focal sector (bit ``pk - 1``), from the index
``org_region_list`` alongside region, SME and visibility: no subquery per row
(docs/performance.md, Directory).

It is kept up to date here: when an organisation's sectors change (``m2m_changed``) and when a
focal sector's divisions change (every organisation). Writers that move sector links without
the m2m signal call ``update_focal_groups`` for the rows they touched: the bulk loaders and a
merge (which re-points links with a plain UPDATE).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

MAX_FOCAL_SECTORS = 62  # bits of a signed 64-bit column, with room to spare
CHUNK = 5000


def focal_bit(focal_id: int) -> int:
    """The bit of focal sector ``focal_id`` in ``focal_groups``; 0 for one past the limit."""
    return 1 << (focal_id - 1) if 1 <= focal_id <= MAX_FOCAL_SECTORS else 0


# focal sector key → id, read once per process (reference data changes by migration and
# load_demo); emptied when a focal sector or its divisions change.
_ids: dict[str, int] = {}


def focal_id(key: str) -> int:
    """The id of focal sector ``key``; 0 when there is none."""
    if not _ids:
        from setu.directory.models import FocalSector

        _ids.update(FocalSector.objects.values_list("key", "pk"))
    return _ids.get(key, 0)


def _forget_ids(**_: Any) -> None:
    _ids.clear()


def _sector_bits(focal_through: Any) -> dict[int, int]:
    bits: dict[int, int] = defaultdict(int)
    for focal_id, sector_id in focal_through.objects.values_list("focalsector_id", "sector_id"):
        bits[sector_id] |= focal_bit(focal_id)
    return bits


def update_focal_groups(
    organisation_ids: Iterable[int] | None = None, *, models: Any = None
) -> int:
    """Recompute ``focal_groups`` of these organisations (all when None); the rows changed.

    ``models``: (Organisation, FocalSector) of a migration's app registry, else the live ones.
    One query per chunk of organisations, and one UPDATE per distinct new value.
    """
    if models is None:
        from setu.directory import models as live

        models = (live.Organisation, live.FocalSector)
    organisation_model, focal_model = models
    bits = _sector_bits(focal_model.sectors.through)
    links = organisation_model.sectors.through.objects
    if organisation_ids is None:
        chunks: Iterable[list[int] | None] = [None]
    else:
        ids = sorted(set(organisation_ids))
        chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    changed: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks:
        rows = links.all() if chunk is None else links.filter(organisation_id__in=chunk)
        groups: dict[int, int] = defaultdict(int)
        for organisation_id, sector_id in rows.values_list("organisation_id", "sector_id"):
            groups[organisation_id] |= bits.get(sector_id, 0)
        current = organisation_model.objects.all()
        if chunk is not None:
            current = current.filter(pk__in=chunk)
        for pk, stored in current.values_list("pk", "focal_groups"):
            if groups.get(pk, 0) != stored:
                changed[groups.get(pk, 0)].append(pk)
    for value, pks in changed.items():
        for start in range(0, len(pks), CHUNK):
            organisation_model.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                focal_groups=value
            )
    return sum(len(pks) for pks in changed.values())


def _organisation_sectors_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **_: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        update_focal_groups([instance.pk])
    elif pk_set:  # sector.organisations.add(...)
        update_focal_groups(pk_set)
    else:  # sector.organisations.clear(): whoever had it
        update_focal_groups()


def _focal_sectors_changed(sender: Any, action: str, **_: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _ids.clear()
        update_focal_groups()


def connect() -> None:
    """Called once, from the app's ready()."""
    from setu.directory.models import FocalSector, Organisation

    m2m_changed.connect(
        _organisation_sectors_changed,
        sender=Organisation.sectors.through,
        dispatch_uid="directory:focal:organisation_sectors",
    )
    m2m_changed.connect(
        _focal_sectors_changed,
        sender=FocalSector.sectors.through,
        dispatch_uid="directory:focal:focal_sectors",
    )
    post_save.connect(_forget_ids, sender=FocalSector, dispatch_uid="directory:focal:ids_saved")
    post_delete.connect(_forget_ids, sender=FocalSector, dispatch_uid="directory:focal:ids_deleted")

"""The audit log as a hash chain (docs/decisions/0020).

Each entry's ``digest`` is the SHA-256 of its content (when, who, action, record, owner,
changes) in a canonical form; its ``chain_hash`` is the SHA-256 of the previous entry's
chain_hash followed by its own digest. Changing an entry changes its digest; removing one
breaks the link of the next; removing the newest ones disagrees with ``AuditChainHead``.

Appends are serialised on the head row (``select_for_update``), so two writers cannot both
link to the same previous entry. Personal values may be redacted (retention, erasure): the
entry keeps its digest and is flagged ``redacted``, and a later entry of its own
("core.audit.redacted") names it, so verification accepts the stored digest for exactly the
entries a redaction names.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from setu.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
REDACTED_ACTION = "core.audit.redacted"
REDACTED_TEXT = "[redacted]"


def _canonical(value: Any) -> Any:
    """JSON as the database gives it back (tuples as lists, keys as strings)."""
    return json.loads(json.dumps(value, default=str))


def entry_digest(entry: AuditEntry) -> str:
    created = entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    content = [
        created,
        entry.actor_id,
        entry.action,
        entry.content_type_id,
        entry.object_id,
        entry.object_repr,
        entry.owner_id,
        _canonical(entry.changes),
    ]
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def link(previous: str, digest: str) -> str:
    return hashlib.sha256(f"{previous}{digest}".encode("ascii")).hexdigest()


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _created = AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def append(entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Save ``entries`` (unsaved) at the end of the chain, in one transaction."""
    if not entries:
        return []
    with transaction.atomic():
        head = _locked_head()
        previous = head.last_hash or GENESIS
        now = timezone.now()
        for entry in entries:
            entry.created_at = now
            entry.digest = entry_digest(entry)
            entry.chain_hash = previous = link(previous, entry.digest)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
            saved = list(entries)
        else:
            saved = AuditEntry.objects.bulk_create(entries, batch_size=500)
        last_id = saved[-1].pk
        if last_id is None:  # a backend that returns no ids from bulk_create
            last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        AuditChainHead.objects.filter(pk=1).update(last_entry_id=last_id, last_hash=previous)
    return saved


def redact(entry_ids: Iterable[int], *, reason: str) -> int:
    """Blank the record name and changes of these entries, keep their digests, and record the
    redaction as an entry of its own naming them. Returns how many were redacted."""
    ids = sorted(set(entry_ids))
    if not ids:
        return 0
    with transaction.atomic():
        count = (
            AuditEntry.objects.filter(pk__in=ids, redacted=False)
            .exclude(action=REDACTED_ACTION)
            .update(object_repr=REDACTED_TEXT, changes={}, redacted=True)
        )
        append(
            [
                AuditEntry(
                    action=REDACTED_ACTION,
                    object_repr=reason[:200],
                    changes={"entries": ids, "reason": reason},
                )
            ]
        )
    return count


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    first_broken_id: int | None = None


def verify() -> Verdict:
    """Walk the chain in id order; the first entry whose digest or link does not hold."""
    named: set[int] = set()
    for changes in AuditEntry.objects.filter(action=REDACTED_ACTION).values_list(
        "changes", flat=True
    ):
        named.update(int(i) for i in (changes or {}).get("entries", []))
    previous = GENESIS
    checked = 0
    last_id: int | None = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        last_id = entry.pk
        if entry.redacted and entry.pk not in named:
            return Verdict(False, checked, entry.pk)
        if not entry.redacted and entry_digest(entry) != entry.digest:
            return Verdict(False, checked, entry.pk)
        if link(previous, entry.digest) != entry.chain_hash:
            return Verdict(False, checked, entry.pk)
        previous = entry.chain_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if (
        head is not None
        and head.last_entry_id is not None
        and (head.last_entry_id != last_id or head.last_hash != previous)
    ):
        # the newest entries were removed: the chain ends before the head's entry
        return Verdict(False, checked, head.last_entry_id)
    return Verdict(True, checked)


def rebuild(entries: Iterable[AuditEntry]) -> tuple[int | None, str]:
    """Digest and link existing entries in order (the migration that brought the chain)."""
    previous = GENESIS
    last_id = None
    for entry in entries:
        entry.digest = entry_digest(entry)
        entry.chain_hash = previous = link(previous, entry.digest)
        last_id = entry.pk
    return last_id, previous

"""Keeping the index in step: the worker indexes changes after their transaction commits.

``schedule(keys)`` is called on save and delete (through the registry's signal handlers, or
explicitly by a service for changes that do not save the record itself, such as a new
version or a collection membership). ``index_keys`` does the work: it asks each key's source
for its ``IndexDocument`` and writes or removes the row. ``rebuild`` re-indexes everything
(``manage.py rebuild_search_index``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from setu.library.search.backends import IndexEntry, SearchBackend, get_backend
from setu.library.search.registry import SearchSource, get_source, sources, split_key

logger = logging.getLogger(__name__)


def schedule(keys: Iterable[str]) -> None:
    """Index ``keys`` ("source:pk") in the worker once the current transaction commits.

    Each call registers its own on-commit hook, so keys of a rolled-back transaction are
    dropped with it. Indexing is idempotent: a key scheduled twice is merely indexed twice.
    """
    chosen = sorted(set(keys))
    if chosen:
        transaction.on_commit(lambda: _enqueue(chosen))


def _enqueue(keys: list[str]) -> None:
    from setu.library.tasks import index_search_keys

    index_search_keys.enqueue(keys=keys)


def index_keys(keys: Iterable[str], backend: SearchBackend | None = None) -> list[str]:
    """Write or remove the index rows of ``keys`` now; return the keys newly shared."""
    backend = backend or get_backend()
    by_source: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        name, pk = split_key(key)
        by_source[name].append(pk)
    newly_shared: list[str] = []
    for name, pks in by_source.items():
        source = get_source(name)
        if source is None:
            logger.warning("search: no source named %r; removing its keys", name)
            backend.remove(f"{name}:{pk}" for pk in pks)
            continue
        objects = {str(obj.pk): obj for obj in source.queryset().filter(pk__in=pks)}
        entries, gone = _entries(source, objects, pks)
        newly_shared += backend.index(entries)
        backend.remove(gone)
    return newly_shared


def _entries(
    source: SearchSource, objects: dict[str, Any], pks: Iterable[str]
) -> tuple[list[IndexEntry], list[str]]:
    entries: list[IndexEntry] = []
    gone: list[str] = []
    for pk in pks:
        obj = objects.get(str(pk))
        document = source.document(obj) if obj is not None else None
        if document is None:
            gone.append(source.key(pk))
        else:
            entries.append(IndexEntry(source.key(pk), source.name, str(pk), document))
    return entries, gone


def rebuild(
    names: Iterable[str] | None = None,
    *,
    batch_size: int = 200,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Re-index every record of the named sources (all by default); return how many.

    Rows of records that no longer exist, or of sources no longer registered, are dropped.
    Records shared before the rebuild keep their ``shared_at``: nobody is notified twice.
    """
    from setu.library.models import SearchEntry

    backend = get_backend()
    backend.ensure_schema()
    chosen = [s for s in sources() if names is None or s.name in set(names)]
    started = timezone.now()
    count = 0
    for source in chosen:
        batch: list[Any] = []
        for obj in source.queryset().iterator(chunk_size=batch_size):
            batch.append(obj)
            if len(batch) >= batch_size:
                count += _index_batch(backend, source, batch)
                batch = []
                if progress:
                    progress(source.name, count)
        count += _index_batch(backend, source, batch)
        # every row written above carries a newer indexed_at; the rest are stale
        stale = SearchEntry.objects.filter(source=source.name, indexed_at__lt=started)
        backend.remove(list(stale.values_list("key", flat=True)))
    if names is None:
        known = [s.name for s in sources()]
        orphans = SearchEntry.objects.exclude(source__in=known).values_list("key", flat=True)
        backend.remove(list(orphans))
    return count


def _index_batch(backend: SearchBackend, source: SearchSource, batch: list[Any]) -> int:
    objects = {str(obj.pk): obj for obj in batch}
    entries, gone = _entries(source, objects, list(objects))
    backend.index(entries)
    backend.remove(gone)
    return len(entries)

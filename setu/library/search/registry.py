"""What can be searched: sources registered by the apps that own the records.

An app makes its records searchable in its ``AppConfig.ready``::

    from setu.library.search.registry import IndexDocument, register_source

    def event_document(event: Event) -> IndexDocument | None:
        return IndexDocument(title={"en": event.title_en, ...}, body=..., ...)

    register_source(
        "events.event", model=Event, label=_("Events"), document=event_document, digest=True
    )

Saving or deleting a record of ``model`` then re-indexes it through the worker once the
transaction commits; ``document`` returning None removes it from the index (a draft, a
cancelled event, unpublished minutes). ``manage.py rebuild_search_index`` rebuilds from
``queryset``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise


@dataclass(frozen=True)
class IndexDocument:
    """What the index holds about one record. Titles by language ("en", "ja", "hi")."""

    title: Mapping[str, str]
    body: str
    language: str
    owner_id: int | None
    visibility: str
    url: str
    date: datetime
    managed_by_id: int | None = None  # the owner's managing prefecture (companies)
    kind: str = ""  # a finer type shown as a badge ("market_brief")
    sector_ids: Collection[int] = ()
    organisation_ids: Collection[int] = ()  # related organisations (digest relevance)
    reader_ids: Collection[int] = ()  # organisations that read it whatever its visibility


@dataclass(frozen=True)
class SearchSource:
    name: str
    model: type[models.Model]
    label: str | Promise
    document: Callable[[Any], IndexDocument | None]
    queryset: Callable[[], models.QuerySet[Any]]
    digest: bool = False
    kinds: Mapping[str, str | Promise] = field(default_factory=dict)
    kind_labels: Mapping[str, str | Promise] = field(default_factory=dict)

    def key(self, pk: Any) -> str:
        return f"{self.name}:{pk}"

    def describe(self, kind: str) -> str:
        """The badge of one record: its kind's label, else the source's."""
        return str(self.kind_labels.get(kind) or self.kinds.get(kind) or self.label)


_SOURCES: dict[str, SearchSource] = {}


def register_source(
    name: str,
    *,
    model: type[models.Model],
    label: str | Promise,
    document: Callable[[Any], IndexDocument | None],
    queryset: Callable[[], models.QuerySet[Any]] | None = None,
    digest: bool = False,
    watch: bool = True,
    kinds: Mapping[str, str | Promise] | None = None,
    kind_labels: Mapping[str, str | Promise] | None = None,
) -> SearchSource:
    """Make ``model`` searchable under ``name`` ("app.thing"). Idempotent per name.

    ``digest``: new shared records of this source go into the notification emails.
    ``watch``: re-index on every save and delete of ``model`` (after commit, in the worker).
    ``kinds``: finer types offered in the search's type filter ({"market_brief": _("…")}),
    matched against ``IndexDocument.kind``. ``kind_labels``: badges for each kind in results.
    """
    if ":" in name:
        raise ValueError("a source name may not contain ':'")
    source = SearchSource(
        name=name,
        model=model,
        label=label,
        document=document,
        queryset=queryset or (lambda: model._default_manager.all()),
        digest=digest,
        kinds=dict(kinds or {}),
        kind_labels=dict(kind_labels or {}),
    )
    _SOURCES[name] = source
    if watch:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"library-search-save-{name}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"library-search-del-{name}")
    return source


def sources() -> list[SearchSource]:
    return list(_SOURCES.values())


def get_source(name: str) -> SearchSource | None:
    return _SOURCES.get(name)


def sources_for_model(model: type[models.Model]) -> list[SearchSource]:
    return [source for source in _SOURCES.values() if source.model is model]


def split_key(key: str) -> tuple[str, str]:
    name, _, pk = key.partition(":")
    return name, pk


def _on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    from setu.library.search.indexing import schedule

    for source in sources_for_model(sender):
        schedule([source.key(instance.pk)])


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    from setu.library.search.indexing import schedule

    for source in sources_for_model(sender):
        schedule([source.key(instance.pk)])

"""The search index: one row per searchable record, whatever app it comes from.

Each row carries what the permission filter needs (owner, managing prefecture, visibility,
extra reader organisations), so that search applies the ownership rule inside the query.
``tokens`` and ``title_tokens`` hold the pre-tokenised text (setu.algorithms.text). The
full-text machinery lives outside the model, created by migration 0002:

- SQLite: an FTS5 table ``library_search_fts`` with this table as its external content,
  kept in step by triggers. A later migration that rebuilds this table (SQLite's way of
  altering columns) drops the triggers: run ``manage.py rebuild_search_index`` after it.
- PostgreSQL: generated ``tsvector`` columns ``search_vector`` (with a GIN index) and
  ``title_vector``, ``to_tsvector('simple', …)`` of the two token columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from setu.core.i18n import localized

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


class SearchEntryQuerySet(models.QuerySet["SearchEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> SearchEntryQuerySet:
        return self.filter(entry_visibility_q(user))


def entry_visibility_q(user: User | AnonymousUser) -> Q:
    """The ownership rule on index rows: ``visibility_q`` plus the explicit readers."""
    from setu.core.principal import principal_for
    from setu.core.visibility import visibility_q

    allowed = visibility_q(user, owner_field="owner", managed_by_field="managed_by")
    org_ids = principal_for(user).org_ids
    if org_ids:
        readers = SearchEntry.readers.through.objects.filter(
            searchentry_id=OuterRef("pk"), organisation_id__in=org_ids
        )
        allowed |= Q(Exists(readers))
    return allowed


class SearchEntry(models.Model):
    key = models.CharField(max_length=100, unique=True)  # "library.document:12"
    source = models.CharField(max_length=50, db_index=True)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=40, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    title_ja = models.CharField(max_length=300, blank=True)
    title_hi = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)  # the start of the original text, for snippets
    language = models.CharField(max_length=8, blank=True, db_index=True)
    url = models.CharField(max_length=300)
    date = models.DateTimeField()
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    managed_by = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    # not indexed on its own: the planner must walk (date, id) for common words, and an index
    # on visibility tempts SQLite into a worse plan
    visibility = models.CharField(max_length=16)
    readers = models.ManyToManyField("directory.Organisation", related_name="+")
    organisations = models.ManyToManyField(
        "directory.Organisation", related_name="+", db_table="library_searchentry_related"
    )
    sectors = models.ManyToManyField("directory.Sector", related_name="+")
    shared_at = models.DateTimeField(null=True, db_index=True)
    indexed_at = models.DateTimeField(auto_now=True)
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["date", "id"], name="library_search_newest")]
        verbose_name = "search entry"
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.key

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class SearchTerm(models.Model):
    """A word of the index written with more than ASCII and without Japanese: the words in
    which a typed prefix might end inside a letter (ऊर्ज in ऊर्जा). Search reads which
    characters follow a prefix here (``setu.library.search.prefixes``). Rows are only ever
    added; a word that no record holds any more only costs its row."""

    term = models.CharField(max_length=60, primary_key=True)

    def __str__(self) -> str:
        return self.term

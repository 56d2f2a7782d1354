"""What the library tells privacy: search index rows that name a person are re-read from their
(now anonymised) records after an erasure, and dropped if they still name the person; search
rows of records that are gone are dropped by retention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext

from setu.directory.models import Person
from setu.library.models import SearchEntry
from setu.library.search.backends import get_backend
from setu.library.search.indexing import index_keys
from setu.privacy.registry import ErasureResult, register_erasure

if TYPE_CHECKING:
    from setu.accounts.models import User


def _terms(user: User) -> list[str]:
    names = [user.email, user.full_name, user.native_name]
    for person in Person.objects.filter(email__iexact=user.email):
        names += [person.name_latin, person.name_native, person.email]
    return sorted({name.strip() for name in names if name and len(name.strip()) >= 3})


def _naming(terms: list[str]) -> Q:
    found = Q(pk__in=[])
    for term in terms:
        for field in ("text", "title_en", "title_ja", "title_hi"):
            found |= Q(**{f"{field}__icontains": term})
    return found


def erase_search_entries(user: User) -> ErasureResult:
    """Note the rows that name the person now; once every record is anonymised, re-index them
    and drop any that still name the person (free text someone wrote about them)."""
    terms = _terms(user)
    keys = list(SearchEntry.objects.filter(_naming(terms)).values_list("key", flat=True))

    def reindex() -> int:
        if not keys:
            return 0
        index_keys(keys)
        still = list(
            SearchEntry.objects.filter(key__in=keys)
            .filter(_naming(terms))
            .values_list("key", flat=True)
        )
        get_backend().remove(still)
        return len(keys)

    kept = []
    if keys:
        kept.append(
            gettext(
                "Documents and minutes that mention you by name are kept by their owners; "
                "they no longer find you in search."
            )
        )
    return ErasureResult(kept=kept, then=reindex)


def register() -> None:
    register_erasure("library.search", erase_search_entries, order=10)

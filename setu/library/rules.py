"""Who may write what in the library. Reading follows the ownership rule (visible_to)."""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for
from setu.core.rules import has_staff_role, is_owner_officer, is_secretariat


@rules.predicate
def in_network(user: Any) -> bool:
    """Staff, member companies and partners share documents; students and the public read."""
    return principal_for(user).in_network


@rules.predicate
def in_owner_organisation(user: Any, record: Any) -> bool:
    return record is not None and record.owner_id in principal_for(user).org_ids


@rules.predicate
def in_collection(user: Any, collection: Any) -> bool:
    """The collection's owner or one of its member organisations."""
    if collection is None:
        return False
    org_ids = principal_for(user).org_ids
    if collection.owner_id in org_ids:
        return True
    return collection.members.filter(pk__in=org_ids).exists()


can_edit_document = in_owner_organisation | is_owner_officer

rules.add_perm("library.add_document", in_network)
rules.add_perm("library.change_document", can_edit_document)
rules.add_perm("library.add_announcement", has_staff_role)
rules.add_perm(
    "library.change_announcement", in_owner_organisation | is_owner_officer | is_secretariat
)
rules.add_perm("library.add_collection", has_staff_role)
rules.add_perm(
    "library.change_collection", in_owner_organisation | is_owner_officer | is_secretariat
)
rules.add_perm("library.file_into_collection", in_collection)

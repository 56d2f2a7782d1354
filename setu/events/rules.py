"""Who may do what with events.

- ``events.add_event``: prefecture officers and the secretariat.
- ``events.change_event`` (the event's details, agenda, categories, questions, visibility)
  and ``events.run_event`` (the organiser tools: registrations, approval, promotion, emails to
  registrants, exports, statistics, check-in): officers of the lead and co-hosting
  prefectures, and the secretariat. Co-hosts share the work; every edit is audited
  (docs/decisions/0008-co-hosts-edit-events.md).
- ``events.manage_hosts`` (change the co-host list): officers of the lead prefecture, and the
  secretariat.
"""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for
from setu.core.rules import is_prefecture_officer, is_secretariat


@rules.predicate
def is_lead_host_officer(user: Any, event: Any) -> bool:
    return event is not None and event.owner_id in principal_for(user).officer_org_ids


@rules.predicate
def is_host_officer(user: Any, event: Any) -> bool:
    if event is None:
        return False
    from setu.events.selectors import host_ids

    officer_ids = principal_for(user).officer_org_ids
    if not officer_ids:
        return False
    if event.owner_id in officer_ids:
        return True
    co_hosts = getattr(event, "user_co_hosts", None)  # annotated by selectors.access_event
    if co_hosts is not None:
        return bool(co_hosts)
    return bool(host_ids(event) & officer_ids)


rules.add_perm("events.add_event", is_prefecture_officer | is_secretariat)
rules.add_perm("events.change_event", is_host_officer | is_secretariat)
rules.add_perm("events.run_event", is_host_officer | is_secretariat)
rules.add_perm("events.manage_hosts", is_lead_host_officer | is_secretariat)

"""Who may do what with results (the ``rules`` package). Reads are filtered in selectors.

Leads are worked by member prefectures: an officer of the owning prefecture changes a lead;
the secretariat reads what members share and changes nothing.
"""

from __future__ import annotations

from typing import Any

import rules

from setu.core.principal import principal_for
from setu.core.rules import has_staff_role, is_prefecture_officer


@rules.predicate
def works_lead(user: Any, lead: Any) -> bool:
    """An officer of the prefecture that owns the lead (or the survey)."""
    return lead is not None and lead.owner_id in principal_for(user).officer_org_ids


rules.add_perm("results.view", has_staff_role)
rules.add_perm("results.add_lead", is_prefecture_officer)
rules.add_perm("results.change_lead", works_lead)
rules.add_perm("results.add_survey", is_prefecture_officer)
rules.add_perm("results.change_survey", works_lead)

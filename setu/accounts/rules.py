import rules

from setu.core.rules import has_staff_role

rules.add_perm("accounts.invite", has_staff_role)

"""Check the audit log's hash chain (docs/decisions/0020): exit 0 when intact, 1 otherwise."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from setu.core.audit_chain import verify


class Command(BaseCommand):
    help = "Verify that no audit entry was changed or removed (the hash chain holds)."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify()
        if verdict.intact:
            self.stdout.write(f"audit chain intact: {verdict.checked} entries")
            return
        self.stdout.write(f"first broken entry: id {verdict.first_broken_id}")
        sys.exit(1)

"""Work the worker does for privacy: exports, and the daily retention run (also from cron as
``manage.py apply_retention``)."""

from __future__ import annotations

from django_tasks import task


@task()
def make_export(*, export_id: int) -> None:
    from setu.privacy.services import export_make

    export_make(export_id=export_id)


@task()
def apply_retention() -> list[str]:
    from setu.privacy.retention import retention_apply

    return retention_apply(dry_run=False)

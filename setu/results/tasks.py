"""Work the worker does for results: the periodic sweep of due surveys and overdue next steps
(also run from cron by ``manage.py send_results_reminders``)."""

from __future__ import annotations

from django_tasks import task

from setu.results.reminders import overdue_reminders_send
from setu.results.surveys import surveys_send_due


@task()
def send_results_reminders() -> int:
    """Send the surveys that are due and remind owners of overdue next steps, each once."""
    return surveys_send_due() + overdue_reminders_send()


@task()
def make_annual_report(*, report_id: int) -> None:
    """Make a queued annual report's PDF; its progress and any error are stored on it."""
    from setu.results.reports import annual_report_make

    annual_report_make(report_id=report_id)

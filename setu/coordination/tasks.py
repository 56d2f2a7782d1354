"""Scheduled work of inbound visits for the worker (also run from cron by
``manage.py send_coordination_reminders``): reminders to visitors who have not sent their
details, and the erasure of visitors' details after the retention period."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from setu.coordination.services.visitors import visitor_details_expire, visitor_reminders_send


@task()
def send_visitor_reminders() -> int:
    return visitor_reminders_send()


@task()
def expire_visitor_details() -> int:
    return visitor_details_expire(now=timezone.now())

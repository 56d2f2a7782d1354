"""Records of the privacy app for tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from setu.accounts.models import User
from setu.conftest import World
from setu.privacy.models import Breach, DataExport, ExportStatus, Grievance, Notice, Purpose


def notices() -> None:
    """Version 1 of every purpose's notice in en/ja/hi."""
    for purpose in Purpose.values:
        for language in ("en", "ja", "hi"):
            Notice.objects.get_or_create(
                purpose=purpose, version=1, language=language,
                defaults={"title": f"{purpose} {language}", "body": f"Notice {purpose}"},
            )  # fmt: skip


def grievance(user: User, **fields: Any) -> Grievance:
    now = timezone.now()
    values: dict[str, Any] = {
        "subject": "Wrong phone number", "body": "Please fix it.", "filed_at": now,
        "due_at": now + timedelta(days=90),
    }  # fmt: skip
    values.update(fields)
    return Grievance.objects.create(user=user, **values)


def breach(**fields: Any) -> Breach:
    values: dict[str, Any] = {
        "title": "List sent to the wrong address", "detected_at": timezone.now(),
        "categories": "names, emails", "people_count": 12,
    }  # fmt: skip
    values.update(fields)
    return Breach.objects.create(**values)


def ready_export(user: User) -> DataExport:
    return DataExport.objects.create(
        user=user, status=ExportStatus.READY, json_data=b"{}", csv_data=b"section\r\n"
    )


def student(w: World) -> User:
    user = w.user("student")
    assert user is not None
    return user

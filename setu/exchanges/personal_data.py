"""What exchanges tells privacy: a student's applications (kept while a round is running)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.exchanges.models import Application
from setu.privacy.registry import (
    ErasureResult,
    register_erasure,
    register_retention,
    register_source,
)

if TYPE_CHECKING:
    from setu.accounts.models import User


def application_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "round": str(application.round),
            "date_of_birth": application.date_of_birth.isoformat(),
            "level": str(application.get_level_display()),
            "statement": application.statement,
            "status": str(application.get_status_display()),
            "sent": application.created_at.isoformat(timespec="minutes"),
        }
        for application in Application.objects.filter(student=user).select_related("round")
    ]


def _blank(applications: Any) -> int:
    return int(applications.exclude(statement="").update(statement=""))


def expired_applications(cutoff: datetime) -> Any:
    return Application.objects.filter(created_at__lt=cutoff).exclude(statement="")


def erase_applications(user: User) -> ErasureResult:
    count = _blank(Application.objects.filter(student=user))
    kept = []
    if Application.objects.filter(student=user).exists():
        kept.append(
            gettext(
                "Your exchange applications' dates and outcomes: the host prefecture must keep "
                "them until the retention period for applications ends."
            )
        )
    return ErasureResult(erased=count, kept=kept)


def register() -> None:
    register_source("exchanges.applications", _("Exchange applications"), application_rows)
    register_retention(
        "applications",
        _("Exchange applications"),
        find_expired=expired_applications,
        erase=_blank,
        action="anonymise",
    )
    register_erasure("exchanges.applications", erase_applications)

"""What events tells privacy about the personal data it holds: registrations and tickets
(shown on the privacy page, exported, anonymised after the retention period or on erasure)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setu.events.models import Attendee, Registration
from setu.privacy.registry import (
    ErasureResult,
    register_erasure,
    register_retention,
    register_source,
)

if TYPE_CHECKING:
    from setu.accounts.models import User

ANONYMOUS_EMAIL = "erased@invalid"


def _mine(user: User) -> Any:
    return Registration.objects.filter(Q(booked_by=user) | Q(email__iexact=user.email))


def registration_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "event": str(registration.event),
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation_name,
            "country": registration.country,
            "status": str(registration.get_status_display()),
            "answers": str(registration.answers or ""),
            "registered": registration.created_at.isoformat(timespec="minutes"),
        }
        for registration in _mine(user).select_related("event").order_by("-created_at")
    ]


def _anonymise(registrations: Any) -> int:
    ids = list(registrations.values_list("id", flat=True))
    label = gettext("Erased guest")
    Attendee.objects.filter(registration_id__in=ids).update(name=label, email=ANONYMOUS_EMAIL)
    return Registration.objects.filter(pk__in=ids).update(
        name=label, email=ANONYMOUS_EMAIL, organisation_name="", answers={}, booked_by=None
    )


def expired_registrations(cutoff: datetime) -> Any:
    """Registrations of events that ended before the cutoff and still carry a name."""
    return Registration.objects.filter(event__ends_at__lt=cutoff).exclude(email=ANONYMOUS_EMAIL)


def erase_registrations(user: User) -> ErasureResult:
    return ErasureResult(erased=_anonymise(_mine(user)))


def register() -> None:
    register_source("events.registrations", _("Event registrations"), registration_rows)
    register_retention(
        "guest_registrations",
        _("Guest registrations"),
        find_expired=expired_registrations,
        erase=_anonymise,
        action="anonymise",
    )
    register_erasure("events.registrations", erase_registrations)

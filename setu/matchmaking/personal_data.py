"""What matchmaking tells privacy: the profiles a person is the contact of."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from setu.matchmaking.models import Participant
from setu.privacy.registry import (
    ErasureResult,
    register_erasure,
    register_retention,
    register_source,
)

if TYPE_CHECKING:
    from setu.accounts.models import User


def profile_rows(user: User) -> list[dict[str, str]]:
    return [
        {
            "event": str(profile.matchmaking),
            "organisation": str(profile.organisation),
            "offers": profile.offers,
            "needs": profile.needs,
            "languages": profile.languages,
            "taking_part": str(profile.active),
        }
        for profile in Participant.objects.filter(contact=user).select_related(
            "matchmaking", "organisation"
        )
    ]


def _detach(profiles: Any) -> int:
    """The profile stays with its organisation (meetings refer to it); the person leaves it."""
    return int(profiles.update(contact=None))


def expired_profiles(cutoff: datetime) -> Any:
    return Participant.objects.filter(contact__isnull=False, updated_at__lt=cutoff)


def erase_profiles(user: User) -> ErasureResult:
    return ErasureResult(erased=_detach(Participant.objects.filter(contact=user)))


def register() -> None:
    register_source("matchmaking.profiles", _("Matchmaking profiles"), profile_rows)
    register_retention(
        "matchmaking_profiles",
        _("Matchmaking profiles"),
        find_expired=expired_profiles,
        erase=_detach,
        action="anonymise",
    )
    register_erasure("matchmaking.profiles", erase_profiles)

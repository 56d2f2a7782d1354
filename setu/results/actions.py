"""The "Create a lead" buttons results puts on other apps' records (``{% record_actions %}``):
a held B2B meeting with an interested follow-up, a confirmed registration of an organisation,
a mission's meeting with an Indian organisation. Each answers from the cached principal and
the record's own fields: no query per row."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from setu.core.principal import principal_for
from setu.core.registries import RecordAction, register_record_action


def _officer(user: Any) -> bool:
    return user is not None and principal_for(user).is_officer


def meeting_action(user: Any, meeting: Any) -> RecordAction | None:
    if not _officer(user) or meeting.outcome != "held":
        return None
    return RecordAction(_("Create a lead"), reverse("results:lead_from_meeting", args=[meeting.pk]))


def registration_action(user: Any, registration: Any) -> RecordAction | None:
    if not _officer(user) or registration.organisation_id is None:
        return None
    if registration.status != "confirmed":
        return None
    return RecordAction(
        _("Create a lead"), reverse("results:lead_from_registration", args=[registration.pk])
    )


def itinerary_action(user: Any, item: Any) -> RecordAction | None:
    if not _officer(user) or item.organisation_id is None or not item.is_meeting:
        return None
    return RecordAction(_("Create a lead"), reverse("results:lead_from_itinerary", args=[item.pk]))


def register() -> None:
    register_record_action("meeting", "results", meeting_action)
    register_record_action("registration", "results", registration_action)
    register_record_action("itinerary_item", "results", itinerary_action)

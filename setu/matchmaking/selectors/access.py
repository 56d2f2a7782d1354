"""Reads for matchmaking: fetching with a permission check, and who a user is in it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from setu.accounts.models import User
from setu.core.principal import principal_for
from setu.events.selectors import access_event
from setu.matchmaking.models import Matchmaking, Participant


def access_matchmaking(*, user: User | AnonymousUser, event_pk: Any) -> Matchmaking:
    """The matchmaking of an event the user may see; 404 when either is missing or hidden."""
    event = access_event(user=user, pk=event_pk)
    try:
        matchmaking = Matchmaking.objects.get(event=event)
    except Matchmaking.DoesNotExist:
        raise Http404 from None
    matchmaking.event = event  # keep the annotations access_event added
    return matchmaking


def participant_for(*, user: User | AnonymousUser, matchmaking: Matchmaking) -> Participant | None:
    """The participant the user speaks for in this matchmaking (their organisation's), if any."""
    org_ids = principal_for(user).org_ids
    if not org_ids:
        return None
    return (
        Participant.objects.filter(matchmaking=matchmaking, organisation_id__in=org_ids)
        .select_related("organisation")
        .order_by("id")
        .first()
    )


def people_to_tell(participant: Participant) -> list[User]:
    """Whom emails about a participant go to: its contact person if active, else every active
    member of its organisation."""
    contact = participant.contact
    if contact is not None and contact.is_active:
        return [contact]
    return list(
        User.objects.filter(
            memberships__organisation_id=participant.organisation_id, is_active=True
        )
        .distinct()
        .order_by("id")
    )

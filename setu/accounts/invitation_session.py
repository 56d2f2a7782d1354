"""The invitation a visitor opened, kept in their session until they have an account."""

from __future__ import annotations

from typing import Any

from setu.accounts.models import Invitation

SESSION_KEY = "setu.invitation"


def remember(session: Any, invitation: Invitation) -> None:
    session[SESSION_KEY] = invitation.token


def forget(session: Any) -> None:
    session.pop(SESSION_KEY, None)


def pending_invitation(session: Any) -> Invitation | None:
    """The session's invitation if it can still be accepted (not expired, used or revoked)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    return Invitation.objects.pending().select_related("organisation").filter(token=token).first()

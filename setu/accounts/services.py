from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.accounts.models import Invitation, Membership, User
from setu.accounts.selectors import ROLE_FOR_KIND, invitable_organisations
from setu.accounts.tasks import send_email
from setu.core import audit
from setu.core.principal import forget_principal
from setu.directory.models import Organisation


@transaction.atomic
def invitation_send(
    *, actor: User, email: str, organisation: Organisation, base_url: str
) -> Invitation:
    """Invite ``email`` into ``organisation`` with the role its kind implies, and mail the link."""
    if not invitable_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(user__email__iexact=email, organisation=organisation).exists():
        raise ValidationError(
            {"email": _("This person is already a member of %(org)s.") % {"org": organisation}}
        )
    if Invitation.objects.pending().filter(email__iexact=email, organisation=organisation).exists():
        raise ValidationError(
            {"email": _("An invitation to this address is already waiting for an answer.")}
        )
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=ROLE_FOR_KIND[organisation.kind],  # type: ignore[index]
        invited_by=actor,
        language=translation.get_language() or "en",
    )
    audit.record(
        invitation,
        "accounts.invitation.sent",
        actor=actor,
        owner=organisation,
        changes={"email": [None, email], "role": [None, invitation.role]},
    )
    link = base_url + reverse("invitation_accept", args=[invitation.token])
    context = {"invitation": invitation, "link": link, "consortium": settings.SETU_CONSORTIUM_NAME}
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=_("You are invited to join %(org)s on Setu") % {"org": organisation},
            body=render_to_string("accounts/email/invitation.txt", context),
            to=[email],
        )
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Turn a pending invitation into a membership for ``user``, whose email must match."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise ValidationError(_("This invitation is no longer valid."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        membership,
        "accounts.membership.created",
        actor=user,
        owner=invitation.organisation,
        changes={"role": [None, membership.role], "via": [None, "invitation"]},
    )
    forget_principal(user)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if invitation.status != "pending":
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        invitation, "accounts.invitation.revoked", actor=actor, owner=invitation.organisation
    )


@transaction.atomic
def user_update_preferences(*, user: User, full_name: str, language: str, time_zone: str) -> None:
    before = {"full_name": user.full_name, "language": user.language, "time_zone": user.time_zone}
    user.full_name, user.language, user.time_zone = full_name, language, time_zone
    user.save(update_fields=["full_name", "language", "time_zone"])
    changes = audit.field_changes(
        before, {"full_name": full_name, "language": language, "time_zone": time_zone}
    )
    if changes:
        audit.record(user, "accounts.user.preferences_changed", actor=user, changes=changes)

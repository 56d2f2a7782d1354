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
    *, actor: User, email: str, organisation: Organisation, base_url: str, language: str = ""
) -> Invitation:
    """Invite ``email`` into ``organisation`` with the role its kind implies, and mail the link.

    ``language`` (default: the inviter's) is the email's, the sign-up pages' and the account's.
    """
    language = language if language in dict(settings.LANGUAGES) else ""
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
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
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
    with translation.override(invitation.language):
        subject = _("You are invited to join %(org)s on Setu") % {"org": organisation}
        body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[email]))
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
        invitation, "accounts.invitation.accepted", actor=user, owner=invitation.organisation
    )
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
def user_update_preferences(
    *, user: User, full_name: str, language: str, time_zone: str, native_name: str = ""
) -> None:
    fields = ["full_name", "native_name", "language", "time_zone"]
    before = {name: getattr(user, name) for name in fields}
    after = {
        "full_name": full_name,
        "native_name": native_name,
        "language": language,
        "time_zone": time_zone,
    }
    for name, value in after.items():
        setattr(user, name, value)
    user.save(update_fields=fields)
    changes = audit.field_changes(before, after)
    if changes:
        audit.record(user, "accounts.user.preferences_changed", actor=user, changes=changes)

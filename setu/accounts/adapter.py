from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils import translation

from setu.accounts import invitation_session
from setu.accounts.models import User
from setu.accounts.tasks import send_email


@dataclass(frozen=True)
class EmailSite:
    """What allauth's emails call the site: "Hello from Setu!", and the domain below it."""

    name: str
    domain: str


def email_site() -> EmailSite:
    return EmailSite(name=settings.SETU_SITE_NAME, domain=urlsplit(settings.SETU_BASE_URL).netloc)


def _supported(language: str | None) -> str:
    codes = dict(settings.LANGUAGES)
    return language if language in codes else settings.LANGUAGE_CODE


# The pages of a first second-factor set-up: the authenticator app, then the recovery codes.
FIRST_SET_UP_VIEWS = frozenset({"mfa_activate_totp", "mfa_view_recovery_codes"})


def _signed_in_at(request: HttpRequest) -> float | None:
    """When this session signed in: a password sign-in leaves a record in the session;
    signing up leaves none, but sets last_login."""
    user = request.user
    if not user.is_authenticated:
        return None
    records = get_authentication_records(request, user)
    if records:
        return float(records[-1]["at"])
    if user.last_login is not None:
        return float(user.last_login.timestamp())
    return None


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Open sign-up when the deployment allows it; always for a pending invitation."""
        return bool(
            settings.SETU_SIGNUP_OPEN or invitation_session.pending_invitation(request.session)
        )

    def save_user(
        self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True
    ) -> Any:
        """Keep the name asked on the form; speak the invitation's (or the page's) language."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name", "").strip()
        user.native_name = data.get("native_name", "").strip()
        invitation = invitation_session.pending_invitation(request.session)
        user.language = _supported(
            invitation.language if invitation else translation.get_language()
        )
        if commit:
            user.save()
        return user

    def login(self, request: HttpRequest, user: Any) -> None:
        """Speak the user's language from the moment they are signed in.

        The language middleware ran while the visitor was anonymous; without this, "Successfully
        signed in as …" was written in the browser's language, not the user's.
        """
        super().login(request, user)
        if isinstance(user, User):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Setting up a first second factor just after signing in needs no password again.

        allauth asks for the password before enrolment and before showing the recovery codes,
        even right after the sign-in; staff, who must enrol before reaching any page, typed it
        twice in a row (three times after signing up). Within allauth's reauthentication window
        of the sign-in, and while every authenticator of the user was made after it, the two
        pages of the first set-up open directly. Any other change asks as allauth does.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = allauth_context.request
        if not required or app != "allauth.mfa" or request is None:
            return required
        match = request.resolver_match
        if match is None or match.url_name not in FIRST_SET_UP_VIEWS:
            return required
        signed_in_at = _signed_in_at(request)
        if signed_in_at is None:
            return required
        if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
            return required
        return Authenticator.objects.filter(
            user_id=request.user.pk, created_at__lt=datetime.fromtimestamp(signed_in_at, tz=UTC)
        ).exists()

    def format_email_subject(self, subject: str) -> str:
        return f"[{email_site().name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render now (in the reader's language), send from the worker."""
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": allauth_context.request,
                "email": email,
                **context,
                "current_site": email_site(),
            },
        )
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        send_email.enqueue(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            from_email=message.from_email,
            html=html,
        )

"""Per-request preferences and the staff second-factor gate."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.core.principal import (
    ACTING_ORGANISATION_SESSION_KEY,
    prefer_organisation,
    principal_for,
)
from setu.core.timefmt import READER_ZONE_COOKIE, canonical_zone, zone


class UserPreferencesMiddleware:
    """A signed-in user's language and time zone win over the browser's (its zone cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            prefer_organisation(user, request.session.get(ACTING_ORGANISATION_SESSION_KEY))
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            timezone.activate(zone(user.time_zone))
        elif browser_zone := canonical_zone(request.COOKIES.get(READER_ZONE_COOKIE)):
            timezone.activate(zone(browser_zone))  # set by static/js/events/localtime.js
        else:
            timezone.deactivate()
        return self.get_response(request)


# Paths a staff user without a second factor may still reach: enrolling, signing out,
# choosing a language, and the assets a browser fetches by itself (a redirect of its
# /favicon.ico to the enrolment page used to replace the secret being scanned).
SECOND_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/password/",
    "/accounts/email/",
    "/accounts/confirm-email/",
    "/language/",
    "/static/",
    "/favicon.ico",
    "/robots.txt",
    "/apple-touch-icon",
)


class StaffSecondFactorMiddleware:
    """Secretariat and prefecture officers reach no page until they enrol a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and principal_for(user).is_staff_role
            and not request.path.startswith(SECOND_FACTOR_EXEMPT_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role handles other members' data, so it needs two-factor "
                    "authentication. Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

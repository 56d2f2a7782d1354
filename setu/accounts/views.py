from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts import invitation_session, selectors, services
from setu.accounts.forms import InvitationForm, PreferencesForm
from setu.accounts.models import Invitation, User
from setu.core.access import get_visible_or_404, signed_in_user
from setu.core.params import int_param
from setu.core.principal import ACTING_ORGANISATION_SESSION_KEY, principal_for


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PreferencesForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(
        request,
        "accounts/preferences.html",
        {"form": form, "is_secretariat": principal_for(request.user).is_secretariat},
    )


@require_POST
@login_required
def acting_organisation(request: HttpRequest) -> HttpResponse:
    """The header's switcher: the organisation a person with several memberships acts for.

    The choice lives in the session (``UserPreferencesMiddleware`` hands it to the principal);
    an organisation the person is not a member of is refused and changes nothing.
    """
    user = signed_in_user(request)
    choices = dict(selectors.acting_choices(user=user))
    chosen = int_param(request.POST.get("organisation"))
    if chosen is None or chosen not in choices:
        messages.error(
            request, _("You are not a member of that organisation; nothing was changed.")
        )
    else:
        request.session[ACTING_ORGANISATION_SESSION_KEY] = chosen
        messages.success(
            request, _("You now act for %(organisation)s.") % {"organisation": choices[chosen]}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard")
    return redirect(target)


@login_required
@permission_required("accounts.invite", raise_exception=True)
def invitation_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = InvitationForm(
        request.POST or None, organisations=selectors.invitable_organisations(user=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(
                actor=user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitations")
    invitations = selectors.invitation_list(user=user)[:200]
    return render(
        request, "accounts/invitation_list.html", {"form": form, "invitations": invitations}
    )


@require_POST
@login_required
@permission_required("accounts.invite", raise_exception=True)
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    invitation = get_visible_or_404(selectors.invitation_list(user=user), pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect("invitations")


def _speak(response: HttpResponse, language: str) -> HttpResponse:
    """Keep ``language`` for the pages that follow (the visitor is not signed in yet)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email.

    A visitor without an account goes straight to the sign-up form, in the invitation's
    language, with the invited address fixed; the link proves the address, so no confirmation
    email follows and the account joins the organisation as it is made. A visitor who has an
    account signs in first; a signed-in person accepts with one button.
    """
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    accept_url = reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "accept_url": accept_url}
    if not request.user.is_authenticated:
        if invitation.status != "pending":
            return render(request, "accounts/invitation_accept.html", context)
        invitation_session.remember(request.session, invitation)
        translation.activate(invitation.language)
        if User.objects.filter(email__iexact=invitation.email).exists():
            messages.info(
                request,
                _("Sign in as %(email)s to join %(org)s.")
                % {"email": invitation.email, "org": invitation.organisation},
            )
            target = f"{reverse('account_login')}?{urlencode({'next': accept_url})}"
        else:
            get_adapter(request).stash_verified_email(request, invitation.email)
            messages.info(
                request,
                _(
                    "You are invited to join %(org)s as %(role)s. Choose a password to create "
                    "your account."
                )
                % {"org": invitation.organisation, "role": invitation.get_role_display()},
            )
            target = reverse("account_signup")
        return _speak(redirect(target), invitation.language)
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            invitation_session.forget(request.session)
            messages.success(
                request,
                _("Welcome to %(org)s.") % {"org": invitation.organisation},
            )
            return redirect("dashboard")
    context["wrong_address"] = invitation.email.lower() != user.email.lower()
    return render(request, "accounts/invitation_accept.html", context)

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts import selectors, services
from setu.accounts.adapter import INVITATION_SESSION_KEY
from setu.accounts.forms import InvitationForm, PreferencesForm
from setu.accounts.models import Invitation, User
from setu.core.access import get_visible_or_404


def _signed_in_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = PreferencesForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@login_required
@permission_required("accounts.invite", raise_exception=True)
def invitation_list(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
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
    user = _signed_in_user(request)
    invitation = get_visible_or_404(selectors.invitation_list(user=user), pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect("invitations")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=_signed_in_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(
                request,
                _("Welcome to %(org)s.") % {"org": invitation.organisation},
            )
            return redirect("dashboard")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "accept_url": reverse("invitation_accept", args=[token])},
    )

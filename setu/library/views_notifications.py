"""Notification preferences and the one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from setu.accounts.models import User
from setu.core.access import signed_in_user
from setu.library import services
from setu.library.forms import PreferenceForm
from setu.library.notifications import preference_for, read_unsubscribe_token


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    preference = preference_for(user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preference_save(preference=preference, data=form.cleaned_data)
        messages.success(request, _("Your email choices were saved."))
        return redirect("library:notifications")
    return render(request, "library/notifications.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click"; the token is the proof
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (link scanners must not unsubscribe anyone); POST unsubscribes."""
    data = read_unsubscribe_token(token)
    user = User.objects.filter(pk=data[0], is_active=True).first() if data else None
    if data is None or user is None:
        return render(request, "library/unsubscribe.html", {"invalid": True}, status=404)
    what = data[1]
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, what=what)
        done = True
    return render(
        request,
        "library/unsubscribe.html",
        {"what": what, "done": done, "email": user.email, "token": token},
    )

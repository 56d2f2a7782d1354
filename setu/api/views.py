"""The account pages for personal access tokens: make one (its text shown once), list them,
revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.api import selectors, services
from setu.api.forms import TokenForm
from setu.api.scopes import SCOPES
from setu.core.access import signed_in_user

# The new token's text waits here for the one page that shows it (after the redirect, so that
# reloading neither makes another token nor shows the text again).
NEW_TOKEN_KEY = "setu_api_new_token"  # noqa: S105  # a session key, not a secret


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(
                user=user,
                name=form.cleaned_data["name"],
                scopes=list(form.cleaned_data["scopes"]),
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session[NEW_TOKEN_KEY] = {"pk": created.token.pk, "text": created.text}
            return redirect("api_tokens:list")
    new = request.session.pop(NEW_TOKEN_KEY, None)
    response = render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "tokens": selectors.token_list(user=user),
            "new_token": new,
            "scope_names": {key: str(label) for key, label in SCOPES.items()},
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = selectors.access_token(user=user, pk=pk)
    services.token_revoke(token=token, actor=user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")

"""Helpers shared by the coordination views."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from setu.core.access import signed_in_user

View = Callable[..., HttpResponse]


signed_in = signed_in_user  # the one helper (setu.core.access); views here call it signed_in


def needs(perm: str) -> Callable[[View], View]:
    """Refuse (403) a signed-in user without ``perm``; use under ``login_required``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def check(request: HttpRequest, perm: str, obj: Any) -> None:
    """403 unless the user has ``perm`` on ``obj``."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def attach_errors(
    form: forms.BaseForm, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on the form, on the named field when the form has
    it (``aliases`` maps service names to form names), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = (aliases or {}).get(name, name)
        for item in errors:
            form.add_error(target if target in form.fields else None, item)


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form's errors as one message, for forms posted from another page."""
    messages.error(
        request, " ".join(str(message) for errors in form.errors.values() for message in errors)
    )


def pick(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    """``value`` when it is one of ``allowed``, else ``default`` (for query parameters)."""
    return value if value in allowed else default


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to ``next`` when it is a local address, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)

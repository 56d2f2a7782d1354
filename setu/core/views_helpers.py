"""One shape for create and edit pages: permission checked, form, one service call, response."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class Record(Protocol):
    def get_absolute_url(self) -> str: ...


M = TypeVar("M", bound=Record)


def form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], M],
    template: str,
    success: str | Callable[[M], str],
    context: Mapping[str, Any] | None = None,
    extra_forms: tuple[forms.BaseForm, ...] = (),
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(form.cleaned_data)`` (a service, which owns
    the whole write) and go to the saved record with the ``success`` message.

    A ValidationError from the service lands on the form, which is shown again.
    ``extra_forms`` are validated too and shown under their own names in ``context``.
    """
    if request.method == "POST" and all([form.is_valid(), *(f.is_valid() for f in extra_forms)]):
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success if isinstance(success, str) else success(saved))
            return redirect(saved)
    return render(request, template, {"form": form, **(context or {})})

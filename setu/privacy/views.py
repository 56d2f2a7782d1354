"""The privacy pages: a person's own data and rights, and the data protection officer's cases.

A person sees and acts on their own data only (someone else's export or case is a 404); the
secretariat's data protection officer works the grievances and the breach register.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user
from setu.core.principal import principal_for
from setu.privacy import consent, services
from setu.privacy.forms import AnswerForm, BreachForm, ErasureForm, GrievanceForm
from setu.privacy.labels import labelled
from setu.privacy.models import (
    Breach,
    CaseStatus,
    DataExport,
    ExportStatus,
    Grievance,
    Provision,
    Purpose,
)

View = Callable[..., HttpResponse]


def dpo_only(view: View) -> View:
    """The secretariat's data protection officer (the secretariat role); 403 for others."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not principal_for(request.user).is_secretariat:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    in_force = {line.purpose: line for line in consent.consents_of(user) if not line.recipient_id}
    purposes = [
        (value, label, in_force.get(value))
        for value, label in Purpose.choices
        if value != Purpose.ABROAD
    ]
    abroad = [line for line in consent.consents_of(user) if line.recipient_id]
    return render(
        request,
        "privacy/portal.html",
        {
            "holdings": [(label, labelled(rows)) for label, rows in services.holdings(user)],
            "purposes": purposes,
            "abroad": abroad,
            "provisions": Provision.objects.filter(user=user).select_related("recipient"),
            "exports": DataExport.objects.filter(user=user).defer("json_data", "csv_data")[:5],
            "grievances": Grievance.objects.filter(user=user),
        },
    )


def notice(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in Purpose.values:
        raise Http404
    current = consent.current_notice(purpose)
    return render(
        request,
        "privacy/notice.html",
        {"notice": current, "purpose_label": Purpose(purpose).label},
    )


@login_required
@require_POST
def consent_change(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    purpose = request.POST.get("purpose", "")
    action = request.POST.get("action", "")
    try:
        if action == "give" and purpose != Purpose.ABROAD:
            consent.consent_give(subject=user, purpose=purpose, actor=user, method="portal")
            messages.success(request, _("Consent given. You can withdraw it here at any time."))
        elif action == "withdraw":
            recipient = None
            if purpose == Purpose.ABROAD:
                line = next(
                    (
                        line
                        for line in consent.consents_of(user)
                        if str(line.recipient_id) == request.POST.get("recipient")
                    ),
                    None,
                )
                if line is None:
                    raise ValidationError(_("Choose one of your consents."))
                recipient = line.recipient
            consent.consent_withdraw(subject=user, purpose=purpose, actor=user, recipient=recipient)
            messages.success(request, _("Consent withdrawn. It stops now."))
        else:
            raise ValidationError(_("Choose one of your consents."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("privacy:portal")


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    services.export_request(user=signed_in_user(request))
    messages.success(
        request, _("Your copy is being prepared. We will email you a link when it is ready.")
    )
    return redirect("privacy:portal")


@login_required
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    export = get_object_or_404(
        DataExport, token=token, user=signed_in_user(request), status=ExportStatus.READY
    )
    if timezone.now() > export.expires_at:
        raise Http404
    if request.GET.get("format") == "csv":
        response = HttpResponse(bytes(export.csv_data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="setu-my-data.csv"'
    else:
        response = HttpResponse(bytes(export.json_data), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="setu-my-data.json"'
    return response


@login_required
def erasure(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = services.erasure_request(user=user, reason=form.cleaned_data["reason"])
        return render(request, "privacy/erasure_done.html", {"request_": done})
    return render(request, "privacy/erasure.html", {"form": form})


@login_required
def grievance_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = GrievanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grievance = services.grievance_file(
            user=user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(
            request,
            _("Received. The data protection officer answers by %(date)s.")
            % {"date": timezone.localtime(grievance.due_at).date().isoformat()},
        )
        return redirect("privacy:portal")
    return render(request, "privacy/grievance_form.html", {"form": form})


@login_required
@dpo_only
def dpo(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/dpo.html",
        {
            "grievances": Grievance.objects.select_related("user")[:200],
            "breaches": Breach.objects.all()[:100],
            "now": timezone.now(),
        },
    )


@login_required
@dpo_only
def dpo_grievance(request: HttpRequest, pk: int) -> HttpResponse:
    grievance = get_object_or_404(Grievance.objects.select_related("user"), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and grievance.status == CaseStatus.OPEN and form.is_valid():
        services.grievance_answer(
            grievance=grievance,
            response=form.cleaned_data["response"],
            actor=signed_in_user(request),
        )
        messages.success(request, _("Answer sent."))
        return redirect("privacy:dpo")
    return render(request, "privacy/dpo_grievance.html", {"grievance": grievance, "form": form})


@login_required
@dpo_only
def breach_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    breach = get_object_or_404(Breach, pk=pk) if pk is not None else Breach()
    form = BreachForm(request.POST or None, instance=breach)
    if request.method == "POST" and form.is_valid():
        saved = services.breach_save(
            breach=breach, data=form.cleaned_data, actor=signed_in_user(request)
        )
        messages.success(request, _("Breach register saved."))
        return redirect("privacy:breach", pk=saved.pk)
    templates = []
    if breach.pk:
        for code in ("ja", "en", "hi"):
            with translation.override(code):
                templates.append((code, _notification(breach)))
    return render(
        request,
        "privacy/breach_form.html",
        {"breach": breach, "form": form, "templates": templates, "now": timezone.now()},
    )


def _notification(breach: Breach) -> str:
    """The notice to the people affected, in the active language."""
    return _(
        "We are writing to tell you about an incident involving your personal data.\n\n"
        "What happened: %(title)s\n"
        "When we found out: %(detected)s\n"
        "Which of your data: %(categories)s\n"
        "What we have done: %(measures)s\n\n"
        "What you can do: be careful with unexpected messages that mention Setu, and change "
        "your password if you reuse it elsewhere. Questions: reply to this message or file a "
        "grievance on your privacy page."
    ) % {
        "title": breach.title,
        "detected": timezone.localtime(breach.detected_at).strftime("%Y-%m-%d %H:%M %Z"),
        "categories": breach.categories,
        "measures": breach.measures or "—",
    }

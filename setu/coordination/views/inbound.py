"""Inbound visits: the host's page (inviting side, visitors, visa documents), the visitor's
details (audited), documents and their ZIP, the bilingual programme, and the visitor's own form
through a signed link (docs/inbound.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination import selectors, visa
from setu.coordination.forms.inbound import InboundForm, VisitorDetailsForm, VisitorForm
from setu.coordination.models import Mission, VisaDocument, Visitor
from setu.coordination.services import visitors as services
from setu.coordination.views.common import attach_errors, flash_errors, flash_form_errors, signed_in
from setu.core.principal import principal_for
from setu.directory.models import Organisation, OrganisationKind


def _hosted(request: HttpRequest, pk: int) -> Mission:
    """A mission the user's prefecture hosts (leads): 404 when unreadable, 403 when only read."""
    mission = selectors.access_mission(user=request.user, pk=pk)
    if mission.owner_id not in principal_for(request.user).officer_org_ids:
        raise PermissionDenied
    return mission


def _my_visitors(request: HttpRequest) -> QuerySet[Visitor]:
    """Visitors of visits the user's prefecture hosts; everyone else finds none (404)."""
    officer_of = principal_for(request.user).officer_org_ids
    return Visitor.objects.filter(mission__owner_id__in=officer_of).select_related(
        "mission", "mission__owner", "organisation"
    )


def visiting_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return (
        Organisation.objects.visible_to(request.user)
        .filter(country="IN")
        .exclude(kind=OrganisationKind.INDIAN_STATE)
        .order_by("name_en")
    )


@login_required
def inbound_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's page of a visit to Japan: what the letters say, visitors and documents."""
    mission = _hosted(request, pk)
    rows = [
        {
            "visitor": visitor,
            "link": request.build_absolute_uri(services.visitor_link(visitor)),
            "current": visa.documents_current(visitor) if visitor.submitted_at else False,
            "latest": visa.latest_documents(visitor),
        }
        for visitor in mission.visitors.select_related("organisation")
    ]
    return render(
        request,
        "coordination/inbound_visit.html",
        {
            "mission": mission,
            "inbound": services.inbound_for(mission),
            "rows": rows,
            "due": services.details_due_on(Visitor(mission=mission)),
            "visitor_form": VisitorForm(organisations=visiting_organisations(request)),
        },
    )


@login_required
def inbound_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = _hosted(request, pk)
    inbound = services.inbound_for(mission)
    form = InboundForm(
        request.POST or None, instance=inbound, initial={"visit_kind": mission.visit_kind}
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.INBOUND_FIELDS}
        try:
            services.inbound_update(mission=mission, actor=user, **values)
            if form.cleaned_data["visit_kind"] != mission.visit_kind:
                from setu.coordination.services.missions import mission_update

                mission_update(
                    mission=mission, actor=user, visit_kind=form.cleaned_data["visit_kind"]
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The visit to Japan was saved."))
            return redirect("coordination:inbound_visit", pk=mission.pk)
    return render(request, "coordination/inbound_form.html", {"form": form, "mission": mission})


@login_required
@require_POST
def visitor_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mission = _hosted(request, pk)
    form = VisitorForm(request.POST, organisations=visiting_organisations(request))
    if form.is_valid():
        try:
            services.visitor_add(mission=mission, actor=user, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The visitor was added. Send them the link to their form."))
    else:
        flash_form_errors(request, form)
    return redirect("coordination:inbound_visit", pk=mission.pk)


@login_required
def visitor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The visitor's passport details: host officers only; the read is recorded."""
    user = signed_in(request)
    visitor = get_object_or_404(_my_visitors(request), pk=pk)
    details = services.visitor_details_read(visitor=visitor, actor=user)
    return render(
        request,
        "coordination/visitor_detail.html",
        {
            "visitor": visitor,
            "mission": visitor.mission,
            "details": details,
            "problems": visa.visa_problems(visitor, details),
            "documents": VisaDocument.objects.filter(visitor=visitor).order_by("-version", "kind"),
        },
    )


@login_required
@require_POST
def visitor_documents(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    visitor = get_object_or_404(_my_visitors(request), pk=pk)
    try:
        documents = visa.visa_generate(visitor=visitor, actor=user)
    except visa.VisaIncomplete as error:
        messages.error(
            request,
            _("No documents were made for %(name)s: %(problems)s.")
            % {"name": visitor.name, "problems": "; ".join(error.problems)},
        )
    else:
        messages.success(
            request,
            _("The documents of %(name)s are at version %(version)s.")
            % {"name": visitor.name, "version": documents[0].version},
        )
    return redirect("coordination:inbound_visit", pk=visitor.mission_id)


@login_required
def visitor_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    visitor = get_object_or_404(_my_visitors(request), pk=pk)
    content = visa.visa_bundle(visitor)
    if not visa.latest_documents(visitor):
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="visa-documents-{visitor.pk}.zip"'
    return response


@login_required
def visa_document(request: HttpRequest, pk: int) -> HttpResponse:
    officer_of = principal_for(request.user).officer_org_ids
    document = get_object_or_404(
        VisaDocument.objects.filter(visitor__mission__owner_id__in=officer_of), pk=pk
    )
    content = visa.document_pdf(document)
    if not content:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    return response


def visitor_form(request: HttpRequest, token: str) -> HttpResponse:
    """The visitor's own form through the signed link: in the visitor's language (English or
    Hindi) until they choose another, with the form's own link or the header's switcher."""
    visitor = services.visitor_from_link(token)
    if visitor is None:
        raise Http404
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = request.GET.get("lang") or request.POST.get("lang") or chosen or visitor.language
    language = language if language in ("en", "hi", "ja") else "en"
    with translation.override(language):
        closed = services.link_closed(visitor)
        # the details sent are never shown back: the link alone must not reveal a passport
        form = VisitorDetailsForm(request.POST or None)
        saved = False
        if request.method == "POST" and closed:
            form.is_valid()
            form.add_error(None, services.DEADLINE_PASSED())
        elif request.method == "POST" and form.is_valid():
            try:
                services.visitor_details_submit(visitor=visitor, values=form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                saved = True
        response = render(
            request,
            "coordination/visitor_form.html",
            {
                "visitor": visitor,
                "mission": visitor.mission,
                "form": form,
                "closed": closed,
                "saved": saved,
                "due": services.details_due_on(visitor),
                "language": language,
                "here": reverse("coordination:visitor_form", args=[token]),
            },
        )
        response.headers["Content-Language"] = language
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

"""Documents, versions, downloads, collections and market briefs. Thin: access, check, call."""

from __future__ import annotations

from itertools import groupby
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user
from setu.core.params import int_param
from setu.core.views_helpers import form_view
from setu.library import selectors, services
from setu.library.files import content_disposition
from setu.library.filters import BriefFilterForm, DocumentFilterForm
from setu.library.forms import (
    BriefForm,
    CollectionForm,
    DocumentForm,
    FileIntoCollectionForm,
    VersionForm,
)
from setu.library.models import Document, DocumentVersion, ExtractionStatus, MarketBrief

PAGE_SIZE = 25


def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    documents = form.apply(selectors.document_list(user=request.user))
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/document_list.html",
        {"page": page, "form": form, "can_add": request.user.has_perm("library.add_document")},
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(user=request.user, pk=pk)
    can_edit = request.user.has_perm("library.change_document", document)
    collections = selectors.collections_to_file_into(user=request.user) if can_edit else None
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "brief": getattr(document, "brief", None),
            "versions": selectors.versions_of(document=document),
            "sectors": document.sectors.all(),
            "focal_sectors": document.focal_sectors.all(),
            "tags": document.tags.all(),
            "organisations": document.organisations.visible_to(request.user),
            **selectors.linked_records(user=request.user, document=document),
            "in_collections": selectors.collection_list(user=request.user).filter(
                items__document=document
            ),
            "can_edit": can_edit,
            "version_form": VersionForm() if can_edit else None,
            "file_form": (
                FileIntoCollectionForm(collections=collections)
                if collections is not None and collections.exists()
                else None
            ),
        },
    )


def _records_from_query(request: HttpRequest) -> dict[str, list[int]]:
    """``?event=12`` (or ``mission``, ``meeting``): the "Share a document" link of that page
    pre-selects it. The form offers only what the user may read, so nothing leaks."""
    initial = {}
    for key in ("event", "mission", "meeting"):
        value = int_param(request.GET.get(key))
        if value is not None:
            initial[f"{key}s"] = [value]
    return initial


@login_required
@permission_required("library.add_document", raise_exception=True)
def document_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    owners = selectors.owner_choices(user=user)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        owners=owners,
        require_file=True,
        initial=_records_from_query(request),
    )
    return form_view(
        request,
        form,
        save=lambda data: services.document_create(
            actor=user,
            owner=data["owner"],
            data=data,
            upload=form.checked,
            note=data.get("note", ""),
            links=form.record_links(),
            tags=form.tag_names(),
        ),
        template="library/document_form.html",
        success=_("The document was added. Its text is being read for search."),
        context={"creating": True},
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    document = selectors.access_document(user=user, pk=pk)
    if not user.has_perm("library.change_document", document):
        raise PermissionDenied
    brief = getattr(document, "brief", None)
    form = DocumentForm(request.POST or None, instance=document, user=user, brief=brief is not None)
    brief_form = BriefForm(request.POST or None, instance=brief) if brief else None

    def save(data: dict[str, Any]) -> Document:
        if brief_form is not None:
            return services.brief_update(
                actor=user,
                document=document,
                data=data,
                brief_data=brief_form.cleaned_data,
                links=form.record_links(),
                tags=form.tag_names(),
            )
        return services.document_update(
            document=document,
            actor=user,
            data=data,
            links=form.record_links(),
            tags=form.tag_names(),
        )

    return form_view(
        request,
        form,
        save=save,
        template="library/document_form.html",
        success=_("The document was saved."),
        context={"brief_form": brief_form, "document": document, "creating": False},
        extra_forms=(brief_form,) if brief_form is not None else (),
    )


@login_required
def version_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version. Who may not edit gets 404 or 403 before the file is even read."""
    user = signed_in_user(request)
    document = selectors.access_document(user=user, pk=pk)
    if not user.has_perm("library.change_document", document):
        raise PermissionDenied
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        assert form.checked is not None
        version = services.version_upload(
            document=document, actor=user, upload=form.checked, note=form.cleaned_data["note"]
        )
        messages.success(
            request, _("Version %(number)s was uploaded.") % {"number": version.number}
        )
        return redirect(document)
    return render(request, "library/version_form.html", {"form": form, "document": document})


def _file_response(version: DocumentVersion) -> HttpResponseBase:
    """Always an attachment, with the checked type and a safe name; never rendered inline.

    Behind nginx (``SETU_X_ACCEL_REDIRECT_PREFIX`` set) the app only says yes: an empty answer
    whose X-Accel-Redirect names the file under nginx's internal location, and nginx sends it
    with these headers (deploy/local/nginx.conf.in). Otherwise the app streams the file itself.
    """
    prefix = settings.SETU_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        if not version.file.name or not version.file.storage.exists(version.file.name):
            raise Http404
        response: HttpResponseBase = HttpResponse(content_type=version.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(version.file.name)
    else:
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=version.content_type)
    response["Content-Disposition"] = content_disposition(version.original_name, version.extension)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The current version of a document."""
    document = selectors.access_document(user=request.user, pk=pk)
    if document.current_version is None:
        raise Http404
    return _file_response(document.current_version)


def version_download(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    document = selectors.access_document(user=request.user, pk=pk)
    return _file_response(selectors.access_version(document=document, number=number))


@login_required
@require_POST
def extraction_retry(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = signed_in_user(request)
    document = selectors.access_document(user=user, pk=pk)
    version = selectors.access_version(document=document, number=number)
    if not user.has_perm("library.change_document", document):
        raise PermissionDenied
    if version.extraction_status == ExtractionStatus.PENDING:
        messages.info(request, _("The text of this version is already being read."))
    else:
        services.extraction_retry(version=version, actor=user)
        messages.success(request, _("The text of this version will be read again."))
    return redirect(document)


# --- collections ---------------------------------------------------------------------------


def collection_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.collection_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/collection_list.html",
        {"page": page, "can_add": request.user.has_perm("library.add_collection")},
    )


def collection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collection = selectors.access_collection(user=request.user, pk=pk)
    documents = selectors.document_list(user=request.user).filter(collections=collection)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/collection_detail.html",
        {
            "collection": collection,
            "visible_members": collection.members.visible_to(request.user),
            "page": page,
            "can_edit": request.user.has_perm("library.change_collection", collection),
        },
    )


@login_required
@permission_required("library.add_collection", raise_exception=True)
def collection_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    owners = selectors.owner_choices(user=user)
    return form_view(
        request,
        CollectionForm(request.POST or None, user=user),
        save=lambda data: services.collection_create(actor=user, owner=owners.first(), data=data),
        template="library/collection_form.html",
        success=_("The collection was created."),
        context={"creating": True},
    )


@login_required
def collection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    collection = selectors.access_collection(user=user, pk=pk)
    if not user.has_perm("library.change_collection", collection):
        raise PermissionDenied
    return form_view(
        request,
        CollectionForm(request.POST or None, instance=collection, user=user),
        save=lambda data: services.collection_update(actor=user, collection=collection, data=data),
        template="library/collection_form.html",
        success=_("The collection was saved."),
        context={"collection": collection, "creating": False},
    )


@login_required
@require_POST
def file_into_collection(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    document = selectors.access_document(user=user, pk=pk)
    if not user.has_perm("library.change_document", document):
        raise PermissionDenied
    form = FileIntoCollectionForm(
        request.POST, collections=selectors.collections_to_file_into(user=user)
    )
    if form.is_valid():
        collection = form.cleaned_data["collection"]
        services.collection_add(collection=collection, document=document, actor=user)
        messages.success(
            request,
            _("Filed into %(collection)s: its members can read it now.")
            % {"collection": collection},
        )
    else:
        messages.error(request, _("Choose one of your collections."))
    return redirect(document)


# --- market briefs -------------------------------------------------------------------------


def _group_label(brief: MarketBrief, group: str) -> str:
    if group == "state":
        return str(brief.state) if brief.state else _("All of India")
    return str(brief.sector)


def brief_list(request: HttpRequest) -> HttpResponse:
    form = BriefFilterForm(request.GET or None)
    group = form.cleaned_data.get("group") if form.is_valid() else ""
    group = group or "sector"
    briefs = form.apply(selectors.brief_list(user=request.user))
    ordering = ("state__name_en", "-as_of") if group == "state" else ("sector__code", "-as_of")
    page = Paginator(briefs.order_by(*ordering, "-document_id"), 50).get_page(
        request.GET.get("page")
    )
    groups: list[tuple[str, list[Any]]] = [
        (label, list(items))
        for label, items in groupby(page.object_list, key=lambda b: _group_label(b, group))
    ]
    return render(
        request,
        "library/brief_list.html",
        {
            "form": form,
            "page": page,
            "groups": groups,
            "group": group,
            "can_add": request.user.has_perm("library.add_document"),
        },
    )


@login_required
@permission_required("library.add_document", raise_exception=True)
def brief_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    owners = selectors.owner_choices(user=user)
    form = DocumentForm(
        request.POST or None, request.FILES or None, user=user, owners=owners, brief=True
    )
    brief_form = BriefForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.brief_create(
            actor=user,
            owner=data["owner"],
            data=data,
            brief_data=brief_form.cleaned_data,
            upload=form.checked,
            links=form.record_links(),
            tags=form.tag_names(),
        ),
        template="library/document_form.html",
        success=_("The market brief was published."),
        context={"brief_form": brief_form, "creating": True, "is_brief": True},
        extra_forms=(brief_form,),
    )

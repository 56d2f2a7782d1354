"""Agenda items, their document links, decisions, and publishing the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination import selectors
from setu.coordination.forms import (
    AgendaItemForm,
    AttachmentForm,
    DecisionForm,
    PublishForm,
)
from setu.coordination.models import (
    AgendaAttachment,
    AgendaItem,
    Decision,
    Meeting,
)
from setu.coordination.services import meetings as services
from setu.coordination.views.common import (
    attach_errors,
    check,
    flash_errors,
    signed_in,
)
from setu.coordination.views.meetings import NETWORK_KINDS
from setu.directory.models import Organisation

# --- agenda ---------------------------------------------------------------------------------


def _presenters(request: HttpRequest) -> QuerySet[Organisation]:
    return (
        Organisation.objects.visible_to(request.user)
        .filter(kind__in=NETWORK_KINDS)
        .order_by("name_en")
    )


def _agenda_form(request: HttpRequest, meeting: Meeting, item: AgendaItem | None) -> HttpResponse:
    user = signed_in(request)
    check(request, "coordination.change_meeting", meeting)
    form = AgendaItemForm(request.POST or None, instance=item, organisations=_presenters(request))
    if meeting.minutes_locked:
        messages.error(request, _("The minutes are published: the agenda can no longer change."))
        return redirect(meeting)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.agenda_item_save(
                meeting=meeting,
                actor=user,
                item=item,
                **values,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The agenda was saved."))
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    return render(
        request,
        "coordination/agenda_item_form.html",
        {"form": form, "meeting": meeting, "item": item},
    )


@login_required
def agenda_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(user=request.user, pk=pk)
    return _agenda_form(request, meeting, None)


@login_required
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_agenda_item(user=request.user, pk=pk)
    return _agenda_form(request, item.meeting, item)


@require_POST
@login_required
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = selectors.access_agenda_item(user=user, pk=pk)
    check(request, "coordination.change_meeting", item.meeting)
    try:
        services.agenda_item_move(
            item=item, actor=user, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@require_POST
@login_required
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = selectors.access_agenda_item(user=user, pk=pk)
    check(request, "coordination.change_meeting", item.meeting)
    try:
        services.agenda_item_delete(item=item, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The agenda item was removed."))
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@require_POST
@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = selectors.access_agenda_item(user=user, pk=pk)
    check(request, "coordination.edit_minutes", item.meeting)
    form = AttachmentForm(request.POST)
    if form.is_valid():
        try:
            services.attachment_add(item=item, actor=user, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The document link was added."))
    else:
        messages.error(
            request, _("Give the document a title and a link starting with https:// or http://.")
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
@login_required
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    attachment: AgendaAttachment = selectors.access_meeting_part(
        user=user, model=AgendaAttachment, pk=pk
    )
    meeting = attachment.agenda_item.meeting
    check(request, "coordination.change_meeting", meeting)
    try:
        services.attachment_remove(attachment=attachment, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(f"{meeting.get_absolute_url()}#agenda")


# --- decisions and publishing ---------------------------------------------------------------


@require_POST
@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.access_meeting(user=user, pk=pk)
    check(request, "coordination.edit_minutes", meeting)
    form = DecisionForm(request.POST, items=meeting.agenda_items.all())
    if form.is_valid():
        try:
            services.decision_add(meeting=meeting, actor=user, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The decision was recorded."))
    else:
        messages.error(request, _("Write the decision."))
    return redirect(f"{meeting.get_absolute_url()}#decisions")


@require_POST
@login_required
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    decision: Decision = selectors.access_meeting_part(user=user, model=Decision, pk=pk)
    check(request, "coordination.change_meeting", decision.meeting)
    try:
        services.decision_remove(decision=decision, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(f"{decision.meeting.get_absolute_url()}#decisions")


@require_POST
@login_required
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.access_meeting(user=user, pk=pk)
    if meeting.minutes_locked:
        messages.error(request, _("The minutes are already published."))
        return redirect(meeting)
    check(request, "coordination.publish_minutes", meeting)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who may read the minutes."))
        return redirect(meeting)
    try:
        services.minutes_publish(
            meeting=meeting, actor=user, visibility=form.cleaned_data["visibility"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The minutes are published and can no longer change."))
    return redirect(meeting)

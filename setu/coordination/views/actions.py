"""Action items: raised at a meeting, edited, and moved along by their owners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import Role, User
from setu.coordination import selectors
from setu.coordination.forms import ActionItemForm, ActionStatusForm
from setu.coordination.models import ActionItem, Meeting
from setu.coordination.services import actions as services
from setu.coordination.views.common import attach_errors, back, check, flash_errors, signed_in
from setu.core.params import int_param
from setu.directory.models import Organisation


def _choices(
    meeting: Meeting, *, user: User | AnonymousUser
) -> tuple[QuerySet[Organisation], QuerySet[User]]:
    org_ids = selectors.meeting_organisation_ids(meeting)
    # Invitees the user may see: one made private since it was invited is not offered.
    organisations = Organisation.objects.visible_to(user).filter(pk__in=org_ids).order_by("name_en")
    people = (
        User.objects.filter(memberships__organisation__in=org_ids, is_active=True)
        .exclude(memberships__role=Role.STUDENT)
        .distinct()
        .order_by("full_name", "email")
    )
    return organisations, people


def _form(request: HttpRequest, meeting: Meeting, action: ActionItem | None) -> ActionItemForm:
    organisations, people = _choices(meeting, user=request.user)
    initial: dict[str, Any] = {"visibility": meeting.visibility}
    agenda_item = int_param(request.GET.get("item"))
    if agenda_item is not None:
        initial["agenda_item"] = agenda_item
    return ActionItemForm(
        request.POST or None,
        instance=action,
        initial=initial if action is None else None,
        organisations=organisations,
        people=people,
        items=meeting.agenda_items.all(),
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.access_meeting(user=user, pk=pk)
    check(request, "coordination.add_action", meeting)
    if meeting.minutes_locked:
        messages.error(
            request, _("The minutes are published: record new action items at the next meeting.")
        )
        return redirect(meeting)
    form = _form(request, meeting, None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_create(meeting=meeting, actor=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The action item was added."))
            return redirect(f"{meeting.get_absolute_url()}#actions")
    return render(request, "coordination/action_form.html", {"form": form, "meeting": meeting})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    action = selectors.access_action(user=user, pk=pk)
    check(request, "coordination.change_action", action)
    meeting = action.meeting
    form = _form(request, meeting, action)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.action_update(action=action, actor=user, **values)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The action item was saved."))
            return redirect(f"{meeting.get_absolute_url()}#actions")
    return render(
        request,
        "coordination/action_form.html",
        {"form": form, "meeting": meeting, "action": action},
    )


@require_POST
@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    action = selectors.access_action(user=user, pk=pk)
    check(request, "coordination.change_action", action)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(
                action=action, actor=user, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is now: %(status)s.")
                % {
                    "title": action.title,
                    "status": ActionItem(status=form.cleaned_data["status"]).get_status_display(),
                },
            )
    else:
        messages.error(request, _("Choose a status from the list."))
    return back(request, f"{action.meeting.get_absolute_url()}#actions")

"""Writing the minutes of an agenda item: editor, history, differences, restoring."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination import selectors
from setu.coordination.diff import render_diff
from setu.coordination.forms import MinutesForm
from setu.coordination.models import AgendaItem, MinutesRevision
from setu.coordination.services import minutes as services
from setu.coordination.services.minutes import MinutesConflict
from setu.coordination.views.common import attach_errors, check, flash_errors, signed_in
from setu.core.params import int_param


def _readable_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = selectors.access_agenda_item(user=request.user, pk=pk)
    if not selectors.can_read_minutes(user=request.user, meeting=item.meeting):
        raise PermissionDenied
    return item


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor. A save names its base revision; a stale one shows the other's change."""
    user = signed_in(request)
    item = selectors.access_agenda_item(user=user, pk=pk)
    meeting = item.meeting
    if meeting.minutes_locked:
        messages.error(request, _("The minutes are published and can no longer change."))
        return redirect(meeting)
    check(request, "coordination.edit_minutes", meeting)
    form = MinutesForm(
        request.POST or None,
        initial={"text": item.minutes_text, "base_revision": item.minutes_revision},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.minutes_save(
                agenda_item=item,
                actor=user,
                text=form.cleaned_data["text"],
                base_revision=form.cleaned_data["base_revision"],
            )
        except MinutesConflict as error:
            base = MinutesRevision.objects.filter(agenda_item=item, number=error.base).first()
            conflict = {
                "current": error.current,
                "diff": render_diff(base.text if base else "", error.current.text),
            }
            # The next save is based on what the writer has now seen; their text stays.
            data = request.POST.copy()
            data["base_revision"] = str(error.current.number)
            form = MinutesForm(data)
            form.is_valid()
            form.add_error(None, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if revision is None:
                messages.info(request, _("Nothing changed, so no new revision was saved."))
            else:
                messages.success(request, _("Saved as revision %(n)s.") % {"n": revision.number})
            return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "coordination/minutes_edit.html",
        {"item": item, "meeting": meeting, "form": form, "conflict": conflict},
    )


@login_required
def minutes_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable_item(request, pk)
    revisions = list(item.revisions.select_related("author"))
    return render(
        request,
        "coordination/minutes_history.html",
        {
            "item": item,
            "meeting": item.meeting,
            "revisions": revisions,
            "can_restore": request.user.has_perm("coordination.edit_minutes", item.meeting),
        },
    )


def _number(value: str | None, default: int) -> int:
    number = int_param(value, maximum=2**31 - 1)
    return default if number is None else number


@login_required
def minutes_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two revisions (``from`` and ``to``; 0 is the empty start)."""
    item = _readable_item(request, pk)
    to_number = _number(request.GET.get("to"), item.minutes_revision)
    from_number = _number(request.GET.get("from"), max(to_number - 1, 0))
    texts = dict(
        MinutesRevision.objects.filter(
            agenda_item=item, number__in=[from_number, to_number]
        ).values_list("number", "text")
    )
    missing = [n for n in (from_number, to_number) if n and n not in texts]
    if missing:
        messages.error(request, _("There is no revision %(n)s.") % {"n": missing[0]})
        return redirect("coordination:minutes_history", pk=item.pk)
    revisions = {
        r.number: r
        for r in MinutesRevision.objects.filter(
            agenda_item=item, number__in=[from_number, to_number]
        ).select_related("author")
    }
    return render(
        request,
        "coordination/minutes_diff.html",
        {
            "item": item,
            "meeting": item.meeting,
            "diff": render_diff(texts.get(from_number, ""), texts.get(to_number, "")),
            "from_revision": revisions.get(from_number),
            "to_revision": revisions.get(to_number),
            "from_number": from_number,
            "to_number": to_number,
            "numbers": list(range(0, item.minutes_revision + 1)),
        },
    )


@require_POST
@login_required
def minutes_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = selectors.access_agenda_item(user=user, pk=pk)
    check(request, "coordination.edit_minutes", item.meeting)
    try:
        revision = services.minutes_restore(
            agenda_item=item,
            actor=user,
            number=_number(request.POST.get("number"), -1),
            base_revision=_number(request.POST.get("base_revision"), -1),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Revision %(old)s was restored as revision %(new)s.")
            % {"old": revision.restored_from, "new": revision.number},
        )
    return redirect("coordination:minutes_history", pk=item.pk)

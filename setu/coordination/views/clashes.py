"""Answering clash notices: dismissing one, proposing a joint mission, answering a proposal,
then merging or withdrawing the duplicate plan."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination.forms import ProposalForm
from setu.coordination.models import ProposalDirection
from setu.coordination.notices import access_notice, access_proposal, access_proposal_of_side
from setu.coordination.services import clashes as services
from setu.coordination.services import joint, proposals
from setu.coordination.views.common import (
    back,
    check,
    flash_errors,
    flash_form_errors,
    signed_in,
)


@require_POST
@login_required
def clash_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    notice = access_notice(user=user, pk=pk)
    services.clash_dismiss(notice=notice, actor=user)
    messages.success(
        request, _("The notice is hidden for your prefecture. The other member still sees it.")
    )
    return back(request, reverse("coordination:home"))


@require_POST
@login_required
def clash_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    notice = access_notice(user=user, pk=pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return back(request, reverse("coordination:home"))
    direction = form.cleaned_data["direction"]
    try:
        proposals.proposal_create(
            notice=notice, actor=user, direction=direction, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _(
                "Your invitation was sent. If the other member accepts, their prefecture joins "
                "your mission as a participant."
            )
            if direction == ProposalDirection.INVITE_TO_MINE
            else _(
                "Your proposal was sent. If the other member accepts, your prefecture joins "
                "their mission as a participant."
            ),
        )
    return back(request, reverse("coordination:home"))


@require_POST
@login_required
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    proposal = access_proposal(user=user, pk=pk)
    try:
        accepted = proposals.proposal_accept(proposal=proposal, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
        return back(request, proposal.to_mission.get_absolute_url())
    if accepted.invites:
        messages.success(
            request,
            _(
                "Your prefecture now takes part in “%(title)s”. Both prefectures were told by "
                "email. Merge your own mission into it or withdraw it."
            )
            % {"title": accepted.joint_mission},
        )
    else:
        messages.success(
            request,
            _("%(org)s now takes part in your mission. Both prefectures were told by email.")
            % {"org": accepted.proposer},
        )
    return back(request, accepted.to_mission.get_absolute_url())


@require_POST
@login_required
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    proposal = access_proposal(user=user, pk=pk)
    try:
        proposals.proposal_decline(proposal=proposal, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The proposal was declined."))
    return back(request, proposal.to_mission.get_absolute_url())


def _resolve_duplicate(
    request: HttpRequest, pk: int, resolve: Callable[..., object], done: str
) -> HttpResponse:
    """Merge or withdraw the duplicate plan an accepted proposal left; ``done`` names it."""
    user = signed_in(request)
    proposal = access_proposal_of_side(user=user, pk=pk)
    check(request, "coordination.resolve_duplicate", proposal)
    try:
        resolve(proposal=proposal, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(proposal.duplicate_mission)
    messages.success(request, done % {"duplicate": proposal.duplicate_mission})
    return redirect(proposal.joint_mission)


@require_POST
@login_required
def duplicate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the duplicate plan an accepted proposal left into the joint mission."""
    return _resolve_duplicate(
        request,
        pk,
        joint.duplicate_merge,
        _("“%(duplicate)s” was merged into this mission and cancelled."),
    )


@require_POST
@login_required
def duplicate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw (cancel) the duplicate plan an accepted proposal left."""
    return _resolve_duplicate(
        request,
        pk,
        joint.duplicate_withdraw,
        _("“%(duplicate)s” was withdrawn. Your prefecture takes part in this joint mission."),
    )

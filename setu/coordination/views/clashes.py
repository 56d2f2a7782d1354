"""Answering clash notices: dismissing one, proposing a joint mission, answering a proposal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination.forms import ProposalForm
from setu.coordination.notices import access_notice, access_proposal
from setu.coordination.services import clashes as services
from setu.coordination.views.common import back, flash_errors, signed_in


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
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.proposal_create(notice=notice, actor=user, message=message)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _(
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
        services.proposal_accept(proposal=proposal, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(org)s now takes part in your mission. Both prefectures were told by email.")
            % {"org": proposal.proposer},
        )
    return back(request, proposal.to_mission.get_absolute_url())


@require_POST
@login_required
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    proposal = access_proposal(user=user, pk=pk)
    try:
        services.proposal_decline(proposal=proposal, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The proposal was declined."))
    return back(request, proposal.to_mission.get_absolute_url())

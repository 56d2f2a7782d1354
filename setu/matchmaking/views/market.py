"""Participants' pages: joining, the profile, the marketplace and its recommendations, a
participant's page with the request form, and one's own meeting requests.

The organisers' set-up and overview are in ``views.setup``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import User
from setu.algorithms.matching_score import MAX_POINTS
from setu.core.access import get_visible_or_404
from setu.core.access import signed_in_user as _user
from setu.core.params import FILTER_MAX_CHARS, text_param
from setu.directory.models import OrganisationKind
from setu.matchmaking.forms.common import AnswerForm, JoinForm, ProfileForm, RequestForm
from setu.matchmaking.models import Matchmaking, MeetingRequest, Participant, RequestStatus
from setu.matchmaking.selectors import market
from setu.matchmaking.selectors import recommend as selectors_recommend
from setu.matchmaking.selectors.access import access_matchmaking, participant_for
from setu.matchmaking.services import requests as services_requests
from setu.matchmaking.services import setup as services

PAGE_SIZE = 20
RECOMMENDED_ON_MARKET = 4
RECOMMENDED_PAGE = 30


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class Market:
    """Who the reader is in an event's matchmaking."""

    def __init__(self, request: HttpRequest, pk: int) -> None:
        self.matchmaking: Matchmaking = access_matchmaking(user=request.user, event_pk=pk)
        self.event = self.matchmaking.event
        self.me: Participant | None = participant_for(
            user=request.user, matchmaking=self.matchmaking
        )
        self.organiser: bool = request.user.has_perm("matchmaking.organise", self.matchmaking)

    @property
    def taking_part(self) -> bool:
        return self.me is not None and self.me.active

    @property
    def may_browse(self) -> bool:
        return self.taking_part or self.organiser

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "matchmaking": self.matchmaking,
            "event": self.event,
            "me": self.me if self.taking_part else None,
            "organiser": self.organiser,
            "window": request_window(self.matchmaking),
            "max_points": MAX_POINTS,
            **extra,
        }


def request_window(matchmaking: Matchmaking) -> str:
    """ "open", "unset" (no opening time), "closed", or "soon"."""
    now = timezone.now()
    if matchmaking.requests_open(now):
        return "open"
    if matchmaking.requests_open_at is None:
        return "unset"
    if matchmaking.requests_close_at is not None and now >= matchmaking.requests_close_at:
        return "closed"
    return "soon"


def _filters(params: Any) -> market.MarketFilters:
    """Filters from the query string; unknown values are ignored, never an error."""
    kind = params.get("kind", "")
    return market.MarketFilters(
        sector=text_param(params.get("sector"), max_length=4),
        country=text_param(params.get("country"), max_length=2).upper(),
        kind=kind if kind in OrganisationKind.values else "",
        q=text_param(params.get("q"), max_length=FILTER_MAX_CHARS),
    )


@login_required
def market_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Browse and filter the participants; "recommended for you" on top of the first page."""
    here = Market(request, pk)
    if not here.may_browse:
        return redirect("matchmaking:join", pk=pk)
    filters = _filters(request.GET)
    participants = market.market_list(matchmaking=here.matchmaking, filters=filters)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    requested = market.open_requests_with(here.me if here.taking_part else None)
    page.object_list = list(page.object_list)
    for participant in page.object_list:
        participant.open_request = requested.get(participant.pk)  # type: ignore[attr-defined]
    recommended = selectors_recommend.Recommended()
    if here.taking_part and page.number == 1 and filters == market.MarketFilters():
        assert here.me is not None
        recommended = selectors_recommend.recommendations(
            matchmaking=here.matchmaking,
            me=here.me,
            user=request.user,
            limit=RECOMMENDED_ON_MARKET,
            requested=requested,
        )
    return render(
        request,
        "matchmaking/market.html",
        here.context(
            page=page,
            filters=filters,
            options=market.filter_options(matchmaking=here.matchmaking),
            requested=requested,
            recommended=recommended.items,
            by_meaning=recommended.by_meaning,
            here="market",
        ),
    )


def _elsewhere(here: Market, pk: int) -> HttpResponse:
    """Pages of one's own participation: organisers go to the marketplace, others to join."""
    return redirect("matchmaking:market" if here.organiser else "matchmaking:join", pk=pk)


@login_required
def recommended_view(request: HttpRequest, pk: int) -> HttpResponse:
    here = Market(request, pk)
    if not here.taking_part:
        return _elsewhere(here, pk)
    assert here.me is not None
    recommended = selectors_recommend.recommendations(
        matchmaking=here.matchmaking, me=here.me, user=request.user, limit=RECOMMENDED_PAGE
    )
    return render(
        request,
        "matchmaking/recommended.html",
        here.context(
            recommended=recommended.items,
            by_meaning=recommended.by_meaning,
            waiting=recommended.waiting,
            here="recommended",
        ),
    )


def _participant(here: Market, participant_id: int) -> Participant:
    return get_visible_or_404(
        Participant.objects.filter(matchmaking=here.matchmaking)
        .select_related("organisation", "organisation__region", "contact")
        .prefetch_related("sectors"),
        participant_id,
    )


def _participant_page(
    request: HttpRequest, here: Market, other: Participant, form: RequestForm | None = None
) -> HttpResponse:
    me = here.me if here.taking_part else None
    reasons: list[str] = []
    quotes: list[market.Quote] = []
    refusal = None
    existing: MeetingRequest | None = None
    if me is not None and me.pk != other.pk:
        me = (
            Participant.objects.prefetch_related("sectors")
            .select_related("organisation", "organisation__region")
            .get(pk=me.pk)
        )
        me.matchmaking = here.matchmaking
        quotes, reasons = selectors_recommend.pair_reasons(me=me, other=other, user=request.user)
        existing = market.open_requests_with(me).get(other.pk)
        if existing is None:
            refusal = services_requests.request_refusal(requester=me, recipient=other)
    return render(
        request,
        "matchmaking/participant_detail.html",
        here.context(
            other=other,
            reasons=reasons,
            quotes=quotes,
            existing=existing,
            refusal=refusal,
            form=form or RequestForm(),
            spoken=market.language_names(other.language_codes),
            answers_open=existing is not None
            and me is not None
            and existing.recipient_id == me.pk
            and existing.status == RequestStatus.PENDING
            and not services.published(here.matchmaking),
            can_edit=request.user.has_perm("matchmaking.act_for", other) or here.organiser,
            slots=list(other.unavailable.order_by("index")) if here.organiser else [],
        ),
    )


@login_required
def participant_detail(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    here = Market(request, pk)
    other = _participant(here, participant_id)
    if not here.may_browse and not request.user.has_perm("matchmaking.act_for", other):
        raise PermissionDenied
    return _participant_page(request, here, other)


@require_POST
@login_required
def request_create(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    here = Market(request, pk)
    other = _participant(here, participant_id)
    if not here.taking_part:
        raise PermissionDenied
    assert here.me is not None
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _participant_page(request, here, other, form)
    try:
        services_requests.request_create(
            requester=here.me,
            recipient=other,
            actor=_user(request),
            message=form.cleaned_data["message"],
            priority=form.cleaned_data["priority"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Your request is on its way to %(name)s. We will email you their answer.")
            % {"name": other},
        )
    return redirect("matchmaking:participant", pk=pk, participant_id=other.pk)


@login_required
def my_requests(request: HttpRequest, pk: int) -> HttpResponse:
    here = Market(request, pk)
    if not here.taking_part:
        return _elsewhere(here, pk)
    assert here.me is not None
    mine = market.my_requests(participant=here.me)
    return render(
        request,
        "matchmaking/requests.html",
        here.context(
            mine=mine,
            answer_form=AnswerForm(),
            sent_open=market.sent_count(here.me),
            answers_open=not services.published(here.matchmaking),
            here="requests",
        ),
    )


REQUEST_ACTIONS = {"accept", "decline", "withdraw"}


@require_POST
@login_required
def request_action(request: HttpRequest, pk: int, request_id: int, action: str) -> HttpResponse:
    """Accept, decline (the recipient) or withdraw (the requester) one request."""
    here = Market(request, pk)
    if action not in REQUEST_ACTIONS:
        raise Http404
    target = get_visible_or_404(
        MeetingRequest.objects.filter(matchmaking=here.matchmaking).select_related(
            "requester__organisation", "recipient__organisation"
        ),
        request_id,
    )
    me = here.me
    if me is None or me.pk not in (target.requester_id, target.recipient_id):
        raise Http404  # not theirs: as if it did not exist
    form = AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    try:
        if action == "withdraw":
            services_requests.request_withdraw(
                meeting_request=target, participant=me, actor=_user(request)
            )
            done = _("Your request to %(name)s is withdrawn.") % {"name": target.recipient}
        else:
            services_requests.request_answer(
                meeting_request=target,
                participant=me,
                actor=_user(request),
                accept=action == "accept",
                answer=answer,
            )
            done = (
                _("Accepted: the meeting with %(name)s goes to the scheduler.")
                if action == "accept"
                else _("Declined. We will let %(name)s know.")
            ) % {"name": target.requester}
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("matchmaking:requests", pk=pk)


# --- joining, the profile, leaving ----------------------------------------------------------


@login_required
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """Join for one's organisation, with a confirmed registration for the event."""
    here = Market(request, pk)
    if here.taking_part:
        return redirect("matchmaking:market", pk=pk)
    organisations = market.joinable_organisations(user=request.user, matchmaking=here.matchmaking)
    form = JoinForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and organisations and form.is_valid():
        try:
            participant = services.participant_join(
                matchmaking=here.matchmaking,
                organisation=form.cleaned_data["organisation"],
                actor=_user(request),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _(
                    "You take part in the meetings for %(name)s. Check your profile: it is "
                    "filled in from the directory."
                )
                % {"name": participant.organisation},
            )
            return redirect("matchmaking:profile", pk=pk, participant_id=participant.pk)
    return render(
        request,
        "matchmaking/join.html",
        here.context(
            form=form,
            organisations=organisations,
            left=here.me is not None and not here.me.active,
            registered=market.has_confirmed_registration(user=request.user, event=here.event),
        ),
    )


def _may_edit(request: HttpRequest, here: Market, participant: Participant) -> bool:
    return here.organiser or request.user.has_perm("matchmaking.act_for", participant)


@login_required
def profile_edit(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    here = Market(request, pk)
    participant = _participant(here, participant_id)
    if not _may_edit(request, here, participant):
        raise PermissionDenied
    participant.matchmaking = here.matchmaking
    contacts = User.objects.filter(
        memberships__organisation_id=participant.organisation_id, is_active=True
    ).distinct()
    form = ProfileForm(
        request.POST or None,
        participant=participant,
        contacts=contacts,
        reader_zone=timezone.get_current_timezone_name(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                participant=participant,
                actor=_user(request),
                fields=form.profile_fields(),
                sectors=list(form.cleaned_data["sectors"]),
                unavailable=list(form.cleaned_data["unavailable"]),
                contact=form.cleaned_data.get("contact"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("matchmaking:participant", pk=pk, participant_id=participant.pk)
    return render(
        request,
        "matchmaking/profile_form.html",
        here.context(participant=participant, form=form, here="profile"),
    )


@require_POST
@login_required
def leave(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    here = Market(request, pk)
    participant = _participant(here, participant_id)
    if not _may_edit(request, here, participant):
        raise PermissionDenied
    try:
        withdrawn, declined = services.participant_leave(
            participant=participant, actor=_user(request)
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _(
                "%(name)s no longer takes part in the meetings: %(withdrawn)s requests "
                "withdrawn, %(declined)s declined."
            )
            % {"name": participant, "withdrawn": withdrawn, "declined": declined},
        )
    if here.organiser and not request.user.has_perm("matchmaking.act_for", participant):
        return redirect("matchmaking:participants", pk=pk)
    return redirect(reverse("events:detail", args=[pk]))

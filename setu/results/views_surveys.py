"""Follow-up surveys: the list with response rates, a survey's page, creating and sending one,
and the page a participating company answers on (reached by its link, no account needed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.coordination.views.common import attach_errors, check, needs
from setu.core.access import signed_in_user
from setu.results import selectors, surveys
from setu.results.forms import SurveyAnswerForm, SurveyForm
from setu.results.models import SurveyStatus

PAGE_SIZE = 50


@login_required
@needs("results.view")
def survey_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.survey_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    survey: Any  # annotated with its counts by the selector
    for survey in page:
        survey.rate = selectors.response_rate(sent=survey.sent_count, answered=survey.answered)
        survey.due = surveys.due_on(survey)
    return render(
        request,
        "results/survey_list.html",
        {"page": page, "can_add": request.user.has_perm("results.add_survey")},
    )


@login_required
@needs("results.view")
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey: Any = selectors.access_survey(request.user, pk)
    invitations = list(selectors.survey_invitations(survey))
    answered = [i for i in invitations if i.answered_at]
    scores = [i.usefulness for i in answered if i.usefulness]
    return render(
        request,
        "results/survey_detail.html",
        {
            "survey": survey,
            "invitations": invitations,
            "due": surveys.due_on(survey),
            "rate": selectors.response_rate(sent=survey.sent_count, answered=survey.answered),
            "mean_usefulness": round(sum(scores) / len(scores), 1) if scores else None,
            "may_change": request.user.has_perm("results.change_survey", survey),
        },
    )


@login_required
@needs("results.add_survey")
def survey_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = SurveyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = surveys.survey_create(
                actor=user,
                event=data.get("event"),
                mission=data.get("mission"),
                send_after_days=data["send_after_days"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The survey will be sent on %(day)s.") % {"day": surveys.due_on(survey)},
            )
            return redirect(survey)
    return render(request, "results/survey_form.html", {"form": form})


@login_required
@require_POST
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = selectors.access_survey(user, pk)
    check(request, "results.change_survey", survey)
    try:
        invited = surveys.survey_send(survey=survey, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s company was invited to answer.",
                "%(count)s companies were invited to answer.",
                invited,
            )
            % {"count": invited},
        )
    return redirect(survey)


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The company's answer page, in the language it was invited in unless it chose another."""
    invitation = selectors.access_invitation(token)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = translation.get_language() if chosen else None
    with translation.override(language or invitation.language):
        closed = invitation.survey.status == SurveyStatus.CLOSED
        initial = {
            "usefulness": invitation.usefulness,
            "meetings_led_somewhere": invitation.meetings_led_somewhere,
            "expected_business": invitation.expected_business,
            "expected_value": invitation.expected_value,
            "currency": invitation.currency,
        }
        form = SurveyAnswerForm(request.POST or None, initial=initial)
        if request.method == "POST" and not closed and form.is_valid():
            try:
                surveys.survey_answer(invitation=invitation, data=form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return render(
                    request,
                    "results/survey_answer.html",
                    {"invitation": invitation, "thanks": True},
                )
        return render(
            request,
            "results/survey_answer.html",
            {"invitation": invitation, "form": form, "closed": closed},
        )

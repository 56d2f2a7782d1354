"""Follow-up surveys: invitations in each company's language, answers that become or update
leads, the response rate; and the overdue next-step reminders, each sent once."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.conftest import World
from setu.results.models import Lead, OriginKind, Stage, SurveyInvitation, SurveyStatus
from setu.results.selectors import response_rate
from setu.results.surveys import survey_answer, survey_create, survey_send, surveys_send_due
from setu.results.tests.factories import confirmed_registration, lead, past_event

pytestmark = pytest.mark.django_db


def _answer(**more: object) -> dict[str, object]:
    return {
        "usefulness": 4,
        "meetings_led_somewhere": 2,
        "expected_business": "",
        "expected_value": None,
        "currency": "",
        **more,
    }


def test_a_survey_invites_each_participating_company_in_its_language_once(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    event = past_event(world)
    confirmed_registration(world, event)
    confirmed_registration(world, event)  # the same company twice: one invitation
    survey = survey_create(actor=world.users["officer_own"], event=event, send_after_days=90)
    assert surveys_send_due() == 0  # 70 days ago + 90 days: not yet
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert surveys_send_due(today=timezone.localdate() + timedelta(days=21)) == 1
    invitation = SurveyInvitation.objects.get()
    assert invitation.language == "ja" and invitation.sent_at is not None
    assert len(mail.outbox) == 1 and "/results/survey/" in mail.outbox[0].body
    assert "役に立ちました" in mail.outbox[0].subject
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SENT
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert survey_send(survey=survey) == 0
    assert len(mail.outbox) == 1


def test_an_answer_with_business_becomes_a_lead_and_a_second_updates_it(world: World) -> None:
    event = past_event(world)
    confirmed_registration(world, event)
    survey = survey_create(actor=None, event=event)
    survey_send(survey=survey)
    invitation = SurveyInvitation.objects.get()
    assert survey_answer(invitation=invitation, data=_answer()) is None
    created = survey_answer(
        invitation=invitation,
        data=_answer(
            expected_business="A distributor in Pune",
            expected_value=Decimal("5000000"),
            currency="INR",
        ),
    )
    assert created is not None
    assert created.origin_kind == OriginKind.SURVEY and created.origin_event_id == event.pk
    assert created.owner_id == world.prefecture.pk and created.stage == Stage.IDENTIFIED
    updated = survey_answer(
        invitation=invitation,
        data=_answer(
            expected_business="Now two distributors",
            expected_value=Decimal("8000000"),
            currency="INR",
        ),
    )
    assert updated is not None and updated.pk == created.pk
    assert Lead.objects.count() == 1
    assert Lead.objects.get().expected_value == Decimal("8000000")
    assert response_rate(sent=1, answered=1) == 100 and response_rate(sent=0, answered=0) is None


def test_a_bad_answer_changes_nothing(world: World) -> None:
    event = past_event(world)
    confirmed_registration(world, event)
    survey_send(survey=survey_create(actor=None, event=event))
    invitation = SurveyInvitation.objects.get()
    with pytest.raises(ValidationError) as raised:
        survey_answer(
            invitation=invitation,
            data=_answer(usefulness=9, expected_value=Decimal("-1"), currency=""),
        )
    assert {"usefulness", "expected_value", "currency"} <= set(raised.value.message_dict)
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not Lead.objects.exists()


def test_the_answer_page_speaks_the_invitations_language_and_refuses_bad_input(
    world: World,
) -> None:
    event = past_event(world)
    confirmed_registration(world, event)
    survey_send(survey=survey_create(actor=None, event=event))
    invitation = SurveyInvitation.objects.get()
    url = reverse("results:survey_answer", args=[invitation.token])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and 'lang="ja"' in page.content.decode()
    bad = client.post(url, {"usefulness": "7", "expected_value": "-3"})
    assert bad.status_code == 200 and SurveyInvitation.objects.get().answered_at is None
    good = client.post(url, {"usefulness": "5", "meetings_led_somewhere": "1"})
    assert good.status_code == 200
    assert SurveyInvitation.objects.get().usefulness == 5
    assert client.get(reverse("results:survey_answer", args=["nope"])).status_code == 404


def test_overdue_next_steps_are_reminded_once_per_due_date(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    overdue = lead(world, next_step="Call", next_step_due=timezone.localdate() - timedelta(days=2))
    lead(
        world,
        title="Closed",
        stage=Stage.LOST,
        next_step_due=timezone.localdate() - timedelta(days=2),
    )
    lead(world, title="Later", next_step_due=timezone.localdate() + timedelta(days=2))

    def run() -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            call_command("send_results_reminders", stdout=out)
        return out.getvalue()

    assert "queued 1 overdue" in run()
    assert len(mail.outbox) == 1 and "Call" in mail.outbox[0].body
    assert mail.outbox[0].to == [world.users["officer_own"].email]
    assert "queued 0 overdue" in run()
    Lead.objects.filter(pk=overdue.pk).update(
        next_step_due=timezone.localdate() - timedelta(days=1)
    )
    assert "queued 1 overdue" in run()

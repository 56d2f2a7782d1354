"""A guardian's consent (or refusal, or withdrawal) for a minor's application is written to
the privacy consent ledger, naming the guardian, in the same transaction (issue 17)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from setu.conftest import World
from setu.exchanges import selectors, services
from setu.exchanges.models import Application
from setu.exchanges.tests.factories import application_data, make_programme, make_round
from setu.privacy.consent import has_consent
from setu.privacy.models import Consent, ConsentAction, GivenBy, Purpose

pytestmark = pytest.mark.django_db


def _minor_application(world: World) -> Application:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    student = world.user("student")
    assert student is not None
    return services.application_create(
        actor=student,
        round_=round_,
        data=application_data(
            age=16,
            guardian_name="Lakshmi Rao",
            guardian_email="guardian@example.org",
            relationship="Mother",
            guardian_language="hi",
        ),
        programmes=[programme],
        base_url="http://testserver/",
    )


def _guardian_lines(application: Application) -> Any:
    return Consent.objects.filter(
        user=application.student, purpose=Purpose.EXCHANGES, given_by=GivenBy.GUARDIAN
    )


def test_the_guardians_consent_writes_one_ledger_line_naming_the_guardian(world: World) -> None:
    application = _minor_application(world)
    consent = application.guardian_consents.get()
    # not processed (shown to hosts and reviewers) before the guardian answers
    assert not selectors.shown_to_staff().filter(pk=application.pk).exists()
    assert not _guardian_lines(application).exists()

    services.consent_confirm(consent=consent)

    (line,) = _guardian_lines(application)
    assert line.action == ConsentAction.GIVEN
    assert line.guardian_name == "Lakshmi Rao"
    assert has_consent(application.student, Purpose.EXCHANGES)
    assert selectors.shown_to_staff().filter(pk=application.pk).exists()

    # a second confirmation is refused and adds no line
    with pytest.raises(ValidationError):
        services.consent_confirm(consent=consent)
    assert _guardian_lines(application).count() == 1


def test_the_guardians_withdrawal_is_a_ledger_line_and_stops_processing(world: World) -> None:
    application = _minor_application(world)
    consent = application.guardian_consents.get()
    services.consent_confirm(consent=consent)
    services.consent_withdraw(consent=consent)

    newest = _guardian_lines(application).first()
    assert newest is not None
    assert newest.action == ConsentAction.WITHDRAWN
    assert newest.guardian_name == "Lakshmi Rao"
    assert _guardian_lines(application).count() == 2
    assert not has_consent(application.student, Purpose.EXCHANGES)
    assert not selectors.shown_to_staff().filter(pk=application.pk).exists()


def test_a_refusal_before_any_consent_is_recorded_and_the_application_stays_hidden(
    world: World,
) -> None:
    application = _minor_application(world)
    services.consent_withdraw(consent=application.guardian_consents.get())
    (line,) = _guardian_lines(application)
    assert line.action == ConsentAction.WITHDRAWN
    assert not selectors.shown_to_staff().filter(pk=application.pk).exists()


def test_a_failing_ledger_write_leaves_the_guardians_consent_unconfirmed(world: World) -> None:
    application = _minor_application(world)
    consent = application.guardian_consents.get()
    with (
        mock.patch(
            "setu.exchanges.services.ledger.consent_give", side_effect=ValidationError("boom")
        ),
        pytest.raises(ValidationError),
    ):
        services.consent_confirm(consent=consent)
    consent.refresh_from_db()
    assert consent.verified_at is None
    assert not selectors.shown_to_staff().filter(pk=application.pk).exists()

"""Role × URL rows for exchanges (vocabulary in setu/core/tests/matrix.py).

The test world: officer_own's prefecture (Yamanashi) coordinates a public round with one open
programme hosted by the world's university; the world's student has applied (an adult), and
another student under 18 has applied with a guardian's consent still waiting. Reviewers are
the people of the programme's owner and host who are not students: here officer_own.
"""

from __future__ import annotations

from django.urls import reverse

from setu.conftest import World
from setu.core.tests.matrix import ALL_200, SIGNED_IN_200, STAFF_ONLY, Row
from setu.exchanges import tokens
from setu.exchanges.models import Application, ExchangeRound, Programme
from setu.exchanges.tests.factories import (
    consent_for,
    document_for,
    make_application,
    make_programme,
    make_round,
    make_run,
    new_student,
    referee_for,
)

# anonymous, student, member, partner, officer_own, officer_other, secretariat
COORDINATOR_ONLY = ("login", "403", "403", "403", "200", "403", "403")
OWN_APPLICATION_POST = ("login", "→/exchanges/applications/", "404", "404", "403", "404", "404")


def _scene(world: World) -> tuple[ExchangeRound, Programme, Application]:
    round_ = make_round(world)
    programme = make_programme(world, round_)
    student = world.user("student")
    assert student is not None
    return round_, programme, make_application(student, round_, [programme])


def _application_url(name: str) -> Row:
    return Row(
        OWN_APPLICATION_POST, url=lambda w: reverse(name, args=[_scene(w)[2].pk]), method="post"
    )


def _document(world: World) -> str:
    application = _scene(world)[2]
    return reverse("exchanges:document", args=[application.pk, document_for(application).pk])


def _referee(world: World) -> str:
    referee = referee_for(_scene(world)[2])
    return reverse("exchanges:referee", args=[tokens.referee_link_token(referee.pk, referee.token)])


def _consent(world: World) -> str:
    round_, programme, _application = _scene(world)
    minor = make_application(
        new_student(world, "minor@example.org"), round_, [programme], minor=True
    )
    consent = consent_for(minor, verified=False)
    return reverse("exchanges:consent", args=[tokens.consent_link_token(consent.pk, consent.token)])


def _score(world: World) -> str:
    application = _scene(world)[2]
    return reverse("exchanges:score", args=[application.choices.get().pk])


ROWS: dict[str, Row] = {
    "exchanges:home": Row(ALL_200),
    "exchanges:mine": Row(SIGNED_IN_200),
    "exchanges:programme_create": Row(("login", "403", "403", "200", "200", "200", "200")),
    "exchanges:programme": Row(
        ALL_200, url=lambda w: reverse("exchanges:programme", args=[_scene(w)[1].pk])
    ),
    "exchanges:programme_edit": Row(
        COORDINATOR_ONLY, url=lambda w: reverse("exchanges:programme_edit", args=[_scene(w)[1].pk])
    ),
    "exchanges:review": Row(
        COORDINATOR_ONLY, url=lambda w: reverse("exchanges:review", args=[_scene(w)[1].pk])
    ),
    "exchanges:order": Row(
        ("login", "403", "403", "403", "→/exchanges/programmes/", "403", "403"),
        url=lambda w: reverse("exchanges:order", args=[_scene(w)[1].pk]),
        method="post",
    ),
    "exchanges:score": Row(
        ("login", "403", "403", "403", "→/exchanges/programmes/", "403", "403"),
        url=_score,
        method="post",
    ),
    "exchanges:round_create": Row(STAFF_ONLY),
    "exchanges:round": Row(
        ALL_200, url=lambda w: reverse("exchanges:round", args=[_scene(w)[0].pk])
    ),
    # the world's student has not applied to this second round yet
    "exchanges:apply": Row(
        ("login", "200", "403", "403", "403", "403", "403"),
        url=lambda w: reverse("exchanges:apply", args=[make_round(w, title_en="Winter").pk]),
    ),
    "exchanges:run_create": Row(
        ("login", "403", "403", "403", "→/exchanges/runs/", "403", "403"),
        url=lambda w: reverse("exchanges:run_create", args=[_scene(w)[0].pk]),
        method="post",
    ),
    "exchanges:run": Row(
        COORDINATOR_ONLY, url=lambda w: reverse("exchanges:run", args=[make_run(_scene(w)[0]).pk])
    ),
    "exchanges:run_publish": Row(
        ("login", "403", "403", "403", "→/exchanges/runs/", "403", "403"),
        url=lambda w: reverse("exchanges:run_publish", args=[make_run(_scene(w)[0]).pk]),
        method="post",
    ),
    # the student's own; the coordinator sees an adult's application; nobody else
    "exchanges:application": Row(
        ("login", "200", "404", "404", "200", "404", "404"),
        url=lambda w: reverse("exchanges:application", args=[_scene(w)[2].pk]),
    ),
    "exchanges:document": Row(("login", "200", "404", "404", "200", "404", "404"), url=_document),
    # once the student has withdrawn, the coordinator no longer sees the application
    "exchanges:withdraw": Row(
        ("login", "→/exchanges/applications/", "404", "404", "404", "404", "404"),
        url=lambda w: reverse("exchanges:withdraw", args=[_scene(w)[2].pk]),
        method="post",
    ),
    "exchanges:document_add": _application_url("exchanges:document_add"),
    "exchanges:referee_ask": _application_url("exchanges:referee_ask"),
    "exchanges:consent_ask": _application_url("exchanges:consent_ask"),
    "exchanges:decline": _application_url("exchanges:decline"),
    # signed links: anyone holding one
    "exchanges:referee": Row(ALL_200, url=_referee),
    "exchanges:consent": Row(ALL_200, url=_consent),
}

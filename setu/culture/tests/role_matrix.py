"""Role × URL rows for the culture app (collected by setu/core/tests/test_role_matrix.py).

The course and the festival are public events led by officer_own's prefecture: everyone reads
them; signed-in people enrol and volunteer (a POST answers with a redirect to the page, with a
message); the hosts' officers and the secretariat organise (officer_other: 403). An enrolment
(its completion, its certificate) is seen by its learner and the organisers only: 404 to
others, as if it did not exist.
"""

from __future__ import annotations

from django.urls import reverse

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.core.tests.matrix import ALL_200, Row
from setu.culture.models import Enrolment, ProgrammeItem
from setu.culture.services.courses import enrolment_create
from setu.culture.tests.factories import course, festival, shift

ORGANISERS = ("login", "403", "403", "403", "200", "403", "200")
ORGANISERS_404 = ("login", "404", "404", "404", "200", "404", "200")
ANY_POST_TO_COURSE = ("login",) + ("→/culture/courses/",) * 6
ANY_POST_TO_FESTIVAL = ("login",) + ("→/culture/festivals/",) * 6
# officer_own removes the item; it is gone for the two users asked after them
ITEM_REMOVED = ("login", "403", "403", "403", "→/culture/festivals/", "404", "404")


def _enrolment(world: World) -> Enrolment:
    learner = UserFactory.create(email="learner@example.org")
    return enrolment_create(course=course(world.prefecture), learner=learner)


def _item(world: World) -> ProgrammeItem:
    event = festival(world.prefecture)
    return ProgrammeItem.objects.create(
        event=event,
        kind="performance",
        title_en="Taiko",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )


def _attendance_url(world: World) -> str:
    c = course(world.prefecture)
    return reverse("culture:attendance", args=[c.pk, c.event.sessions.first().pk])  # type: ignore[union-attr]


ROWS: dict[str, Row] = {
    "culture:courses": Row(ALL_200),
    "culture:course": Row(ALL_200, url=lambda w: course(w.prefecture).get_absolute_url()),
    "culture:enrol": Row(
        ANY_POST_TO_COURSE,
        url=lambda w: reverse("culture:enrol", args=[course(w.prefecture).pk]),
        method="post",
    ),
    "culture:leave": Row(
        ANY_POST_TO_COURSE,
        url=lambda w: reverse("culture:leave", args=[course(w.prefecture).pk]),
        method="post",
    ),
    "culture:attendance": Row(ORGANISERS, url=_attendance_url),
    "culture:course_setup": Row(
        ORGANISERS,
        url=lambda w: reverse("culture:course_setup", args=[course(w.prefecture).event_id]),
    ),
    "culture:complete": Row(
        ORGANISERS_404, url=lambda w: reverse("culture:complete", args=[_enrolment(w).pk])
    ),
    "culture:certificate": Row(
        # not completed yet: back to the course with a message
        ("login", "404", "404", "404", "→/culture/courses/", "404", "→/culture/courses/"),
        url=lambda w: reverse("culture:certificate", args=[_enrolment(w).pk]),
    ),
    "culture:festivals": Row(ALL_200),
    "culture:festival": Row(
        ALL_200, url=lambda w: reverse("culture:festival", args=[festival(w.prefecture).pk])
    ),
    "culture:item_add": Row(
        ORGANISERS, url=lambda w: reverse("culture:item_add", args=[festival(w.prefecture).pk])
    ),
    "culture:item_delete": Row(
        ITEM_REMOVED,
        url=lambda w: reverse("culture:item_delete", args=[_item(w).pk]),
        method="post",
    ),
    "culture:shift_add": Row(
        ORGANISERS, url=lambda w: reverse("culture:shift_add", args=[festival(w.prefecture).pk])
    ),
    "culture:shift_signup": Row(
        ANY_POST_TO_FESTIVAL,
        url=lambda w: reverse("culture:shift_signup", args=[shift(festival(w.prefecture)).pk]),
        method="post",
    ),
    "culture:shift_leave": Row(
        ANY_POST_TO_FESTIVAL,
        url=lambda w: reverse("culture:shift_leave", args=[shift(festival(w.prefecture)).pk]),
        method="post",
    ),
}

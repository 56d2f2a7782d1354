"""Reads for exchanges: what each person may see, the review sheet, the placement's input.

An application is seen by its student; by the round's coordinators and the reviewers of a
programme it lists only once it is submitted and, for a minor, only while a guardian's
consent is confirmed and not withdrawn (``shown_to_staff``). Hosts and reviewers of a minor
see the minimum (``MinorView`` in the templates: no date of birth, email, guardian, other
choices).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet

from setu.algorithms.placement import Choice as ProblemChoice
from setu.algorithms.placement import Problem, Student
from setu.algorithms.placement import Programme as ProblemProgramme
from setu.core.access import get_visible_or_404
from setu.exchanges.models import (
    Application,
    ApplicationStatus,
    Choice,
    ExchangeRound,
    GuardianConsent,
    Outcome,
    PlacementRun,
    Programme,
    RunStatus,
    Score,
    ScoreMethod,
)
from setu.exchanges.rules import reviewer_org_ids, staff_org_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


# -- rounds and programmes ---------------------------------------------------------------------


def round_list(*, user: User | AnonymousUser) -> QuerySet[ExchangeRound]:
    return ExchangeRound.objects.visible_to(user).select_related("owner")


def access_round(*, user: User | AnonymousUser, pk: Any) -> ExchangeRound:
    return get_visible_or_404(round_list(user=user), pk)


def programme_list(
    *, user: User | AnonymousUser, round_: ExchangeRound | None = None
) -> QuerySet[Programme]:
    programmes = Programme.objects.visible_to(user).select_related("host", "partner", "round")
    return programmes.filter(round=round_) if round_ is not None else programmes


def access_programme(*, user: User | AnonymousUser, pk: Any) -> Programme:
    return get_visible_or_404(programme_list(user=user), pk)


def open_programmes(
    *, user: User | AnonymousUser, round_: ExchangeRound, on: date
) -> QuerySet[Programme]:
    return programme_list(user=user, round_=round_).filter(opens_on__lte=on, closes_on__gte=on)


# -- applications --------------------------------------------------------------------------------


def consent_valid_q() -> Q:
    """Applications that a host or reviewer may see: an adult's, or a minor's with consent."""
    consented = GuardianConsent.objects.filter(
        application=OuterRef("pk"), verified_at__isnull=False, withdrawn_at__isnull=True
    )
    return Q(is_minor=False) | Q(Exists(consented))


def shown_to_staff() -> QuerySet[Application]:
    return Application.objects.filter(consent_valid_q(), status__in=SHOWN_STATUSES)


SHOWN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.DECLINED)


def application_list(*, user: User | AnonymousUser) -> QuerySet[Application]:
    """The applications ``user`` may open: their own, or the ones they coordinate or review."""
    if not user.is_authenticated:
        return Application.objects.none()
    staff = staff_org_ids(user)
    reviewing = reviewer_org_ids(user)
    others = Q(round__owner__in=staff) | Q(
        Exists(
            Choice.objects.filter(application=OuterRef("pk")).filter(
                Q(programme__owner__in=reviewing) | Q(programme__host__in=reviewing)
            )
        )
    )
    shown = Q(consent_valid_q(), status__in=SHOWN_STATUSES) & others
    return Application.objects.filter(Q(student=user) | shown).select_related("student", "round")


def access_application(*, user: User | AnonymousUser, pk: Any) -> Application:
    return get_visible_or_404(application_list(user=user), pk)


def my_applications(*, user: User | AnonymousUser) -> list[Application]:
    if not user.is_authenticated:
        return []
    return list(
        Application.objects.filter(student=user)
        .select_related("round")
        .prefetch_related(Prefetch("choices", Choice.objects.select_related("programme")))
    )


def choices_seen_by(*, user: User | AnonymousUser, application: Application) -> list[Choice]:
    """The student and coordinators see every choice; a reviewer only their programmes'."""
    choices = application.choices.select_related("programme__host")
    if application.student_id == user.pk or application.round.owner_id in staff_org_ids(user):
        return list(choices)
    orgs = reviewer_org_ids(user)
    return list(choices.filter(Q(programme__owner__in=orgs) | Q(programme__host__in=orgs)))


def current_consent(application: Application) -> GuardianConsent | None:
    return application.guardian_consents.order_by("-requested_at", "-id").first()


def published_outcome(application: Application) -> Outcome | None:
    return (
        Outcome.objects.filter(application=application, run__status=RunStatus.PUBLISHED)
        .select_related("programme")
        .first()
    )


# -- reviewing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetRow:
    choice: Choice
    mine: Score | None
    average: Decimal | None
    scored_by: int
    conflicts: int


def review_sheet(*, user: User | AnonymousUser, programme: Programme) -> list[SheetRow]:
    """The programme's visible applicants with the reader's score and the average so far."""
    choices = list(
        Choice.objects.filter(programme=programme, application__in=shown_to_staff())
        .select_related("application__student")
        .annotate(
            average=Avg("scores__score", filter=Q(scores__conflict=False)),
            scored_by=Count("scores", filter=Q(scores__conflict=False)),
            conflicts=Count("scores", filter=Q(scores__conflict=True)),
        )
        .order_by("manual_position", "application__student__full_name", "pk")
    )
    mine = {s.choice_id: s for s in Score.objects.filter(choice__in=choices, reviewer_id=user.pk)}
    rows = [SheetRow(c, mine.get(c.pk), c.average, c.scored_by, c.conflicts) for c in choices]
    if programme.score_method == ScoreMethod.AVERAGE:
        rows.sort(key=lambda row: (row.average is None, -(row.average or 0)))
    return rows


# -- placement -------------------------------------------------------------------------------


def placement_problem(*, round_: ExchangeRound) -> tuple[Problem, dict[str, int]]:
    """The round as a placement problem, and each application id's number of waiting minors.

    Students are application ids, programmes programme ids (as strings). A programme ranked
    by average uses the mean of its reviewers' scores (an applicant nobody scored yet gets 0);
    one ordered by hand uses minus the coordinator's position (unpositioned last).
    """
    programmes = list(Programme.objects.filter(round=round_).only("pk", "places", "score_method"))
    method = {p.pk: p.score_method for p in programmes}
    averages = dict(
        Score.objects.filter(choice__programme__round=round_, conflict=False)
        .values("choice_id")
        .annotate(avg=Avg("score"))
        .values_list("choice_id", "avg")
    )
    rows = (
        Choice.objects.filter(
            application__round=round_,
            application__in=shown_to_staff().exclude(status=ApplicationStatus.DECLINED),
        )
        .order_by("application_id", "rank")
        .values_list("pk", "application_id", "programme_id", "manual_position")
    )
    lists: dict[int, list[ProblemChoice]] = defaultdict(list)
    for choice_id, application_id, programme_id, position in rows:
        if method[programme_id] == ScoreMethod.MANUAL:
            score = -float(position) if position is not None else -1e9
        else:
            score = float(averages.get(choice_id) or 0)
        lists[application_id].append(ProblemChoice(programme=str(programme_id), score=score))
    students = tuple(Student(id=str(pk), choices=tuple(lists[pk])) for pk in sorted(lists))
    problem = Problem(
        programmes=tuple(ProblemProgramme(id=str(p.pk), capacity=p.places) for p in programmes),
        students=students,
    )
    waiting = {
        str(pk): 1
        for pk in Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED)
        .exclude(consent_valid_q())
        .values_list("pk", flat=True)
    }
    return problem, waiting


def run_list(*, round_: ExchangeRound) -> QuerySet[PlacementRun]:
    return PlacementRun.objects.filter(round=round_).select_related("created_by")


def access_run(*, user: User | AnonymousUser, pk: Any) -> PlacementRun:
    runs = PlacementRun.objects.filter(round__in=round_list(user=user)).select_related("round")
    return get_visible_or_404(runs, pk)


DRAFT_PAGE_SIZE = 100
DRAFT_VIEWS = ("unplaced", "first", "other")


@dataclass(frozen=True)
class DraftReport:
    """What the coordinator reviews before publishing a run."""

    run: PlacementRun
    programmes: list[dict[str, Any]]
    counts: dict[str, int]
    rows: list[Outcome]
    page: int
    pages: int


def draft_report(*, run: PlacementRun, show: str, page: int) -> DraftReport:
    """Per programme: places and filled; the counts; one page of outcomes of one kind.

    A fixed number of queries whatever the size of the round.
    """
    outcomes = Outcome.objects.filter(run=run)
    kinds = {
        "unplaced": Q(programme__isnull=True),
        "first": Q(choice_rank=1),
        "other": Q(choice_rank__gt=1),
    }
    counts = outcomes.aggregate(
        **{kind: Count("pk", filter=condition) for kind, condition in kinds.items()}
    )
    filled = dict(
        outcomes.filter(programme__isnull=False)
        .values("programme_id")
        .annotate(n=Count("pk"))
        .values_list("programme_id", "n")
    )
    programmes = [
        {"programme": p, "filled": filled.get(p.pk, 0)}
        for p in Programme.objects.filter(round_id=run.round_id).only(
            "pk", "title_en", "title_ja", "title_hi", "places"
        )
    ]
    selected = outcomes.filter(kinds[show])
    total = counts[show]
    pages = max(1, -(-total // DRAFT_PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * DRAFT_PAGE_SIZE
    rows = list(
        selected.select_related("application__student", "programme").order_by("pk")[
            start : start + DRAFT_PAGE_SIZE
        ]
    )
    return DraftReport(run, programmes, counts, rows, page, pages)


# -- dashboard -----------------------------------------------------------------------------------


def dashboard_part(user: User | AnonymousUser) -> dict[str, Any]:
    """The student's applications and placements; the rounds a coordinator runs."""
    if not user.is_authenticated:
        return {}
    from setu.exchanges.rules import is_student

    part: dict[str, Any] = {}
    if is_student(user):
        applications = my_applications(user=user)
        placed = {
            outcome.application_id: outcome.programme
            for outcome in Outcome.objects.filter(
                application__in=[a.pk for a in applications],
                run__status=RunStatus.PUBLISHED,
                programme__isnull=False,
            ).select_related("programme")
        }
        for application in applications:
            application.placed_on = placed.get(application.pk)  # type: ignore[attr-defined]
        part["exchange_applications"] = applications
        part["exchanges_student"] = True
    staff = staff_org_ids(user)
    if staff:
        part["exchange_rounds"] = list(
            ExchangeRound.objects.filter(owner__in=staff).annotate(
                applications_count=Count("applications", distinct=True)
            )[:5]
        )
    return part

"""Exchange pages: programmes, applying, the student's application, reviewing, placement.

Thin: fetch with a selector (404 for what the reader may not see), check a rule, call one
service, answer. Referees and guardians reach their pages through signed links, without an
account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.accounts.models import Role, User
from setu.core.access import acting_organisation, signed_in_user
from setu.core.params import int_param
from setu.core.views_helpers import form_view
from setu.exchanges import selectors, services, tokens
from setu.exchanges.forms import (
    ApplicationForm,
    ConsentRequestForm,
    DocumentForm,
    ProgrammeForm,
    RefereeForm,
    ReferenceForm,
    RoundForm,
    ScoreForm,
    parse_order,
)
from setu.exchanges.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Choice,
    GuardianConsent,
    Referee,
    RunStatus,
    ScoreMethod,
)
from setu.library.files import content_disposition, file_extension
from setu.privacy import abroad
from setu.privacy.consent import consent_give, latest_line
from setu.privacy.models import ConsentAction, Purpose

OFFERING_ROLES = {Role.SECRETARIAT, Role.PREFECTURE_OFFICER, Role.PARTNER}
STAFF_ROLES = {Role.SECRETARIAT, Role.PREFECTURE_OFFICER}


def _need(request: HttpRequest, permission: str, record: Any = None) -> None:
    if not request.user.has_perm(permission, record):
        raise PermissionDenied


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# -- programmes ------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.round_list(user=request.user))
    programmes = list(selectors.programme_list(user=request.user).select_related("owner"))
    by_round: dict[int, list[Any]] = {}
    for programme in programmes:
        by_round.setdefault(programme.round_id, []).append(programme)
    return render(
        request,
        "exchanges/home.html",
        {
            "rounds": [(r, by_round.get(r.pk, [])) for r in rounds],
            "today": timezone.localdate(),
            "can_add_programme": request.user.has_perm("exchanges.add_programme"),
            "can_add_round": request.user.has_perm("exchanges.add_round"),
        },
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.access_programme(user=request.user, pk=pk)
    return render(
        request,
        "exchanges/programme.html",
        {
            "programme": programme,
            "open": programme.is_open(timezone.localdate()),
            "can_edit": request.user.has_perm("exchanges.change_programme", programme),
            "can_review": request.user.has_perm("exchanges.review_programme", programme),
            "can_apply": request.user.has_perm("exchanges.apply"),
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    _need(request, "exchanges.add_programme")
    owner = acting_organisation(request.user, roles=OFFERING_ROLES)
    if owner is None:
        raise PermissionDenied
    user = signed_in_user(request)
    form = ProgrammeForm(request.POST or None, user=request.user)
    return form_view(
        request,
        form,
        save=lambda data: services.programme_create(actor=user, owner=owner, data=data),
        template="exchanges/programme_form.html",
        success=_("Programme saved."),
    )


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.access_programme(user=request.user, pk=pk)
    _need(request, "exchanges.change_programme", programme)
    user = signed_in_user(request)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    return form_view(
        request,
        form,
        save=lambda data: services.programme_update(actor=user, programme=programme, data=data),
        template="exchanges/programme_form.html",
        success=_("Programme saved."),
        context={"programme": programme},
    )


# -- rounds ------------------------------------------------------------------------------------


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    _need(request, "exchanges.add_round")
    owner = acting_organisation(request.user, roles=STAFF_ROLES)
    if owner is None:
        raise PermissionDenied
    user = signed_in_user(request)
    form = RoundForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.round_create(actor=user, owner=owner, data=data),
        template="exchanges/round_form.html",
        success=_("Round saved."),
    )


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.access_round(user=request.user, pk=pk)
    coordinating = request.user.has_perm("exchanges.coordinate_round", round_)
    context: dict[str, Any] = {
        "round": round_,
        "programmes": selectors.programme_list(user=request.user, round_=round_),
        "coordinating": coordinating,
        "can_apply": request.user.has_perm("exchanges.apply"),
        "today": timezone.localdate(),
    }
    if coordinating:
        applications = round_.applications.filter(status=ApplicationStatus.SUBMITTED)
        context.update(
            applications=applications.count(),
            shown=selectors.shown_to_staff().filter(round=round_).count(),
            runs=selectors.run_list(round_=round_)[:10],
        )
    return render(request, "exchanges/round.html", context)


# -- applying ----------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.access_round(user=request.user, pk=pk)
    _need(request, "exchanges.apply")
    user = signed_in_user(request)
    existing = round_.applications.filter(student=user).first()
    if existing is not None and request.method != "POST":
        messages.info(request, _("You have already applied to this round."))
        return redirect(existing)
    today = timezone.localdate()
    programmes = selectors.open_programmes(user=request.user, round_=round_, on=today)
    form = ApplicationForm(request.POST or None, user=request.user, programmes=programmes)

    def save(data: dict[str, Any]) -> Any:
        application = services.application_create(
            actor=user,
            round_=round_,
            data=data,
            programmes=form.ranked_programmes(),
            base_url=_base_url(request),
        )
        # the agreement ticked on the form goes into the consent ledger
        consent_give(subject=user, purpose=Purpose.EXCHANGES, actor=user)
        return application

    return form_view(
        request,
        form,
        save=save,
        template="exchanges/apply.html",
        success=_("Application sent."),
        context={"round": round_, "programmes": programmes},
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exchanges/mine.html",
        {"applications": selectors.my_applications(user=request.user)},
    )


def _provision_abroad(reader: User, application: Application) -> None:
    """A host or reviewer in another country opening the application is a provision abroad,
    recorded for the student's privacy page once per organisation and day; it rests on the
    student's (or guardian's) consent to the exchange application (docs/privacy.md)."""
    student = application.student
    recipients = abroad.recipients_abroad(reader, abroad.home_countries(student))
    if not recipients:
        return
    with translation.override(student.language or "en"):
        what = _("Your exchange application (%(round)s)") % {"round": application.round}
    basis = latest_line(student, Purpose.EXCHANGES)
    abroad.provision_shown(
        user=student,
        recipients=recipients,
        what=what,
        honour_withdrawal=False,
        basis=basis if basis is not None and basis.action == ConsentAction.GIVEN else None,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.access_application(user=request.user, pk=pk)
    own = application.student_id == request.user.pk
    coordinating = request.user.has_perm("exchanges.coordinate_round", application.round)
    outcome = selectors.published_outcome(application)
    context: dict[str, Any] = {
        "application": application,
        "own": own,
        # What a host or reviewer sees of a minor is the minimum (decision 0013).
        "full": own or coordinating or not application.is_minor,
        "choices": selectors.choices_seen_by(user=request.user, application=application),
        "documents": application.documents.all(),
        "referees": application.referees.all(),
        "consent": selectors.current_consent(application),
        "outcome": outcome if (own or coordinating) else None,
        "open": application.status == ApplicationStatus.SUBMITTED,
    }
    if not own:
        _provision_abroad(signed_in_user(request), application)
    if own:
        context.update(
            document_form=DocumentForm(),
            referee_form=RefereeForm(),
            consent_form=ConsentRequestForm(initial={"language": signed_in_user(request).language}),
        )
    return render(request, "exchanges/application.html", context)


def _own_application(request: HttpRequest, pk: int) -> Any:
    application = selectors.access_application(user=request.user, pk=pk)
    _need(request, "exchanges.change_application", application)
    return application


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    try:
        services.application_withdraw(actor=signed_in_user(request), application=application)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                actor=signed_in_user(request),
                application=application,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Document added."))
    else:
        _form_errors(request, form)
    return redirect(application)


@login_required
def document_download(request: HttpRequest, pk: int, document: int) -> FileResponse:
    application = selectors.access_application(user=request.user, pk=pk)
    found = ApplicationDocument.objects.filter(application=application, pk=document).first()
    if found is None:
        raise Http404
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition(
        found.original_name, file_extension(found.original_name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def referee_ask(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = RefereeForm(request.POST)
    if form.is_valid():
        try:
            services.referee_ask(
                actor=signed_in_user(request),
                application=application,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("We emailed your referee a link to answer."))
    else:
        _form_errors(request, form)
    return redirect(application)


@login_required
@require_POST
def consent_ask(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = ConsentRequestForm(request.POST)
    if form.is_valid():
        try:
            services.consent_request(
                actor=signed_in_user(request),
                application=application,
                data=form.cleaned_data,
                base_url=_base_url(request),
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("We emailed your parent or guardian a link to confirm."))
    else:
        _form_errors(request, form)
    return redirect(application)


@login_required
@require_POST
def placement_decline(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    try:
        services.placement_decline(actor=signed_in_user(request), application=application)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("You declined your place. It goes to another student."))
    return redirect(application)


# -- signed links (no account) -----------------------------------------------------------------


def referee_answer(request: HttpRequest, token: str) -> HttpResponse:
    found = tokens.read_referee_link(token)
    referee = (
        Referee.objects.select_related("application__student", "application__round")
        .filter(pk=found[0])
        .first()
        if found
        else None
    )
    if referee is None or found is None or not referee.token.startswith(found[1]):
        return render(request, "exchanges/link_invalid.html", status=404)
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referee_answer(referee=referee, reference=form.cleaned_data["reference"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your reference was sent."))
            return redirect(request.path)
    referee.refresh_from_db()
    return render(request, "exchanges/referee.html", {"referee": referee, "form": form})


def consent_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's page, in the guardian's language (or the one chosen in the header):
    confirm, or withdraw later."""
    found = tokens.read_consent_link(token)
    consent = (
        GuardianConsent.objects.select_related("application__student", "application__round")
        .filter(pk=found[0])
        .first()
        if found
        else None
    )
    if consent is None or found is None or not consent.token.startswith(found[1]):
        return render(request, "exchanges/link_invalid.html", status=404)
    # The guardian's language, unless the reader chose one with the language switch.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = chosen if chosen in dict(settings.LANGUAGES) else consent.language
    with translation.override(language):
        if request.method == "POST":
            action = request.POST.get("action")
            try:
                if action == "confirm":
                    services.consent_confirm(consent=consent)
                    messages.success(request, _("Thank you: your consent is recorded."))
                elif action == "withdraw":
                    services.consent_withdraw(consent=consent)
                    messages.success(request, _("Your consent is withdrawn."))
            except ValidationError as error:
                _errors(request, error)
            return redirect(request.path)
        consent.refresh_from_db()
        response = render(
            request,
            "exchanges/consent.html",
            {
                "consent": consent,
                "choices": consent.application.choices.select_related("programme__host"),
            },
        )
        response["Content-Language"] = language
        return response


# -- reviewing ---------------------------------------------------------------------------------


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.access_programme(user=request.user, pk=pk)
    _need(request, "exchanges.review_programme", programme)
    return render(
        request,
        "exchanges/review.html",
        {
            "programme": programme,
            "rows": selectors.review_sheet(user=request.user, programme=programme),
            "can_order": request.user.has_perm("exchanges.order_programme", programme),
            "manual": programme.score_method == ScoreMethod.MANUAL,
        },
    )


@login_required
@require_POST
def score_save(request: HttpRequest, pk: int) -> HttpResponse:
    choice = (
        Choice.objects.filter(
            pk=pk,
            application__in=selectors.shown_to_staff(),
            programme__in=selectors.programme_list(user=request.user),
        )
        .select_related("programme__round")
        .first()
    )
    if choice is None:
        raise Http404
    _need(request, "exchanges.review_programme", choice.programme)
    form = ScoreForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.score_save(
                actor=signed_in_user(request),
                choice=choice,
                score=data["score"] if data["score"] is not None else None,
                conflict=data["conflict"],
                conflict_reason=data["conflict_reason"],
                comment=data["comment"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Score saved."))
    else:
        _form_errors(request, form)
    return redirect("exchanges:review", choice.programme_id)


@login_required
@require_POST
def order_save(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.access_programme(user=request.user, pk=pk)
    _need(request, "exchanges.order_programme", programme)
    rows = selectors.review_sheet(user=request.user, programme=programme)
    try:
        order = parse_order(request.POST, [row.choice.pk for row in rows])
        services.manual_order_save(
            actor=signed_in_user(request), programme=programme, choice_ids=order
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Order saved."))
    return redirect("exchanges:review", programme.pk)


# -- placement ---------------------------------------------------------------------------------


@login_required
@require_POST
def run_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.access_round(user=request.user, pk=pk)
    _need(request, "exchanges.coordinate_round", round_)
    try:
        run = services.placement_request(actor=signed_in_user(request), round_=round_)
    except ValidationError as error:
        _errors(request, error)
        return redirect(round_)
    messages.success(request, _("The placement is being computed; this page shows it when ready."))
    return redirect(run)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(user=request.user, pk=pk)
    _need(request, "exchanges.coordinate_round", run.round)
    show = request.GET.get("show", "unplaced")
    if show not in selectors.DRAFT_VIEWS:
        show = "unplaced"
    page = int_param(request.GET.get("page"), minimum=1, maximum=100_000) or 1
    report = selectors.draft_report(run=run, show=show, page=page)
    return render(
        request,
        "exchanges/run.html",
        {"run": run, "report": report, "show": show, "draft": run.status == RunStatus.DRAFT},
    )


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(user=request.user, pk=pk)
    _need(request, "exchanges.coordinate_round", run.round)
    try:
        services.placement_publish(actor=signed_in_user(request), run=run)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Placement published: students see their place."))
    return redirect(run)

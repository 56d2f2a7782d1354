"""Pages of courses and festivals: fetch with a selector, check a rule, call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.core.access import signed_in_user
from setu.core.pdf import render_pdf
from setu.core.views_helpers import form_view
from setu.culture import selectors
from setu.culture.forms import (
    AttendanceForm,
    CompleteForm,
    CourseForm,
    ProgrammeItemForm,
    ShiftForm,
)
from setu.culture.models import Course, Enrolment
from setu.culture.services import courses, festivals
from setu.events.models import EventKind, RegistrationStatus
from setu.events.selectors import access_event, waitlist_place


def _error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- courses ---------------------------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "culture/course_list.html", {"courses": selectors.course_list(user=request.user)}
    )


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.access_course(user=request.user, pk=pk)
    can_run = request.user.has_perm("culture.run_course", course)
    can_take = request.user.has_perm("culture.take_attendance", course)
    mine = selectors.current_enrolment(user=request.user, course=course)
    context: dict[str, Any] = {
        "course": course,
        "event": course.event,
        "sessions": selectors.course_sessions(course),
        "mine": mine,
        "can_run": can_run,
        "can_take": can_take,
        "can_join": request.user.has_perm("culture.join"),
    }
    if mine is not None:
        context["progress"] = selectors.enrolment_progress(mine)
        if mine.registration.status == RegistrationStatus.WAITLISTED:
            context["place"] = waitlist_place(mine.registration)
    if can_run or can_take:
        context["rows"] = selectors.learner_page(course, number=request.GET.get("page"))
    return render(request, "culture/course_detail.html", context)


@login_required
def course_setup(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = access_event(user=request.user, pk=event_pk)
    if not request.user.has_perm("events.change_event", event):
        raise PermissionDenied
    existing = selectors.course_for_event(event=event)
    initial: dict[str, Any] = {"attendance_needed": 75}
    if existing is not None:
        initial = {
            "track": existing.track,
            "level_from": existing.level_from,
            "level_to": existing.level_to,
            "teacher_email": existing.teacher.email if existing.teacher else "",
            "teacher_name": existing.teacher_name,
            "attendance_needed": existing.attendance_needed,
        }
    form = CourseForm(request.POST or None, initial=initial)
    if event.kind != EventKind.COURSE:
        form.add_error(None, _("Only an event of the kind “Course session” can be a course."))
    user = signed_in_user(request)
    return form_view(
        request,
        form,
        save=lambda data: courses.course_save(event=event, actor=user, data=data),
        template="culture/course_form.html",
        success=_("The course details are saved."),
        context={"event": event, "course": existing},
    )


@require_POST
@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.access_course(user=request.user, pk=pk)
    try:
        enrolment = courses.enrolment_create(course=course, learner=signed_in_user(request))
    except ValidationError as error:
        _error(request, error)
    else:
        if enrolment.registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(
                request,
                _("The course is full: you are on its waitlist until a seat frees."),
            )
        elif enrolment.registration.status == RegistrationStatus.PENDING:
            messages.success(request, _("Your enrolment awaits the organisers' approval."))
        else:
            messages.success(request, _("You are enrolled. See you in class!"))
    return redirect(course)


@require_POST
@login_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.access_course(user=request.user, pk=pk)
    mine = selectors.current_enrolment(user=request.user, course=course)
    if mine is None:
        messages.error(request, _("You are not enrolled in this course."))
        return redirect(course)
    try:
        courses.enrolment_leave(enrolment=mine, actor=signed_in_user(request))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("You have left the course."))
    return redirect(course)


@login_required
def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    course = selectors.access_course(user=request.user, pk=pk)
    if not request.user.has_perm("culture.take_attendance", course):
        raise PermissionDenied
    session = selectors.access_session(course=course, pk=session_pk)
    sheet = selectors.attendance_sheet(course, session)
    learners = [(e.pk, e.learner.display_name) for e, _present in sheet]
    initial = {"present": [e.pk for e, present in sheet if present]}
    form = AttendanceForm(request.POST or None, initial=initial, learners=learners)
    if request.method == "POST" and form.is_valid():
        try:
            count = courses.attendance_take(
                course=course,
                session=session,
                present_ids=form.cleaned_data["present"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(present)s of %(seated)s present.")
                % {"present": count, "seated": len(learners)},
            )
            return redirect(course)
    return render(
        request,
        "culture/attendance.html",
        {"course": course, "event": course.event, "session": session, "form": form},
    )


def _run_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = selectors.access_enrolment(user=request.user, pk=pk)
    if not request.user.has_perm("culture.run_course", enrolment.course):
        raise PermissionDenied
    return enrolment


@login_required
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _run_enrolment(request, pk)
    form = CompleteForm(request.POST or None, initial={"level_reached": enrolment.level_reached})
    user = signed_in_user(request)
    return form_view(
        request,
        form,
        save=lambda data: courses.enrolment_complete(
            enrolment=enrolment, level_reached=data["level_reached"], actor=user
        ),
        template="culture/complete_form.html",
        success=_("The course is marked completed; the certificate can be downloaded."),
        context={
            "enrolment": enrolment,
            "course": enrolment.course,
            "progress": selectors.enrolment_progress(enrolment),
        },
    )


def _certificate_languages(enrolment: Enrolment) -> list[str]:
    """English and Japanese always; Hindi too when it is the learner's language."""
    hindi = "hi" in (enrolment.learner.language, enrolment.registration.language)
    return ["en", "ja", "hi"] if hindi else ["en", "ja"]


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.access_enrolment(user=request.user, pk=pk)
    if enrolment.completed_at is None:
        messages.error(request, _("The certificate is ready once the course is completed."))
        return redirect(enrolment.course)
    course: Course = enrolment.course
    pdf = render_pdf(
        "culture/certificate.html",
        {
            "enrolment": enrolment,
            "course": course,
            "event": course.event,
            "learner": enrolment.learner,
            "progress": selectors.enrolment_progress(enrolment),
            "languages": _certificate_languages(enrolment),
        },
        language="en",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(enrolment.learner.email.split("@")[0]) or "learner"
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{enrolment.certificate_number}-{name}.pdf"'
    )
    return response


# --- festivals -------------------------------------------------------------------------------


def festival_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "culture/festival_list.html",
        {"festivals": selectors.festival_list(user=request.user)},
    )


def festival_detail(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = selectors.access_festival(user=request.user, pk=event_pk)
    can_organise = request.user.has_perm("culture.organise_festival", event)
    shifts = selectors.shifts(event, user=request.user)
    if can_organise:
        names = selectors.shift_volunteers([shift.pk for shift in shifts])
        for shift in shifts:
            shift.volunteer_names = names.get(shift.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "culture/festival_detail.html",
        {
            "event": event,
            "items": selectors.programme(event),
            "shifts": shifts,
            "can_organise": can_organise,
            "can_join": request.user.has_perm("culture.join"),
        },
    )


def _organised_festival(request: HttpRequest, event_pk: int) -> Any:
    event = selectors.access_festival(user=request.user, pk=event_pk)
    if not request.user.has_perm("culture.organise_festival", event):
        raise PermissionDenied
    return event


def _festival_form(
    request: HttpRequest,
    event_pk: int,
    form_class: type[ProgrammeItemForm] | type[ShiftForm],
    create: Any,
    *,
    success: str,
    title: str,
) -> HttpResponse:
    """Add a programme item or a shift to a festival its organiser runs: one page shape."""
    event = _organised_festival(request, event_pk)
    form = form_class(request.POST or None, venue_zone=event.venue_zone)
    user = signed_in_user(request)
    return form_view(
        request,
        form,
        save=lambda data: create(event=event, actor=user, data=data),
        template="culture/festival_form.html",
        success=success,
        context={"event": event, "title": title},
    )


@login_required
def item_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    return _festival_form(
        request,
        event_pk,
        ProgrammeItemForm,
        festivals.programme_item_create,
        success=_("The programme item is added."),
        title=_("Add to the programme"),
    )


@require_POST
@login_required
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_programme_item(user=request.user, pk=pk)
    event = _organised_festival(request, item.event_id)
    festivals.programme_item_delete(item=item, actor=signed_in_user(request))
    messages.success(request, _("The programme item is removed."))
    return redirect("culture:festival", event_pk=event.pk)


@login_required
def shift_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    return _festival_form(
        request,
        event_pk,
        ShiftForm,
        festivals.shift_create,
        success=_("The volunteer shift is added."),
        title=_("Add a volunteer shift"),
    )


@require_POST
@login_required
def shift_signup(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.access_shift(user=request.user, pk=pk)
    try:
        festivals.shift_signup(shift=shift, volunteer=signed_in_user(request))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Thank you: you are signed up for this shift."))
    return redirect("culture:festival", event_pk=shift.event_id)


@require_POST
@login_required
def shift_leave(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.access_shift(user=request.user, pk=pk)
    try:
        festivals.shift_leave(shift=shift, volunteer=signed_in_user(request))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("You have left the shift."))
    return redirect("culture:festival", event_pk=shift.event_id)

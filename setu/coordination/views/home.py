"""The coordination home, the action board and the shared calendar with its feed."""

from __future__ import annotations

import calendar as calendar_module
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.coordination import notices, selectors
from setu.coordination.calendar import calendar_ics
from setu.coordination.models import CalendarFeedToken, Invitee, Rsvp
from setu.coordination.views.common import needs, pick, signed_in
from setu.core.params import date_param
from setu.core.principal import principal_for

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


@login_required
@needs("coordination.view_staff_pages")
def home(request: HttpRequest) -> HttpResponse:
    """What needs the member's attention: clashes, answers owed, overdue items, what is next."""
    user = signed_in(request)
    principal = principal_for(user)
    now = timezone.now()
    rsvps = (
        Invitee.objects.filter(
            Q(user=user) | Q(organisation__in=principal.org_ids),
            rsvp=Rsvp.PENDING,
            meeting__ends_at__gt=now,
        )
        .select_related("meeting", "organisation")
        .order_by("meeting__starts_at")[:10]
    )
    context = {
        "notices": notices.notice_list(user=user),
        "all_notices": notices.notice_list(user=user, everything=True)
        if principal.is_secretariat
        else [],
        "rsvps": list(rsvps),
        "actions": selectors.with_permissions(
            selectors.action_board(user=user, scope="mine")[:8], user
        ),
        "meetings": list(selectors.meeting_list(user=user)[:5]),
        "missions": list(selectors.mission_list(user=user)[:5]),
        "today": timezone.localdate(),
        "can_add_mission": user.has_perm("coordination.add_mission"),
    }
    return render(request, "coordination/home.html", context)


@login_required
@needs("coordination.use")
def action_board(request: HttpRequest) -> HttpResponse:
    """A member's action items (its own, or also those shared with it), overdue first."""
    user = signed_in(request)
    scope = pick(request.GET.get("scope"), ("mine", "all"), "all")
    state = pick(request.GET.get("state"), ("open", "closed", "all"), "open")
    items = selectors.action_board(user=user, scope=scope, state=state)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/action_board.html",
        {
            "page": page,
            "actions": selectors.with_permissions(page.object_list, user),
            "scope": scope,
            "state": state,
        },
    )


def _parse_day(value: str | None) -> date:
    return date_param(value) or timezone.localdate()


@login_required
@needs("coordination.use")
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Month, week or list of the meetings and missions the user may see, in their zone."""
    user = signed_in(request)
    mode = pick(request.GET.get("view"), ("month", "week", "list"), "month")
    anchor = _parse_day(request.GET.get("date"))
    tz = timezone.get_current_timezone()
    if mode == "month":
        first = anchor.replace(day=1)
        days_in_month = calendar_module.monthrange(first.year, first.month)[1]
        start = first - timedelta(days=first.weekday())
        last = first.replace(day=days_in_month)
        end = last + timedelta(days=6 - last.weekday())
        previous = (first - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
    elif mode == "week":
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=6)
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    else:
        start, end = anchor, anchor + timedelta(days=89)
        previous, following = start - timedelta(days=90), end + timedelta(days=1)
    window_start = datetime.combine(start, time.min, tz)
    window_end = datetime.combine(end + timedelta(days=1), time.min, tz)
    entries = selectors.calendar_entries(user, window_start, window_end)
    by_day: dict[date, list[selectors.CalendarEntry]] = {}
    for entry in entries:
        for day in entry.days(tz):
            if start <= day <= end:
                by_day.setdefault(day, []).append(entry)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    weeks = [
        [(day, by_day.get(day, [])) for day in days[i : i + 7]] for i in range(0, len(days), 7)
    ]
    token = CalendarFeedToken.objects.filter(user=user).first()
    return render(
        request,
        "coordination/calendar.html",
        {
            "mode": mode,
            "anchor": anchor,
            "start": start,
            "end": end,
            "weeks": weeks,
            "entries": entries,
            "list_days": [(day, by_day[day]) for day in days if day in by_day],
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "month_start": anchor.replace(day=1),
            "feed_url": request.build_absolute_uri(
                reverse("coordination:calendar_feed", args=[token.token])
            )
            if token
            else "",
        },
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's calendar as iCalendar, for a calendar app; the secret token is the key."""
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    now = timezone.now()
    entries = selectors.calendar_entries(feed.user, now - FEED_PAST, now + FEED_FUTURE)
    body = calendar_ics(
        entries, name=_("Setu coordination calendar"), base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="setu-coordination.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required
@needs("coordination.use")
def calendar_feed_reset(request: HttpRequest) -> HttpResponse:
    """Create the feed address, or replace it (the old address stops working)."""
    user = signed_in(request)
    feed, created = CalendarFeedToken.objects.get_or_create(user=user)
    if not created:
        feed.rotate()
        feed.save(update_fields=["token"])
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
    else:
        messages.success(request, _("Your calendar address is ready. Add it to your calendar app."))
    return redirect("coordination:calendar")

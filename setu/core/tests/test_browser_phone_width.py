"""At 390 px no page scrolls sideways: every list and detail page of every app, in en, ja, hi.

The demo network is loaded and given the titles that break layouts: a 120-character word
with no break in it, and a long Japanese title. An officer opens every page (anonymous readers
the public ones), and each page must satisfy ``scrollWidth <= innerWidth``. A failure names
every offending page and its widest element. Wide grids scroll inside their own container
(``overflow-x: auto``), which is allowed: only the page itself must not scroll sideways.

``PAGES`` must name every URL pattern of the apps, or say in ``NOT_PAGES`` why a pattern is
not a list or detail page (a form, a POST action, a file), so a new page is measured too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from setu.accounts.models import User
from setu.browser import artifact
from setu.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "officer.shizuoka@demo.setu.example"
SECRETARIAT = "secretariat@demo.setu.example"
WIDTH = 390
LONG_WORD = ("Hydrogenfuelcellelectrolyserconsortium" * 4)[:120]
LONG_JA = (
    "静岡県・山梨県・富山県とマハーラーシュトラ州による水素・燃料電池・再生可能エネルギー"
    "分野の共同投資セミナーおよび企業間商談会（ムンバイ開催）"
)
APPS = (
    "directory", "events", "matchmaking", "coordination", "library", "webhooks", "exchanges",
    "culture", "results", "tourism", "api", "api_tokens", "privacy",
)  # fmt: skip


def _long_titles() -> dict[str, Any]:
    """Give one record of each app the long titles; return the records the pages need."""
    from setu.coordination.models import AgendaItem, Meeting, MeetingSeries, Mission
    from setu.directory.models import Organisation, Partnership, Person
    from setu.events import tokens
    from setu.events.models import Attendee, Event
    from setu.library.models import Announcement, Collection, Document
    from setu.matchmaking.demo import EVENT_TITLE
    from setu.matchmaking.models import Interpreter, Matchmaking, Participant, ScheduleRun
    from setu.matchmaking.models import Meeting as Talk

    long_en = f"Seminar {LONG_WORD} Mumbai"
    event = Event.objects.get(title_en=EVENT_TITLE)
    Event.objects.filter(pk=event.pk).update(
        title_en=long_en, title_ja=LONG_JA, title_hi="", visibility="public"
    )
    company = Participant.objects.filter(matchmaking__event=event).first()
    assert company is not None
    Organisation.objects.filter(pk=company.organisation_id).update(
        name_en=f"{LONG_WORD} K.K.", name_ja=LONG_JA
    )
    matchmaking = Matchmaking.objects.get(event=event)
    run = ScheduleRun.objects.filter(matchmaking=matchmaking).order_by("-pk").first()
    assert run is not None
    talk = Talk.objects.filter(run=run).first()
    mission = Mission.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    announcement = Announcement.objects.order_by("pk").first()
    assert mission and meeting and document and announcement
    for model, pk in [
        (Mission, mission.pk),
        (Meeting, meeting.pk),
        (Document, document.pk),
        (Announcement, announcement.pk),
    ]:
        model.objects.filter(pk=pk).update(title_en=long_en, title_ja=LONG_JA)
    from setu.culture.demo import FESTIVAL_TITLE, FINISHED_TITLE
    from setu.culture.models import Course

    course = Course.objects.get(event__title_en=FINISHED_TITLE)
    festival = Event.objects.get(title_en=FESTIVAL_TITLE)
    Event.objects.filter(pk=course.event_id).update(title_en=long_en, title_ja=LONG_JA)
    attendee = Attendee.objects.filter(event=event).select_related("registration").first()
    assert attendee is not None
    return {
        "event": event,
        "participant": company,
        "run": run,
        "talk": talk,
        "interpreter": Interpreter.objects.filter(matchmaking=matchmaking).first(),
        "organisation": company.organisation_id,
        "person": Person.objects.order_by("pk").first(),
        "partnership": Partnership.objects.order_by("pk").first(),
        "registration": attendee.registration.token,
        "ticket": tokens.ticket_token(attendee.pk, attendee.code),
        "series": MeetingSeries.objects.order_by("pk").first(),
        "meeting": meeting,
        "agenda_item": AgendaItem.objects.filter(meeting=meeting).first()
        or AgendaItem.objects.first(),
        "mission": mission,
        "document": document,
        "collection": Collection.objects.order_by("pk").first(),
        "announcement": announcement,
        **_webhook_records(long_en),
        **_tourism_records(long_en),
        "course": course,
        "festival": festival,
    }


def _webhook_records(long_text: str) -> dict[str, Any]:
    """Shizuoka's sample webhook, with a delivery whose payload is one long unbroken word."""
    from django.utils import timezone

    from setu.webhooks.models import Delivery, Subscription

    subscription = Subscription.objects.order_by("pk").first()
    assert subscription is not None
    delivery = Delivery.objects.create(
        subscription=subscription,
        kind="event.published",
        payload={"title": {"en": long_text}},
        occurred_at=timezone.now(),
    )
    return {"subscription": subscription, "delivery": delivery}


Build = Callable[[dict[str, Any]], str]


def _results_lead() -> int:
    """The demo's first Shizuoka lead with a deal, given the long titles."""
    from setu.results.models import Lead

    lead = Lead.objects.filter(owner__region_id="JP-22", deal__isnull=False).order_by("pk").first()
    assert lead is not None
    Lead.objects.filter(pk=lead.pk).update(title=f"{LONG_WORD} {LONG_JA}"[:200])
    return lead.pk


def _results_survey() -> int:
    from setu.results.models import Survey

    survey = Survey.objects.filter(owner__region_id="JP-22").order_by("pk").first()
    assert survey is not None
    return survey.pk


def _results_cost_event() -> int:
    """A past event of Shizuoka with its costs (the demo enters them)."""
    from setu.results.models import EventCost

    cost = EventCost.objects.filter(event__owner__region_id="JP-22").order_by("pk").first()
    assert cost is not None
    return cost.event_id


def _results_report() -> int:
    """An annual report of Shizuoka, ready (the page shows its status and download)."""
    from setu.core.models import Visibility
    from setu.directory.models import Organisation
    from setu.results.models import AnnualReport, ReportStatus

    shizuoka = Organisation.objects.get(region_id="JP-22", kind="member_prefecture")
    report = AnnualReport.objects.create(
        owner=shizuoka, visibility=Visibility.PRIVATE, member=shizuoka, fiscal_year=2026,
        language="ja", status=ReportStatus.DONE, progress=100, pdf=b"%PDF-1.7",
    )  # fmt: skip
    return report.pk


def _tourism_records(long_en: str) -> dict[str, Any]:
    """Shizuoka's destination page with the long titles, published, and a place named so."""
    from setu.tourism.models import Destination
    from setu.tourism.services import destination_publish

    page = Destination.objects.get(region_id="JP-22")
    Destination.objects.filter(pk=page.pk).update(title_en=long_en, title_ja=LONG_JA)
    page.places.filter(pk=page.places.order_by("pk").values("pk")[:1]).update(name_en=long_en)
    page.refresh_from_db()
    destination_publish(destination=page, actor=User.objects.get(email=OFFICER))
    return {}


def _tourism_fair(name: str, *, booth: bool = False) -> str:
    from setu.events.models import Event
    from setu.tourism.demo import FAIR_TITLE
    from setu.tourism.models import Booth

    event = Event.objects.get(title_en=FAIR_TITLE)
    if not booth:
        return reverse(f"tourism:{name}", args=[event.pk])
    first = Booth.objects.filter(event=event).order_by("pk").first()
    assert first is not None
    return reverse(f"tourism:{name}", args=[event.pk, first.pk])


def _pk(key: str, name: str) -> Build:
    return lambda r: reverse(name, args=[getattr(r[key], "pk", r[key])])


def _event(name: str, *more: str) -> Build:
    return lambda r: reverse(
        name, args=[r["event"].pk, *(getattr(r[key], "pk", r[key]) for key in more)]
    )


def _exchange(name: str, model: str) -> Build:
    """A page of the demo exchange round's first record; a programme and the round get the
    long titles. The referee and consent pages are reached through their signed links."""

    def build(r: dict[str, Any]) -> str:
        from setu.exchanges import models, tokens

        record = getattr(models, model).objects.order_by("pk").first()
        assert record is not None, model
        if model in ("Programme", "ExchangeRound"):
            type(record).objects.filter(pk=record.pk).update(
                title_en=f"Exchange {LONG_WORD}", title_ja=LONG_JA
            )
        if model == "GuardianConsent":
            return reverse(name, args=[tokens.consent_link_token(record.pk, record.token)])
        if model == "Application" and name == "exchanges:referee":
            referee = record.referees.create(name=LONG_WORD, email="ref@example.org")
            return reverse(name, args=[tokens.referee_link_token(referee.pk, referee.token)])
        return reverse(name, args=[record.pk])

    return build


def _visitor_link(r: dict[str, Any]) -> str:
    """The demo visitor who has not sent details yet, through their signed link."""
    from setu.coordination.models import Visitor
    from setu.coordination.services.visitors import visitor_link

    return visitor_link(Visitor.objects.get(name="Arjun Rao"))


def _privacy(model: str) -> int:
    """The demo's grievance or breach (privacy's demo makes one of each)."""
    from setu.privacy import models

    record = getattr(models, model).objects.order_by("pk").first()
    assert record is not None, model
    return int(record.pk)


# name → (URL, who): public pages are visited by an officer and an anonymous reader; the
# secretariat opens the two pages only it may see
PUBLIC, OFFICER_ONLY, SECRETARIAT_ONLY = "public", "officer", "secretariat"
PAGES: dict[str, tuple[Build, str]] = {
    "home": (lambda r: reverse("home"), PUBLIC),
    "dashboard": (lambda r: reverse("dashboard"), OFFICER_ONLY),
    "audit_log": (lambda r: reverse("audit_log"), OFFICER_ONLY),
    "preferences": (lambda r: reverse("preferences"), OFFICER_ONLY),
    "invitations": (lambda r: reverse("invitations"), OFFICER_ONLY),
    "directory:organisations": (lambda r: reverse("directory:organisations"), PUBLIC),
    "directory:organisation": (_pk("organisation", "directory:organisation"), OFFICER_ONLY),
    "directory:people": (lambda r: reverse("directory:people"), OFFICER_ONLY),
    "directory:person": (_pk("person", "directory:person"), OFFICER_ONLY),
    "directory:partnerships": (lambda r: reverse("directory:partnerships"), PUBLIC),
    "directory:partnership": (_pk("partnership", "directory:partnership"), OFFICER_ONLY),
    "directory:duplicates": (lambda r: reverse("directory:duplicates"), SECRETARIAT_ONLY),
    "directory:merge_history": (lambda r: reverse("directory:merge_history"), SECRETARIAT_ONLY),
    "events:list": (lambda r: reverse("events:list"), PUBLIC),
    "events:calendar": (lambda r: reverse("events:calendar"), PUBLIC),
    "events:detail": (_event("events:detail"), PUBLIC),
    "events:register": (_event("events:register"), PUBLIC),
    "events:register_done": (_event("events:register_done"), PUBLIC),
    "events:registration": (_pk("registration", "events:registration"), PUBLIC),
    "events:ticket": (_pk("ticket", "events:ticket"), PUBLIC),
    "events:mine": (lambda r: reverse("events:mine"), OFFICER_ONLY),
    "events:registrations": (_event("events:registrations"), OFFICER_ONLY),
    "events:statistics": (_event("events:statistics"), OFFICER_ONLY),
    "events:checkin": (_event("events:checkin"), OFFICER_ONLY),
    "matchmaking:market": (_event("matchmaking:market"), OFFICER_ONLY),
    "matchmaking:recommended": (_event("matchmaking:recommended"), OFFICER_ONLY),
    "matchmaking:requests": (_event("matchmaking:requests"), OFFICER_ONLY),
    "matchmaking:participant": (_event("matchmaking:participant", "participant"), OFFICER_ONLY),
    "matchmaking:participants": (_event("matchmaking:participants"), OFFICER_ONLY),
    "matchmaking:setup": (_event("matchmaking:setup"), OFFICER_ONLY),
    "matchmaking:schedule": (_event("matchmaking:schedule"), OFFICER_ONLY),
    "matchmaking:schedule_detail": (_event("matchmaking:schedule_detail", "run"), OFFICER_ONLY),
    "matchmaking:schedule_grid": (_event("matchmaking:schedule_grid", "run"), OFFICER_ONLY),
    "matchmaking:outcome_summary": (_event("matchmaking:outcome_summary"), OFFICER_ONLY),
    "matchmaking:interpreters": (_event("matchmaking:interpreters"), OFFICER_ONLY),
    "matchmaking:interpreter_agenda": (
        _event("matchmaking:interpreter_agenda", "interpreter"),
        OFFICER_ONLY,
    ),
    "matchmaking:agenda": (_event("matchmaking:agenda"), OFFICER_ONLY),
    "matchmaking:agenda_participant": (
        _event("matchmaking:agenda_participant", "participant"),
        OFFICER_ONLY,
    ),
    "exchanges:home": (lambda r: reverse("exchanges:home"), PUBLIC),
    "exchanges:mine": (lambda r: reverse("exchanges:mine"), OFFICER_ONLY),
    "exchanges:round": (_exchange("exchanges:round", "ExchangeRound"), PUBLIC),
    "exchanges:programme": (_exchange("exchanges:programme", "Programme"), PUBLIC),
    "exchanges:review": (_exchange("exchanges:review", "Programme"), OFFICER_ONLY),
    "exchanges:application": (_exchange("exchanges:application", "Application"), OFFICER_ONLY),
    "exchanges:run": (_exchange("exchanges:run", "PlacementRun"), OFFICER_ONLY),
    "exchanges:referee": (_exchange("exchanges:referee", "Application"), PUBLIC),
    "coordination:visitor_form": (_visitor_link, PUBLIC),
    "exchanges:consent": (_exchange("exchanges:consent", "GuardianConsent"), PUBLIC),
    "coordination:home": (lambda r: reverse("coordination:home"), OFFICER_ONLY),
    "coordination:actions": (lambda r: reverse("coordination:actions"), OFFICER_ONLY),
    "coordination:calendar": (lambda r: reverse("coordination:calendar"), OFFICER_ONLY),
    "coordination:series": (_pk("series", "coordination:series"), OFFICER_ONLY),
    "coordination:meetings": (lambda r: reverse("coordination:meetings"), OFFICER_ONLY),
    "coordination:meeting": (_pk("meeting", "coordination:meeting"), OFFICER_ONLY),
    "coordination:minutes_history": (
        _pk("agenda_item", "coordination:minutes_history"),
        OFFICER_ONLY,
    ),
    "coordination:missions": (lambda r: reverse("coordination:missions"), OFFICER_ONLY),
    "coordination:mission": (_pk("mission", "coordination:mission"), OFFICER_ONLY),
    "coordination:mission_report": (_pk("mission", "coordination:mission_report"), OFFICER_ONLY),
    "library:home": (lambda r: reverse("library:home"), PUBLIC),
    "library:search": (lambda r: reverse("library:search") + "?q=hydrogen", PUBLIC),
    "library:documents": (lambda r: reverse("library:documents"), PUBLIC),
    "library:document": (_pk("document", "library:document"), OFFICER_ONLY),
    "library:collections": (lambda r: reverse("library:collections"), OFFICER_ONLY),
    "library:collection": (_pk("collection", "library:collection"), OFFICER_ONLY),
    "library:briefs": (lambda r: reverse("library:briefs"), OFFICER_ONLY),
    "library:announcements": (lambda r: reverse("library:announcements"), PUBLIC),
    "library:announcement": (_pk("announcement", "library:announcement"), OFFICER_ONLY),
    "library:notifications": (lambda r: reverse("library:notifications"), OFFICER_ONLY),
    "webhooks:list": (lambda r: reverse("webhooks:list"), OFFICER_ONLY),
    "webhooks:detail": (_pk("subscription", "webhooks:detail"), OFFICER_ONLY),
    "webhooks:delivery": (_pk("delivery", "webhooks:delivery"), OFFICER_ONLY),
    "culture:courses": (lambda r: reverse("culture:courses"), PUBLIC),
    "culture:course": (_pk("course", "culture:course"), PUBLIC),
    "culture:festivals": (lambda r: reverse("culture:festivals"), PUBLIC),
    "culture:festival": (_pk("festival", "culture:festival"), PUBLIC),
    # tourism: Shizuoka's page (the officer's prefecture), published with the long titles
    "tourism:index": (lambda r: reverse("tourism:index"), PUBLIC),
    "tourism:destination": (lambda r: reverse("tourism:destination", args=["JP-22"]), PUBLIC),
    "tourism:edit": (lambda r: reverse("tourism:edit", args=["JP-22"]), OFFICER_ONLY),
    "tourism:preview": (lambda r: reverse("tourism:preview", args=["JP-22"]), OFFICER_ONLY),
    # the demo's Mumbai roadshow, a travel fair hosted by Shizuoka
    "tourism:fair_booths": (lambda r: _tourism_fair("fair_booths"), OFFICER_ONLY),
    "tourism:fair_booth_edit": (
        lambda r: _tourism_fair("fair_booth_edit", booth=True),
        OFFICER_ONLY,
    ),
    # results: the demo's leads and surveys of Shizuoka, the officer's prefecture
    "privacy:portal": (lambda r: reverse("privacy:portal"), OFFICER_ONLY),
    "privacy:notice": (lambda r: reverse("privacy:notice", args=["abroad"]), PUBLIC),
    "privacy:dpo": (lambda r: reverse("privacy:dpo"), SECRETARIAT_ONLY),
    "privacy:dpo_grievance": (
        lambda r: reverse("privacy:dpo_grievance", args=[_privacy("Grievance")]),
        SECRETARIAT_ONLY,
    ),
    "privacy:breach": (
        lambda r: reverse("privacy:breach", args=[_privacy("Breach")]),
        SECRETARIAT_ONLY,
    ),
    "results:board": (lambda r: reverse("results:board"), OFFICER_ONLY),
    "results:leads": (lambda r: reverse("results:leads"), OFFICER_ONLY),
    "results:lead": (lambda r: reverse("results:lead", args=[_results_lead()]), OFFICER_ONLY),
    "results:mous": (lambda r: reverse("results:mous"), OFFICER_ONLY),
    "results:surveys": (lambda r: reverse("results:surveys"), OFFICER_ONLY),
    "results:survey": (lambda r: reverse("results:survey", args=[_results_survey()]), OFFICER_ONLY),
    "results:event_costs": (
        lambda r: reverse("results:event_costs", args=[_results_cost_event()]),
        OFFICER_ONLY,
    ),
    "api_tokens:list": (lambda r: reverse("api_tokens:list"), OFFICER_ONLY),
    # KPIs: Shizuoka's dashboard (the officer's default), the annual reports
    "results:kpi": (lambda r: reverse("results:kpi"), OFFICER_ONLY),
    "results:kpi_reports": (lambda r: reverse("results:kpi_reports"), OFFICER_ONLY),
    "results:kpi_report": (
        lambda r: reverse("results:kpi_report", args=[_results_report()]),
        OFFICER_ONLY,
    ),
}

# Patterns that are not list or detail pages: forms (create/edit/add), POST-only actions,
# files and feeds, print versions, htmx fragments, and pages reached only with a one-off key.
NOT_PAGES = {
    "privacy:consent", "privacy:export_request", "privacy:export", "privacy:erasure",
    "privacy:grievance_new", "privacy:breach_new",
    "webhooks:create", "webhooks:edit", "webhooks:test", "webhooks:toggle", "webhooks:rotate",
    "webhooks:delete", "webhooks:redeliver",
    "set_language", "invitation_revoke", "invitation_accept",
    "directory:organisation_create", "directory:organisation_edit", "directory:person_create",
    "directory:person_edit", "directory:partnership_create", "directory:partnership_edit",
    "directory:import", "directory:import_template", "directory:import_batch",
    "directory:import_commit", "directory:import_result", "directory:export",
    "directory:people_export", "directory:duplicate_dismiss", "directory:organisation_merge",
    "directory:organisation_manage",
    "events:ics", "events:feed_public", "events:feed_personal", "events:confirm_email",
    "events:registration_cancel", "events:registration_claim", "events:cancel_link",
    "events:ticket_qr", "events:feed_reset", "events:create", "events:edit", "events:agenda",
    "events:categories", "events:questions", "events:registration_action", "events:message",
    "events:export", "events:checkin_counts",
    "matchmaking:join", "matchmaking:request_action", "matchmaking:request_create",
    "matchmaking:profile", "matchmaking:leave", "matchmaking:slot_tables",
    "matchmaking:participant_add", "matchmaking:schedule_run", "matchmaking:schedule_reschedule",
    "matchmaking:schedule_status", "matchmaking:schedule_publish",
    "matchmaking:schedule_unpublish", "matchmaking:schedule_export", "matchmaking:schedule_move",
    "matchmaking:schedule_remove", "matchmaking:schedule_place", "matchmaking:agenda_print",
    "matchmaking:agenda_ics", "matchmaking:agenda_feed", "matchmaking:outcome_record",
    "matchmaking:outcome_follow_up", "matchmaking:interpreter_edit",
    "matchmaking:interpreter_remove",
    # visits to Japan: the host officer's pages (passport details, files) are not walked here
    "coordination:inbound_visit", "coordination:inbound_edit", "coordination:visitor_add",
    "coordination:visitor", "coordination:visitor_documents", "coordination:visitor_bundle",
    "coordination:visa_document",
    "coordination:calendar_feed_reset", "coordination:calendar_feed", "coordination:series_create",
    "coordination:series_edit", "coordination:meeting_create", "coordination:meeting_edit",
    "coordination:meeting_print", "coordination:meeting_close", "coordination:invitee_add",
    "coordination:invitee_remove", "coordination:rsvp", "coordination:agenda_item_create",
    "coordination:agenda_item_edit", "coordination:agenda_item_move",
    "coordination:agenda_item_delete", "coordination:attachment_add",
    "coordination:attachment_delete", "coordination:minutes_edit", "coordination:minutes_diff",
    "coordination:minutes_restore", "coordination:decision_add", "coordination:decision_delete",
    "coordination:minutes_publish", "coordination:action_create", "coordination:action_edit",
    "coordination:action_status", "coordination:mission_create", "coordination:mission_edit",
    "coordination:mission_print", "coordination:participant_add",
    "coordination:participant_remove", "coordination:destination_add",
    "coordination:destination_delete", "coordination:delegate_add",
    "coordination:delegate_remove", "coordination:itinerary_add", "coordination:itinerary_edit",
    "coordination:itinerary_delete", "coordination:task_add", "coordination:task_status",
    "coordination:budget_line_add", "coordination:budget_line_edit",
    "coordination:budget_line_delete", "coordination:clash_dismiss", "coordination:clash_propose",
    "coordination:proposal_accept", "coordination:proposal_decline",
    "coordination:duplicate_merge", "coordination:duplicate_withdraw",
    "library:document_create", "library:document_edit", "library:download",
    "library:version_upload", "library:version_download", "library:extraction_retry",
    "library:file_into_collection", "library:collection_create", "library:collection_edit",
    "library:brief_create", "library:feed", "library:announcement_create",
    "library:announcement_edit", "library:unsubscribe",
    "exchanges:programme_create", "exchanges:programme_edit", "exchanges:order",
    "exchanges:score", "exchanges:round_create", "exchanges:apply", "exchanges:run_create",
    "exchanges:run_publish", "exchanges:withdraw", "exchanges:document_add", "exchanges:document",
    "exchanges:referee_ask", "exchanges:consent_ask", "exchanges:decline",
    "culture:enrol", "culture:leave", "culture:attendance", "culture:course_setup",
    "culture:complete", "culture:certificate", "culture:item_add", "culture:item_delete",
    "culture:shift_add", "culture:shift_signup", "culture:shift_leave",
    "results:lead_create", "results:lead_edit", "results:lead_move", "results:lead_credits",
    "results:deal", "results:lead_from_meeting", "results:lead_from_registration",
    "results:lead_from_itinerary", "results:mou_link_add", "results:mou_link_remove",
    "results:survey_create", "results:survey_send", "results:survey_answer",
    "results:event_cost_remove", "results:organisation_search",
    # the API answers JSON (or a file); its docs page is Swagger UI's own layout
    "api:openapi-json", "api:openapi-view", "api:api-root", "api:organisations",
    "api:organisation", "api:people", "api:person", "api:agreements", "api:agreement",
    "api:events", "api:event", "api:sessions", "api:session", "api:registrations",
    "api:registration", "api:matchmaking_profiles", "api:matchmaking_profile",
    "api:meeting_requests", "api:meeting_request", "api:meetings", "api:documents",
    "api:document", "api:document_file", "api:announcements", "api:announcement",
    "api_tokens:revoke",
    "api:leads", "api:lead", "api:lead_moves", "api:deals", "api:deal", "api:kpis",
    "api:programmes", "api:programme", "api:applications", "api:application",
    "results:kpi_xlsx", "results:kpi_report_pdf",
    "tourism:photo", "tourism:publish", "tourism:unpublish", "tourism:place_add",
    "tourism:festival_add", "tourism:itinerary_add", "tourism:photo_add", "tourism:part_remove",
    # a POST; and the trade profile is a travel-trade participant's page (its form is the booth
    # page's fields layout, which fair_booths measures), the demo gives them no sign-in
    "tourism:fair_booth_remove", "tourism:trade_profile",
}  # fmt: skip

# The widest element that makes the page wider than the window, outside any scroll container.
MEASURE = """() => {
  const limit = window.innerWidth;
  const doc = document.documentElement;
  if (doc.scrollWidth <= limit) return null;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x !== "visible") return true;
    }
    return false;
  };
  let worst = null, right = limit;
  // the deepest of the widest (descendants come after their ancestors); failing that, one in a
  // scroll container that still widens the page (an absolutely placed child escapes it)
  for (const inside of [false, true]) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > limit + 0.5 && r.right >= right - 0.5 && (inside || !scrolls(el))) {
        right = Math.max(right, r.right); worst = el;
      }
    }
    if (worst) break;
  }
  const name = worst ? worst.tagName.toLowerCase() + (worst.className ? "." +
    String(worst.className).trim().split(/\\s+/).join(".") : "") : "?";
  const text = worst ? (worst.textContent || "").trim().slice(0, 60) : "";
  return {scrollWidth: doc.scrollWidth, element: name, right: Math.round(right), text: text};
}"""


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner != "admin":
                names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_list_and_detail_page_is_named() -> None:
    names = {n for n in _names(get_resolver()) if n.split(":")[0] in APPS}
    names |= {"home", "dashboard", "audit_log", "preferences", "invitations"}
    missing = names - set(PAGES) - NOT_PAGES
    assert not missing, f"say whether these are list/detail pages: {sorted(missing)}"


def _context(browser: Any, live_server: Any, language: str, user: User | None) -> Any:
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        User.objects.filter(pk=user.pk).update(language=language)
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    return context


def test_no_page_scrolls_sideways_at_390px(live_server: Any, browser: Any) -> None:
    call_command("load_demo", stdout=io.StringIO())
    records = _long_titles()
    readers: dict[str, tuple[User | None, set[str]]] = {
        "officer": (User.objects.get(email=OFFICER), {PUBLIC, OFFICER_ONLY}),
        "secretariat": (User.objects.get(email=SECRETARIAT), {SECRETARIAT_ONLY}),
        "anonymous": (None, {PUBLIC}),
    }
    urls = {name: (build(records), who) for name, (build, who) in PAGES.items()}
    offending: list[str] = []
    for language in ("en", "ja", "hi"):
        for reader, (user, kinds) in readers.items():
            context = _context(browser, live_server, language, user)
            page = context.new_page()
            for name, (url, who) in urls.items():
                if who not in kinds:
                    continue
                response = page.goto(f"{live_server.url}{url}")
                assert response is not None and response.status == 200, (name, url, reader)
                assert page.locator("html").get_attribute("lang") == language, (name, language)
                found = page.evaluate(MEASURE)
                if found is not None:
                    offending.append(f"{language} {reader} {name} {url}: {found}")
                    shot = f"phone-overflow-{language}-{reader}-{name.replace(':', '-')}.png"
                    page.screenshot(path=str(artifact(shot)), full_page=True)
            context.close()
    assert not offending, "pages wider than 390 px:\n" + "\n".join(offending)


def test_list_filters_fold_away_on_a_phone_and_open_on_a_desktop(
    live_server: Any, browser: Any, world: World
) -> None:
    from setu.events.tests.factories import EventFactory

    EventFactory.create(owner=world.prefecture, title_en="Hydrogen seminar, Mumbai")
    for width, shown in ((390, False), (1280, True)):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        page.goto(f"{live_server.url}/events/")
        assert page.locator("select[name=city]").is_visible() is shown, width
        if not shown:  # the first screen shows events, and the toggle opens the filters
            assert page.locator(".event-item").first.bounding_box()["y"] < 844
            page.click("details.filters-toggle > summary")
            assert page.locator("select[name=city]").is_visible()
            page.select_option("select[name=kind]", "seminar")
            page.click("form.filters button[type=submit]")
            page.wait_for_load_state()
            assert page.locator("select[name=city]").is_visible()  # a filtered list shows them
            page.screenshot(path=str(artifact("events-list-filtered-phone.png")), full_page=True)
        context.close()

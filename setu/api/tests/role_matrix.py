"""Role × URL rows for the API (collected by setu/core/tests/test_role_matrix.py).

The core matrix opens every path with a signed-in browser session, which the API accepts for
reads (the docs page's "Try it out"); writes need a token, so a session POST is 401 for
everyone. ``test_role_matrix_tokens.py`` asks the same GET rows again with each person's
token and must get the same answers: tokens and pages share one policy.

The records belong to officer_own's prefecture (Yamanashi) and are private unless said: its
memo (a library Document), a contact, an agreement, an announcement; the member's company and
the partner's chamber take part in the matchmaking of the prefecture's public event, where the
member registered and asked the partner for a meeting.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from setu.api import services
from setu.conftest import World
from setu.core.models import Visibility
from setu.core.tests.matrix import ALL_200, SIGNED_IN_200, Row
from setu.directory.models import Partnership, PartnershipKind, Person
from setu.events.models import Event, Registration, Session
from setu.events.registration import Person as Attendee
from setu.events.registration import Registrant, registration_create
from setu.events.tests.factories import EventFactory
from setu.exchanges.models import Application, Programme
from setu.exchanges.tests.factories import make_application, make_programme, make_round
from setu.library.models import Announcement, Document, DocumentVersion, ExtractionStatus
from setu.matchmaking.models import MeetingRequest
from setu.matchmaking.tests.factories import matchmaking_for, participant
from setu.results.models import Deal, Lead, Stage
from setu.results.tests.factories import lead

API_200 = ("401",) + ("200",) * 6  # any signed-in reader
OWN_PREFECTURE = ("401", "404", "404", "404", "200", "404", "404")  # Yamanashi's private record
ORGANISERS = ("401", "403", "403", "403", "200", "403", "200")
MEMO_FILE = "documents/api-role-matrix-memo.txt"


def _memo(world: World) -> Document:
    """Yamanashi's private memo, with its file (as in the demo)."""
    document = Document.objects.create(
        owner=world.prefecture,
        title_en="Internal memo: parts makers for the India mission",
        visibility=Visibility.PRIVATE,
    )
    if not default_storage.exists(MEMO_FILE):
        default_storage.save(MEMO_FILE, ContentFile(b"Yamanashi only.\n"))
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file=MEMO_FILE,
        original_name="memo.txt",
        extension=".txt",
        file_kind="text",
        content_type="text/plain",
        size=16,
        sha256="1" * 64,
        extraction_status=ExtractionStatus.FAILED,
    )
    Document.objects.filter(pk=document.pk).update(current_version=version)
    return document


def _event(world: World) -> Event:
    return EventFactory.create(owner=world.prefecture, visibility=Visibility.PUBLIC)


def _registration(world: World) -> Registration:
    member = world.users["member"]
    return registration_create(
        event=_event(world),
        registrant=Registrant(name="Member", email=member.email, user=member),
        people=[Attendee("Member", member.email, member)],
    )


def _meeting_request(world: World) -> MeetingRequest:
    mm = matchmaking_for(_event(world))
    mine = participant(mm, world.company, contact=world.users["member"])
    theirs = participant(mm, world.partner_org, contact=world.users["partner"])
    return MeetingRequest.objects.create(
        matchmaking=mm, requester=mine, recipient=theirs, message="Shall we meet?"
    )


def _url(name: str, build: object) -> object:
    return lambda w: reverse(name, args=[build(w).pk])  # type: ignore[operator]


def _person(world: World) -> Person:
    return Person.objects.create(
        owner=world.prefecture,
        organisation=world.prefecture,
        name_latin="Aiko Private",
        visibility=Visibility.PRIVATE,
    )


def _agreement(world: World) -> Partnership:
    return Partnership.objects.create(
        owner=world.prefecture,
        kind=PartnershipKind.MOU,
        title_en="Draft MoU under negotiation",
        visibility=Visibility.PRIVATE,
    )


def _announcement(world: World) -> Announcement:
    return Announcement.objects.create(
        owner=world.prefecture, title_en="Internal: budget", visibility=Visibility.PRIVATE
    )


def _session(world: World) -> Session:
    event = _event(world)
    return Session.objects.create(
        event=event, title_en="Opening", starts_at=event.starts_at, ends_at=event.ends_at
    )


# --- results and exchanges (issue 16: the areas that landed later) --------------------------

STAFF_API = ("401", "403", "403", "403", "200", "200", "200")  # leads, deals, KPIs: staff
# Yamanashi's private lead: a member company's, partner's, student's token 403 (staff records,
# as on the pages); another prefecture's officer and the secretariat 404
PRIVATE_LEAD = ("401", "403", "403", "403", "200", "404", "404")
# Yamanashi's KPIs: its officers and the secretariat; Shizuoka's officer may not open them
OWN_KPIS = ("401", "403", "403", "403", "200", "403", "200")
OWN_APPLICATION = ("401", "200", "404", "404", "404", "404", "404")


def _private_lead(world: World) -> Lead:
    return lead(world, visibility=Visibility.PRIVATE, title="Private: dies for Pune")


def _private_deal(world: World) -> Deal:
    won = _private_lead(world)
    Lead.objects.filter(pk=won.pk).update(stage=Stage.WON)
    return Deal.objects.create(
        lead=won, value=Decimal("1200000"), currency="JPY", closed_on=date(2026, 5, 1)
    )


def _programme(world: World) -> Programme:
    return make_programme(world, make_round(world))


def _application(world: World) -> Application:
    programme = _programme(world)
    return make_application(world.users["student"], programme.round, [programme])


def _token_pk(world: World) -> int:
    user = world.users["officer_own"]
    return services.token_create(user=user, name="matrix", scopes=["read"], days=1).token.pk


ROWS: dict[str, Row] = {
    # the schema and the docs page are public; there is no root page
    "api:openapi-json": Row(ALL_200),
    "api:openapi-view": Row(ALL_200),
    "api:api-root": Row(("404",) * 7),
    "api:organisations": Row(API_200),
    # the member's company: private, managed by officer_own's prefecture
    "api:organisation": Row(
        ("401", "404", "200", "404", "200", "404", "404"),
        url=lambda w: reverse("api:organisation", args=[w.company.pk]),
    ),
    "api:people": Row(API_200),
    "api:person": Row(OWN_PREFECTURE, url=_url("api:person", _person)),  # type: ignore[arg-type]
    "api:agreements": Row(API_200),
    "api:agreement": Row(OWN_PREFECTURE, url=_url("api:agreement", _agreement)),  # type: ignore[arg-type]
    "api:events": Row(API_200),
    "api:event": Row(API_200, url=_url("api:event", _event)),  # type: ignore[arg-type]
    "api:sessions": Row(API_200),
    "api:session": Row(API_200, url=_url("api:session", _session)),  # type: ignore[arg-type]
    # an event's registrations: its organisers (the lead's officers and the secretariat)
    "api:registrations": Row(
        ORGANISERS, url=lambda w: reverse("api:registrations") + f"?event={_event(w).pk}"
    ),
    # the member's own registration; the organisers read it too
    "api:registration": Row(
        ("401", "404", "200", "404", "200", "404", "200"),
        url=_url("api:registration", _registration),  # type: ignore[arg-type]
    ),
    "api:matchmaking_profiles": Row(API_200),
    "api:matchmaking_profile": Row(
        ("401", "404", "200", "404", "404", "404", "404"),
        url=lambda w: reverse("api:matchmaking_profile", args=[_meeting_request(w).requester_id]),
    ),
    "api:meeting_requests": Row(API_200),
    # both sides read it; nobody else
    "api:meeting_request": Row(
        ("401", "404", "200", "200", "404", "404", "404"),
        url=_url("api:meeting_request", _meeting_request),  # type: ignore[arg-type]
    ),
    "api:meetings": Row(API_200),
    "api:documents": Row(API_200),
    # Yamanashi's private memo: another prefecture's officer gets 404, as if it did not exist
    "api:document": Row(OWN_PREFECTURE, url=_url("api:document", _memo)),  # type: ignore[arg-type]
    "api:document_file": Row(OWN_PREFECTURE, url=_url("api:document_file", _memo)),  # type: ignore[arg-type]
    "api:announcements": Row(API_200),
    "api:announcement": Row(OWN_PREFECTURE, url=_url("api:announcement", _announcement)),  # type: ignore[arg-type]
    "api:leads": Row(STAFF_API),
    "api:lead": Row(PRIVATE_LEAD, url=_url("api:lead", _private_lead)),  # type: ignore[arg-type]
    "api:lead_moves": Row(PRIVATE_LEAD, url=_url("api:lead_moves", _private_lead)),  # type: ignore[arg-type]
    "api:deals": Row(STAFF_API),
    "api:deal": Row(PRIVATE_LEAD, url=_url("api:deal", _private_deal)),  # type: ignore[arg-type]
    "api:kpis": Row(OWN_KPIS, url=lambda w: reverse("api:kpis") + "?member=JP-19"),
    "api:programmes": Row(API_200),
    "api:programme": Row(API_200, url=_url("api:programme", _programme)),  # type: ignore[arg-type]
    "api:applications": Row(API_200),
    "api:application": Row(OWN_APPLICATION, url=_url("api:application", _application)),  # type: ignore[arg-type]
    # the account pages for tokens
    "api_tokens:list": Row(SIGNED_IN_200),
    # officer_own's token: only its person revokes it
    "api_tokens:revoke": Row(
        ("login", "404", "404", "404", "→/accounts/api-tokens/", "404", "404"),
        url=lambda w: reverse("api_tokens:revoke", args=[_token_pk(w)]),
        method="post",
    ),
}

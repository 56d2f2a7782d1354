"""Every form field that offers records offers only what the user may see (the ownership rule,
docs/architecture.md).

Every form class of every Setu module is built as each kind of user, the way its page builds
it, in a world holding another prefecture's private records of each kind. Each
ModelChoiceField / ModelMultipleChoiceField whose model has ``visible_to`` must offer nothing
outside ``Model.objects.visible_to(user)``. A form whose constructor needs more than a
``user`` has an entry in ``BUILDERS`` that calls the same choice functions as its view; a new
form without one fails ``test_every_form_can_be_built``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

import setu
from setu.accounts import selectors as account_selectors
from setu.accounts.forms import InvitationForm
from setu.accounts.models import User
from setu.conftest import World, build_world
from setu.coordination import selectors as coordination_selectors
from setu.coordination.forms import (
    ActionItemForm,
    AgendaItemForm,
    BudgetLineForm,
    DecisionForm,
    DelegateForm,
    InviteForm,
    ItineraryForm,
    MeetingForm,
    MissionForm,
    ParticipantForm,
    ReportForm,
    TaskForm,
)
from setu.coordination.forms.inbound import VisitorForm
from setu.coordination.models import Meeting, MeetingSeries, Mission
from setu.coordination.tests.factories import (
    AgendaItemFactory,
    InviteeFactory,
    MeetingFactory,
    MissionFactory,
    SeriesFactory,
)
from setu.coordination.views import actions as action_views
from setu.coordination.views import agenda as agenda_views
from setu.coordination.views import inbound as inbound_views
from setu.coordination.views import meetings as meeting_views
from setu.coordination.views import missions as mission_views
from setu.core.models import Visibility
from setu.directory import selectors as directory_selectors
from setu.directory.exports import ExportForm as DirectoryExportForm
from setu.directory.forms import PersonForm
from setu.directory.models import Organisation, OrganisationKind, Partnership, Person
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory
from setu.events import views as event_views
from setu.events import views_organiser as organiser_views
from setu.events.models import Event
from setu.events.registration import Person as Attendee
from setu.events.registration import Registrant, registration_create
from setu.events.tests.factories import EventFactory
from setu.library import selectors as library_selectors
from setu.library.forms import AnnouncementForm, DocumentForm, FileIntoCollectionForm
from setu.library.models import Collection, Document
from setu.library.tests.factories import DocumentFactory
from setu.matchmaking.forms.common import (
    AddParticipantForm,
    JoinForm,
    ProfileForm,
    SettingsForm,
    SlotTablesForm,
)
from setu.matchmaking.forms.interpreters import InterpreterForm
from setu.matchmaking.forms.schedule import PositionForm
from setu.matchmaking.models import Matchmaking
from setu.matchmaking.selectors import market
from setu.matchmaking.tests.factories import matchmaking_for, participant
from setu.results.forms import CreditsForm
from setu.results.models import Lead

ROLES_CHECKED = ("officer_own", "secretariat", "member", "partner")


@dataclass
class Scene:
    """The test world, the records the forms are about, and another prefecture's secrets."""

    world: World
    event: Event
    mission: Mission
    meeting: Meeting
    matchmaking: Matchmaking
    hidden: list[Model]


def _request(user: User | AnonymousUser) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


def _build_scene() -> Scene:
    world = build_world()
    other = world.other_prefecture
    now = timezone.now()
    # Another prefecture's private records, of every kind a form may offer.
    private = {"visibility": Visibility.PRIVATE}
    agency = OrganisationFactory.create(
        kind=OrganisationKind.AGENCY, name_en="Secret agency", country="IN", managed_by=other,
        **private,
    )  # fmt: skip
    company = CompanyFactory.create(name_en="Secret company", managed_by=other, **private)
    member_prefecture = OrganisationFactory.create(
        kind=OrganisationKind.MEMBER_PREFECTURE, name_en="Secret prefecture", **private
    )
    state = OrganisationFactory.create(
        kind=OrganisationKind.INDIAN_STATE, name_en="Secret state", country="IN",
        managed_by=other, **private,
    )  # fmt: skip
    not_on_the_mission = OrganisationFactory.create(
        kind=OrganisationKind.MEMBER_PREFECTURE, name_en="Secret prefecture 2", **private
    )
    hidden: list[Model] = [agency, company, member_prefecture, not_on_the_mission, state]
    hidden.append(Partnership.objects.create(owner=other, kind="mou", title_en="Secret", **private))
    hidden.append(
        Person.objects.create(
            owner=other, organisation=agency, name_latin="Secret person", **private
        )
    )
    secret_event = EventFactory.create(owner=other, title_en="Secret event", **private)
    secret_mission = MissionFactory.create(owner=other, title_en="Secret mission", **private)
    secret_series = SeriesFactory.create(owner=other, title_en="Secret series", **private)
    secret_meeting = MeetingFactory.create(owner=other, series=secret_series, **private)
    hidden += [secret_event, secret_mission, secret_series, secret_meeting]
    hidden.append(DocumentFactory.create(owner=other, title_en="Secret document", **private))
    hidden.append(Collection.objects.create(owner=other, name_en="Secret collection", **private))
    hidden.append(
        Lead.objects.create(
            owner=other, kind="trade", title="Secret lead", company=company, **private
        )
    )

    # The records the forms are about: officer_own's prefecture leads them.
    event = EventFactory.create(owner=world.prefecture, starts_at=now + timedelta(days=30))
    secret_event.starts_at = event.starts_at
    secret_event.ends_at = event.ends_at
    secret_event.save()
    mission = MissionFactory.create(
        owner=world.prefecture, starts_on=(event.starts_at - timedelta(days=1)).date(),
        ends_on=(event.ends_at + timedelta(days=1)).date(),
    )  # fmt: skip
    # A participant that has been made private since it joined.
    mission.participants.create(organisation=member_prefecture)
    meeting = MeetingFactory.create(owner=world.prefecture)
    AgendaItemFactory.create(meeting=meeting)
    # Invited while it was shared; the agency has been made private since.
    InviteeFactory.create(meeting=meeting, organisation=agency)
    InviteeFactory.create(meeting=meeting, organisation=world.prefecture)
    matchmaking = matchmaking_for(event)
    participant(matchmaking, world.prefecture)
    registration_create(
        event=event,
        registrant=Registrant(name="Secret guest", email="guest@example.org", organisation=company),
        people=[Attendee("Secret guest", "guest@example.org", None)],
    )
    return Scene(world, event, mission, meeting, matchmaking, hidden)


Builder = Callable[[Scene, Any], forms.BaseForm | None]


def _mission_form(name: str) -> Builder:
    """The mission page's forms, with the choices the mission views give them."""

    def build(scene: Scene, user: Any) -> forms.BaseForm:
        request, mission = _request(user), scene.mission
        if name == "MissionForm":
            return MissionForm(targets=mission_views.indian_organisations(request))
        if name == "ParticipantForm":
            return ParticipantForm(prefectures=mission_views._participant_choices(request, mission))
        if name == "DelegateForm":
            return DelegateForm(
                prefectures=mission_views._my_prefectures_on(request, mission),
                organisations=mission_views._delegate_organisations(request),
            )
        if name == "ItineraryForm":
            return ItineraryForm(
                mission=mission,
                organisations=mission_views.indian_organisations(request),
                events=coordination_selectors.events_during(user=user, mission=mission),
                hosts=mission_views.japanese_organisations(request),
            )
        if name == "TaskForm":
            return TaskForm(prefectures=mission_views._task_owner_choices(request, mission))
        if name == "BudgetLineForm":
            return BudgetLineForm(prefectures=coordination_selectors.mission_prefectures(mission))
        assert name == "ReportForm"
        return ReportForm(items=list(mission.itinerary.all()))

    return build


def _action_item_form(scene: Scene, user: Any) -> forms.BaseForm:
    organisations, people = action_views._choices(scene.meeting, user=user)
    return ActionItemForm(
        organisations=organisations, people=people, items=scene.meeting.agenda_items.all()
    )


def _totp_form(user: Any) -> forms.BaseForm:
    """The enrolment form reads its secret from the session of allauth's current request."""
    from allauth.core import context
    from django.contrib.sessions.backends.db import SessionStore

    from setu.accounts.forms import ActivateTOTPForm

    request = _request(user)
    request.session = SessionStore()
    with context.request_context(request):
        return ActivateTOTPForm(user=user)


BUILDERS: dict[str, Builder] = {
    "setu.coordination.forms.inbound.VisitorForm": lambda s, u: VisitorForm(
        organisations=inbound_views.visiting_organisations(_request(u))
    ),
    "setu.accounts.forms.ActivateTOTPForm": lambda s, u: _totp_form(u),
    "setu.accounts.forms.InvitationForm": lambda s, u: InvitationForm(
        organisations=account_selectors.invitable_organisations(user=u)
    ),
    "setu.coordination.forms.meetings.MeetingForm": lambda s, u: MeetingForm(
        series=meeting_views._manageable_series(_request(u)),
        invitable=meeting_views._invitable(_request(u)),
    ),
    "setu.coordination.forms.meetings.InviteForm": lambda s, u: InviteForm(
        organisations=meeting_views._invitable(_request(u))
    ),
    "setu.coordination.forms.meetings.AgendaItemForm": lambda s, u: AgendaItemForm(
        organisations=agenda_views._presenters(_request(u))
    ),
    "setu.coordination.forms.meetings.DecisionForm": lambda s, u: DecisionForm(
        items=s.meeting.agenda_items.all()
    ),
    "setu.coordination.forms.meetings.ActionItemForm": _action_item_form,
    **{
        f"setu.coordination.forms.missions.{name}": _mission_form(name)
        for name in (
            "MissionForm",
            "ParticipantForm",
            "DelegateForm",
            "ItineraryForm",
            "TaskForm",
            "BudgetLineForm",
            "ReportForm",
        )
    },
    "setu.directory.exports.ExportForm": lambda s, u: DirectoryExportForm(target="people"),
    "setu.directory.forms.PersonForm": lambda s, u: PersonForm(
        organisations=directory_selectors.organisation_list(user=u)
    ),
    "setu.events.forms.EventForm": lambda s, u: organiser_views._event_form(_request(u), None),
    "setu.events.forms.RegistrationForm": lambda s, u: event_views._registration_form(
        _request(u), s.event
    ),
    "setu.library.forms.DocumentForm": lambda s, u: DocumentForm(
        user=u, owners=library_selectors.owner_choices(user=u)
    ),
    "setu.library.forms.FileIntoCollectionForm": lambda s, u: FileIntoCollectionForm(
        collections=library_selectors.collections_to_file_into(user=u)
    ),
    "setu.library.forms.AnnouncementForm": lambda s, u: AnnouncementForm(
        owners=library_selectors.owner_choices(user=u)
    ),
    "setu.matchmaking.forms.common.SettingsForm": lambda s, u: SettingsForm(
        venue_zone="Asia/Kolkata"
    ),
    "setu.matchmaking.forms.common.SlotTablesForm": lambda s, u: SlotTablesForm(
        slots=list(s.matchmaking.slots.all()), venue_zone="Asia/Kolkata", reader_zone="UTC"
    ),
    "setu.matchmaking.forms.common.ProfileForm": lambda s, u: ProfileForm(
        participant=s.matchmaking.participants.first(),
        contacts=User.objects.none(),
        reader_zone="UTC",
    ),
    "setu.matchmaking.forms.common.JoinForm": lambda s, u: JoinForm(
        organisations=market.joinable_organisations(user=u, matchmaking=s.matchmaking)
    ),
    "setu.matchmaking.forms.common.AddParticipantForm": lambda s, u: AddParticipantForm(
        organisations=market.registered_organisations(matchmaking=s.matchmaking)
    ),
    "setu.matchmaking.forms.schedule.PositionForm": lambda s, u: PositionForm(
        matchmaking=s.matchmaking, choices=[]
    ),
    "setu.matchmaking.forms.interpreters.InterpreterForm": lambda s, u: InterpreterForm(
        matchmaking=s.matchmaking, reader_zone="UTC"
    ),
    # the owner's prefectures and its origin's: no records offered, plain percentages
    "setu.results.forms.CreditsForm": lambda s, u: CreditsForm(prefectures=[], current={}),
}

# Fields that offer records beyond ``visible_to`` on purpose, with the reason.
ALLOWED: dict[str, str] = {
    # Organisers see who registered for their event (the registration list names each
    # registrant's organisation): registering shares that with them.
    "setu.matchmaking.forms.common.AddParticipantForm.organisation": "registrants of the event",
}
# Classes that are only bases of other forms.
ABSTRACT = {"setu.events.forms.VenueTimesForm"}


def _form_classes() -> Iterator[tuple[str, type[forms.BaseForm]]]:
    for module_info in pkgutil.walk_packages(setu.__path__, "setu."):
        name = module_info.name
        if any(part in name for part in (".tests", ".migrations", ".management")):
            continue
        if name in ("setu.conftest", "setu.browser"):
            continue
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
            ):
                yield f"{name}.{attribute}", value


FORM_CLASSES = dict(_form_classes())


def _needs_only_a_user(form_class: type[forms.BaseForm]) -> bool | None:
    """True: takes ``user=``; False: takes nothing required; None: needs a builder."""
    parameters = inspect.signature(form_class.__init__).parameters.values()
    required = {
        p.name for p in parameters if p.kind == p.KEYWORD_ONLY and p.default is inspect._empty
    }
    if required == {"user"}:
        return True
    return False if not required else None


def _build(name: str, scene: Scene, user: Any) -> forms.BaseForm | None:
    if name in BUILDERS:
        return BUILDERS[name](scene, user)
    form_class = FORM_CLASSES[name]
    takes_user = _needs_only_a_user(form_class)
    assert takes_user is not None, f"{name} needs an entry in BUILDERS"
    return form_class(user=user) if takes_user else form_class()


def test_every_form_can_be_built() -> None:
    """A new form that takes more than a user must say, in BUILDERS, how its page builds it."""
    assert len(FORM_CLASSES) > 40
    for name, form_class in FORM_CLASSES.items():
        if name in ABSTRACT or name in BUILDERS:
            continue
        assert _needs_only_a_user(form_class) is not None, f"{name} needs an entry in BUILDERS"
    assert not BUILDERS.keys() - FORM_CLASSES.keys(), "BUILDERS names a form that is gone"


def _offered_beyond_visible(form: forms.BaseForm, user: Any) -> dict[str, list[str]]:
    leaks: dict[str, list[str]] = {}
    for field_name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            continue
        model = field.queryset.model
        if not hasattr(model._default_manager.all(), "visible_to"):
            continue
        visible = model._default_manager.all().visible_to(user).values("pk")
        beyond = field.queryset.exclude(pk__in=visible)
        if beyond.exists():
            leaks[field_name] = [str(record) for record in beyond[:5]]
    return leaks


@pytest.mark.django_db
def test_no_form_offers_a_record_its_user_may_not_see() -> None:
    scene = _build_scene()
    leaks: dict[str, dict[str, list[str]]] = {}
    for role in ROLES_CHECKED:
        user = scene.world.users[role]
        for name in FORM_CLASSES:
            if name in ABSTRACT:
                continue
            form = _build(name, scene, user)
            if form is None:
                continue
            for field_name, records in _offered_beyond_visible(form, user).items():
                if f"{name}.{field_name}" not in ALLOWED:
                    leaks[f"{role}: {name}.{field_name}"] = records
    assert not leaks, "\n".join(f"{k}: {v}" for k, v in sorted(leaks.items()))


@pytest.mark.django_db
def test_the_world_holds_a_hidden_record_of_every_owned_kind() -> None:
    """The check above means something only if each kind has a record the users may not see."""
    scene = _build_scene()
    kinds = {type(record) for record in scene.hidden}
    assert {Organisation, Partnership, Person, Event, Mission, MeetingSeries, Meeting,
            Document, Collection} <= kinds  # fmt: skip
    officer = scene.world.users["officer_own"]
    for record in scene.hidden:
        manager = type(record)._default_manager
        assert not manager.all().visible_to(officer).filter(pk=record.pk).exists(), record

"""Events on an organisation's directory page (registered in ``EventsConfig.ready``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setu.directory.models import Organisation, OrganisationKind
from setu.directory.sections import Section, SectionItem, register_section, upcoming_first
from setu.events.models import Event, EventOrganisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from setu.accounts.models import User


def organisation_events(user: User | AnonymousUser, organisation: Organisation) -> Section | None:
    """The events an organisation hosts or partners in, for its directory page (one query):
    upcoming ones first, then the most recent past ones."""
    linked = EventOrganisation.objects.filter(event=OuterRef("pk"), organisation=organisation)
    events = list(
        Event.objects.visible_to(user)
        .filter(Q(owner=organisation) | Q(Exists(linked)))
        .select_related("city")
        .order_by("-starts_at")[:40]
    )
    prefecture = organisation.kind == OrganisationKind.MEMBER_PREFECTURE
    if not events and not prefecture:
        return None
    now = timezone.now()
    chosen = upcoming_first(events, is_over=lambda e: e.ends_at < now, starts=lambda e: e.starts_at)
    return Section(
        key="events",
        title=_("Events"),
        items=[
            SectionItem(
                title=event.display_title,
                url=event.get_absolute_url(),
                when=event.starts_at.astimezone(event.venue_tz).date().isoformat(),
                note=str(_("Lead host")) if event.owner_id == organisation.pk else "",
            )
            for event in chosen
        ],
        empty=_("No events of this organisation are shared with you."),
        more_url=f"{reverse('events:list')}?host={organisation.pk}" if prefecture else "",
        more_label=_("Its upcoming events"),
    )


def register() -> None:
    register_section("events", organisation_events, order=10)

"""Documents linked to events, joint missions and council meetings: the form, the document page,
and the "Documents" card of the event, mission and meeting pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import Meeting, Mission
from setu.coordination.tests.conftest import council_meeting, mumbai_mission
from setu.core.models import AuditEntry, Visibility
from setu.events.models import Event
from setu.events.tests.factories import EventFactory
from setu.library.models import Document
from setu.library.tests.factories import DocumentFactory, upload

pytestmark = pytest.mark.django_db

# Whole pages for Yamanashi's officer, whatever the number of links or linked documents. The
# document page spends three on its events, missions and meetings; each record page one on
# its "Documents" card.
DOCUMENT_PAGE_QUERIES = 15
EVENT_PAGE_QUERIES = 12
MISSION_PAGE_QUERIES = 27  # one for the duplicate-plan offer after a joint-mission proposal
MEETING_PAGE_QUERIES = 13


def _stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "documents"
    return sorted(root.iterdir()) if root.exists() else []


def _form_data(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "presentation",
        "title_en": "Hydrogen seminar deck",
        "language": "en",
        "visibility": "consortium",
        **extra,
    }


@pytest.fixture
def records(world: World) -> tuple[Event, Mission, Meeting]:
    """A public event of Yamanashi, its mission to Mumbai, a council meeting it is invited to."""
    event = EventFactory.create(owner=world.prefecture, title_en="Hydrogen seminar")
    return event, mumbai_mission(world), council_meeting(world, title_en="Spring council")


def _other_private_event(world: World) -> Event:
    """Shizuoka's private event: Yamanashi's officer may not read it."""
    return EventFactory.create(
        owner=world.other_prefecture, title_en="Shizuoka closed briefing", visibility="private"
    )


# --- the form ----------------------------------------------------------------------------------


def test_linking_through_the_form_is_stored_and_audited(
    world: World, records: tuple[Event, Mission, Meeting], committed: Any
) -> None:
    event, mission, meeting = records
    client = world.client_for("officer_own")
    with committed():
        response = client.post(
            reverse("library:document_create"),
            _form_data(
                owner=world.prefecture.pk,
                file=upload("deck.txt", b"Hydrogen valley"),
                events=[event.pk],
                missions=[mission.pk],
                meetings=[meeting.pk],
            ),
        )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert list(document.events.all()) == [event]
    assert list(document.missions.all()) == [mission]
    assert list(document.meetings.all()) == [meeting]
    entry = AuditEntry.objects.get(action="library.document.created")
    assert entry.changes["events"] == [None, "Hydrogen seminar"]
    assert entry.changes["missions"] == [None, "Mumbai mission"]
    assert entry.changes["meetings"] == [None, "Spring council"]

    # Editing: unlink the meeting; only what changed is audited.
    with committed():
        response = client.post(
            reverse("library:document_edit", args=[document.pk]),
            _form_data(events=[event.pk], missions=[mission.pk]),
        )
    assert response.status_code == 302
    assert list(document.meetings.all()) == []
    assert list(document.events.all()) == [event]
    entry = AuditEntry.objects.get(action="library.document.updated")
    assert entry.changes == {"meetings": ["Spring council", None]}


def test_the_form_offers_only_what_the_user_may_read(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    hidden = _other_private_event(world)
    their_mission = mumbai_mission(
        world, owner=world.other_prefecture, visibility="private", title="Shizuoka's own mission"
    )
    page = world.client_for("officer_own").get(reverse("library:document_create"))
    form = page.context["form"]
    assert list(form.fields["events"].queryset) == [records[0]]
    assert list(form.fields["missions"].queryset) == [records[1]]
    assert list(form.fields["meetings"].queryset) == [records[2]]
    html = page.content.decode()
    assert "Hydrogen seminar" in html and "Spring council" in html
    assert hidden.title_en not in html and their_mission.title_en not in html


def test_an_unreadable_event_is_refused_and_nothing_is_stored(
    world: World, records: tuple[Event, Mission, Meeting], committed: Any
) -> None:
    hidden = _other_private_event(world)
    client = world.client_for("officer_own")
    with committed():
        response = client.post(
            reverse("library:document_create"),
            _form_data(
                owner=world.prefecture.pk,
                file=upload("deck.txt", b"Hydrogen valley"),
                events=[records[0].pk, hidden.pk],
            ),
        )
    assert response.status_code == 200
    assert "events" in response.context["form"].errors
    assert "Select a valid choice" in response.content.decode()
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="library.").exists()
    assert _stored_files() == []

    # The same on an edit: the document keeps its links and its title.
    document = DocumentFactory.create(owner=world.prefecture, title_en="Before")
    document.events.add(records[0])
    response = client.post(
        reverse("library:document_edit", args=[document.pk]),
        _form_data(title_en="After", events=[hidden.pk]),
    )
    assert response.status_code == 200 and "events" in response.context["form"].errors
    document.refresh_from_db()
    assert document.title_en == "Before"
    assert list(document.events.all()) == [records[0]]
    assert not AuditEntry.objects.filter(action="library.document.updated").exists()


def test_editing_keeps_links_the_editor_cannot_see(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    hidden = _other_private_event(world)
    document = DocumentFactory.create(owner=world.prefecture)
    document.events.add(records[0], hidden)  # e.g. linked by Shizuoka's officer on an old form
    response = world.client_for("officer_own").post(
        reverse("library:document_edit", args=[document.pk]), _form_data(events=[])
    )
    assert response.status_code == 302
    assert list(document.events.all()) == [hidden]


def test_share_link_preselects_the_record(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    event, _mission, meeting = records
    client = world.client_for("officer_own")
    url = reverse("library:document_create")
    form = client.get(url, {"event": event.pk, "mission": "x", "meeting": meeting.pk}).context[
        "form"
    ]
    assert form["events"].value() == [event.pk]
    assert form["meetings"].value() == [meeting.pk]
    assert not form["missions"].value()
    # An id the user may not read is not offered, so it cannot be pre-selected either.
    hidden = _other_private_event(world)
    page = client.get(url, {"event": hidden.pk}).content.decode()
    assert hidden.title_en not in page


# --- the document page -------------------------------------------------------------------------


def test_document_page_lists_the_readable_links(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    event, mission, meeting = records
    hidden = _other_private_event(world)
    document = DocumentFactory.create(owner=world.prefecture, visibility=Visibility.PUBLIC)
    document.events.add(event, hidden)
    document.missions.add(mission)
    document.meetings.add(meeting)
    page = world.client_for("officer_own").get(document.get_absolute_url()).content.decode()
    for record in (event, mission, meeting):
        assert f'href="{record.get_absolute_url()}"' in page
    assert hidden.title_en not in page
    # The public reads the public event only: missions and meetings are the consortium's.
    page = Client().get(document.get_absolute_url()).content.decode()
    assert f'href="{event.get_absolute_url()}"' in page
    assert mission.title_en not in page and meeting.title_en not in page
    # Shizuoka's officer reads its own private event.
    page = world.client_for("officer_other").get(document.get_absolute_url()).content.decode()
    assert f'href="{hidden.get_absolute_url()}"' in page


@pytest.mark.parametrize("links", [1, 5])
def test_document_page_query_count_is_fixed(
    world: World, links: int, django_assert_num_queries: Any
) -> None:
    document = DocumentFactory.create(owner=world.prefecture, visibility=Visibility.PUBLIC)
    for n in range(links):
        document.events.add(EventFactory.create(owner=world.prefecture))
        document.missions.add(mumbai_mission(world, first=30 + 10 * n, title=f"Mission {n}"))
        document.meetings.add(council_meeting(world))
    client = world.client_for("officer_own")
    with django_assert_num_queries(DOCUMENT_PAGE_QUERIES):
        response = client.get(document.get_absolute_url())
    assert len(response.context["events"]) == links
    assert len(response.context["missions"]) == links
    assert len(response.context["meetings"]) == links


# --- the "Documents" card of the event, mission and meeting pages ------------------------------


def _documents_h(page: str) -> bool:
    return 'id="documents-h"' in page


def test_event_page_lists_only_documents_the_reader_may_see(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    event = records[0]
    url = event.get_absolute_url()
    # Nothing linked: readers see no card; the event's editors get the way to share one.
    assert not _documents_h(Client().get(url).content.decode())
    assert not _documents_h(world.client_for("officer_other").get(url).content.decode())
    page = world.client_for("officer_own").get(url).content.decode()
    share = f"{reverse('library:document_create')}?event={event.pk}"
    assert _documents_h(page) and f'href="{share}"' in page

    deck = DocumentFactory.create(
        owner=world.prefecture, visibility=Visibility.PUBLIC, title_en="Seminar deck"
    )
    memo = DocumentFactory.create(
        owner=world.other_prefecture, visibility=Visibility.PRIVATE, title_en="Shizuoka memo"
    )
    deck.events.add(event)
    memo.events.add(event)
    for role in ("anonymous", "partner", "officer_own"):
        page = world.client_for(role).get(url).content.decode()
        assert f'href="{deck.get_absolute_url()}"' in page, role
        assert "Report or study" in page  # the kind
        assert "Shizuoka memo" not in page, role
        assert (share in page) == (role == "officer_own"), role
    page = world.client_for("officer_other").get(url).content.decode()
    assert "Seminar deck" in page and "Shizuoka memo" in page


def test_mission_page_lists_only_documents_the_reader_may_see(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    mission = records[1]
    url = mission.get_absolute_url()
    share = f"{reverse('library:document_create')}?mission={mission.pk}"
    assert not _documents_h(world.client_for("officer_other").get(url).content.decode())
    assert share in world.client_for("officer_own").get(url).content.decode()
    shared = DocumentFactory.create(owner=world.prefecture, title_en="Mission brief")
    memo = DocumentFactory.create(
        owner=world.other_prefecture, visibility=Visibility.PRIVATE, title_en="Shizuoka memo"
    )
    shared.missions.add(mission)
    memo.missions.add(mission)
    page = world.client_for("officer_own").get(url).content.decode()
    assert "Mission brief" in page and "Shizuoka memo" not in page
    page = world.client_for("officer_other").get(url).content.decode()
    assert "Mission brief" in page and "Shizuoka memo" in page and share not in page


def test_meeting_page_lists_only_documents_the_reader_may_see(
    world: World, records: tuple[Event, Mission, Meeting]
) -> None:
    meeting = records[2]
    url = meeting.get_absolute_url()
    share = f"{reverse('library:document_create')}?meeting={meeting.pk}"
    assert not _documents_h(world.client_for("officer_own").get(url).content.decode())
    assert share in world.client_for("secretariat").get(url).content.decode()
    minutes = DocumentFactory.create(
        owner=world.secretariat_org, visibility=Visibility.CONSORTIUM, title_en="Council papers"
    )
    memo = DocumentFactory.create(
        owner=world.other_prefecture, visibility=Visibility.PRIVATE, title_en="Shizuoka memo"
    )
    minutes.meetings.add(meeting)
    memo.meetings.add(meeting)
    page = world.client_for("officer_own").get(url).content.decode()
    assert "Council papers" in page and "Shizuoka memo" not in page and share not in page
    page = world.client_for("officer_other").get(url).content.decode()
    assert "Council papers" in page and "Shizuoka memo" in page


@pytest.mark.parametrize("documents", [1, 5])
def test_record_pages_query_counts_are_fixed(
    world: World,
    records: tuple[Event, Mission, Meeting],
    documents: int,
    django_assert_num_queries: Any,
) -> None:
    event, mission, meeting = records
    for n in range(documents):
        document = DocumentFactory.create(owner=world.prefecture, title_en=f"Paper {n}")
        document.events.add(event)
        document.missions.add(mission)
        document.meetings.add(meeting)
    client = world.client_for("officer_own")
    for record, queries in (
        (event, EVENT_PAGE_QUERIES),
        (mission, MISSION_PAGE_QUERIES),
        (meeting, MEETING_PAGE_QUERIES),
    ):
        with django_assert_num_queries(queries):
            response = client.get(record.get_absolute_url())
        assert len(response.context["linked_documents"]) == documents

"""Minutes per agenda item: revisions, optimistic concurrency, restoring, the lock."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import Meeting, MinutesRevision
from setu.coordination.services import meetings as meeting_services
from setu.coordination.services.minutes import MinutesConflict, minutes_restore, minutes_save
from setu.coordination.tests.factories import AgendaItemFactory
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_each_save_is_a_revision_with_its_author(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    own, other = world.users["officer_own"], world.users["officer_other"]
    first = minutes_save(agenda_item=item, actor=own, text="Line one", base_revision=0)
    second = minutes_save(agenda_item=item, actor=other, text="Line one\nLine two", base_revision=1)
    assert first and second and (first.number, second.number) == (1, 2)
    assert second.author == other
    item.refresh_from_db()
    assert item.minutes_text == "Line one\nLine two" and item.minutes_revision == 2
    assert AuditEntry.objects.filter(action="coordination.minutes.saved").count() == 2


def test_saving_the_same_text_makes_no_revision(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    minutes_save(agenda_item=item, actor=world.users["secretariat"], text="A", base_revision=0)
    assert (
        minutes_save(agenda_item=item, actor=world.users["secretariat"], text="A", base_revision=1)
        is None
    )
    assert MinutesRevision.objects.count() == 1


def test_crlf_is_normalised(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    minutes_save(agenda_item=item, actor=world.users["secretariat"], text="a\r\nb", base_revision=0)
    item.refresh_from_db()
    assert item.minutes_text == "a\nb"


def test_stale_base_revision_is_a_conflict_and_writes_nothing(
    world: World, meeting: Meeting
) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    own, other = world.users["officer_own"], world.users["officer_other"]
    minutes_save(agenda_item=item, actor=own, text="Base", base_revision=0)
    # Both opened revision 1; the other saves first.
    minutes_save(agenda_item=item, actor=other, text="Base\nTheirs", base_revision=1)
    with pytest.raises(MinutesConflict) as error:
        minutes_save(agenda_item=item, actor=own, text="Base\nMine", base_revision=1)
    assert error.value.current.number == 2 and error.value.current.author == other
    assert error.value.base == 1
    item.refresh_from_db()
    assert item.minutes_text == "Base\nTheirs"
    assert MinutesRevision.objects.filter(agenda_item=item).count() == 2


def test_restore_makes_a_new_revision(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    actor = world.users["secretariat"]
    minutes_save(agenda_item=item, actor=actor, text="First", base_revision=0)
    minutes_save(agenda_item=item, actor=actor, text="Second", base_revision=1)
    restored = minutes_restore(agenda_item=item, actor=actor, number=1, base_revision=2)
    assert restored.number == 3 and restored.restored_from == 1 and restored.text == "First"
    with pytest.raises(ValidationError, match="already the current"):
        minutes_restore(agenda_item=item, actor=actor, number=3, base_revision=3)
    with pytest.raises(ValidationError, match="no revision"):
        minutes_restore(agenda_item=item, actor=actor, number=9, base_revision=3)
    with pytest.raises(MinutesConflict):
        minutes_restore(agenda_item=item, actor=actor, number=1, base_revision=2)
    assert AuditEntry.objects.filter(action="coordination.minutes.restored").count() == 1


def test_published_minutes_cannot_change(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    actor = world.users["secretariat"]
    minutes_save(agenda_item=item, actor=actor, text="Final", base_revision=0)
    meeting_services.minutes_publish(meeting=meeting, actor=actor, visibility="consortium")
    with pytest.raises(ValidationError, match="published"):
        minutes_save(agenda_item=item, actor=actor, text="Edited", base_revision=1)
    with pytest.raises(ValidationError, match="published"):
        minutes_restore(agenda_item=item, actor=actor, number=1, base_revision=1)
    item.refresh_from_db()
    assert item.minutes_text == "Final"


# --- the editor page --------------------------------------------------------------------------


def test_editor_conflict_shows_their_change_and_keeps_my_text(
    world: World, meeting: Meeting
) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    other = world.users["officer_other"]
    minutes_save(agenda_item=item, actor=other, text="Agreed: seminar", base_revision=0)
    minutes_save(agenda_item=item, actor=other, text="Agreed: seminar in Mumbai", base_revision=1)
    client = world.client_for("officer_own")
    url = reverse("coordination:minutes_edit", args=[item.pk])
    response = client.post(url, {"text": "Agreed: seminar\nMy addition", "base_revision": 1})
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved a newer version (revision 2)" in page
    assert "My addition" in page  # my text is still in the form
    assert "<ins>" in page and "in Mumbai" in page  # their change, shown as a difference
    assert response.context["form"]["base_revision"].value() == "2"
    item.refresh_from_db()
    assert item.minutes_revision == 2
    # Saving again, now based on revision 2, succeeds.
    response = client.post(
        url, {"text": "Agreed: seminar in Mumbai\nMy addition", "base_revision": 2}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes_revision == 3 and "My addition" in item.minutes_text


def test_editor_refuses_published_minutes(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    meeting_services.minutes_publish(
        meeting=meeting, actor=world.users["secretariat"], visibility="consortium"
    )
    client = world.client_for("officer_own")
    response = client.post(
        reverse("coordination:minutes_edit", args=[item.pk]),
        {"text": "Too late", "base_revision": 0},
        follow=True,
    )
    assert "can no longer change" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes_text == ""


def test_history_diff_and_restore_pages(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    actor = world.users["officer_own"]
    minutes_save(agenda_item=item, actor=actor, text="one\ntwo", base_revision=0)
    minutes_save(agenda_item=item, actor=actor, text="one\nthree", base_revision=1)
    client = world.client_for("officer_own")
    history = client.get(reverse("coordination:minutes_history", args=[item.pk]))
    assert history.status_code == 200 and "Restore revision 1" in history.content.decode()
    diff = client.get(reverse("coordination:minutes_diff", args=[item.pk]), {"from": 1, "to": 2})
    page = diff.content.decode()
    assert "two</del>" in page and "three</ins>" in page
    missing = client.get(reverse("coordination:minutes_diff", args=[item.pk]), {"from": 7})
    assert missing.status_code == 302
    response = client.post(
        reverse("coordination:minutes_restore", args=[item.pk]),
        {"number": 1, "base_revision": 2},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes_text == "one\ntwo" and item.minutes_revision == 3


def test_non_participants_do_not_read_draft_minutes(world: World, meeting: Meeting) -> None:
    """A partner reading the meeting through published minutes sees them; a draft is hidden."""
    item = AgendaItemFactory.create(meeting=meeting)
    minutes_save(
        agenda_item=item, actor=world.users["secretariat"], text="Secret draft", base_revision=0
    )
    partner = world.client_for("partner")
    assert partner.get(meeting.get_absolute_url()).status_code == 404
    meeting_services.minutes_publish(
        meeting=meeting, actor=world.users["secretariat"], visibility="partners"
    )
    page = partner.get(meeting.get_absolute_url()).content.decode()
    assert "Secret draft" in page
    history = partner.get(reverse("coordination:minutes_history", args=[item.pk]))
    assert history.status_code == 200


def test_a_nonsense_base_revision_is_a_clear_error(world: World, meeting: Meeting) -> None:
    item = AgendaItemFactory.create(meeting=meeting)
    actor = world.users["secretariat"]
    with pytest.raises(ValidationError, match="out of date"):
        minutes_save(agenda_item=item, actor=actor, text="x", base_revision=5)
    minutes_save(agenda_item=item, actor=actor, text="x", base_revision=0)
    with pytest.raises(MinutesConflict):
        minutes_save(agenda_item=item, actor=actor, text="y", base_revision=7)
    response = world.client_for("secretariat").post(
        reverse("coordination:minutes_edit", args=[item.pk]), {"text": "z", "base_revision": "-3"}
    )
    assert response.status_code == 200 and response.context["form"].errors

"""Published minutes in the trilingual search: nothing before publication, then whoever the
chosen visibility reaches, plus the invited organisations."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import Meeting
from setu.coordination.services import meetings as services
from setu.coordination.services.minutes import minutes_save
from setu.coordination.tests.factories import AgendaItemFactory
from setu.library.search.backends import get_backend

pytestmark = pytest.mark.django_db

Committed = Callable[..., AbstractContextManager[Any]]


def _finds(query: str, user: Any, meeting: Meeting) -> bool:
    keys = [hit.key for hit in get_backend().search(query, user).hits]
    return f"coordination.minutes:{meeting.pk}" in keys


def _write(world: World, meeting: Meeting, commit: Committed) -> None:
    item = AgendaItemFactory.create(meeting=meeting, title_en="Solar parks")
    with commit(execute=True):
        minutes_save(
            agenda_item=item,
            actor=world.users["secretariat"],
            text="Rajasthan offers land for a 50 MW solar park; 太陽光 pilot agreed.",
            base_revision=0,
        )
        services.decision_add(
            meeting=meeting, actor=world.users["secretariat"], text="Send a mission in March."
        )


def test_minutes_are_searchable_once_published_and_only_by_their_readers(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: Committed
) -> None:
    _write(world, meeting, django_capture_on_commit_callbacks)
    assert not _finds("rajasthan", world.users["secretariat"], meeting)  # not yet published
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(
            meeting=meeting, actor=world.users["secretariat"], visibility="consortium"
        )
    assert _finds("rajasthan", world.users["officer_other"], meeting)
    assert _finds("太陽光", world.users["officer_own"], meeting)
    assert _finds("march mission", world.users["secretariat"], meeting)  # decisions too
    assert not _finds("rajasthan", world.users["partner"], meeting)  # consortium only
    page = world.client_for("officer_own").get(reverse("library:search"), {"q": "rajasthan"})
    html = page.content.decode()
    assert f'href="{meeting.get_absolute_url()}"' in html and "Minutes: " in html


def test_an_invited_partner_reads_private_minutes(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: Committed
) -> None:
    services.invitee_add(
        meeting=meeting, actor=world.users["secretariat"], organisation=world.partner_org
    )
    _write(world, meeting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(
            meeting=meeting, actor=world.users["secretariat"], visibility="private"
        )
    assert _finds("rajasthan", world.users["partner"], meeting)
    assert not _finds("rajasthan", world.users["member"], meeting)


def test_a_new_action_item_reaches_the_meeting_participants_digests_until_it_is_done(
    world: World, meeting: Meeting, django_capture_on_commit_callbacks: Committed
) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from setu.coordination.services import actions
    from setu.library.models import NotificationPreference
    from setu.library.notifications import items_for

    services.invitee_add(
        meeting=meeting, actor=world.users["secretariat"], organisation=world.partner_org
    )
    before = timezone.now() - timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        action = actions.action_create(
            meeting=meeting,
            actor=world.users["officer_own"],
            title="Send the Pune supplier shortlist",
            owner=world.prefecture,
            due_on=date.today() + timedelta(days=14),
            visibility="private",
        )

    def digest(role: str) -> list[str]:
        user = world.users[role]
        preference = NotificationPreference(user=user, frequency="daily")
        items = items_for(user, since=before, until=timezone.now(), preference=preference)
        return [item.key for item in items]

    key = f"coordination.action:{action.pk}"
    assert key in digest("partner")  # invited to the meeting
    assert key in digest("officer_own")  # its owner
    assert key not in digest("member")  # neither
    with django_capture_on_commit_callbacks(execute=True):
        actions.action_set_status(action=action, actor=world.users["officer_own"], status="done")
    assert key not in digest("partner")

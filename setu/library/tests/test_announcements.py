"""Announcements in three languages, pushed by email to who may read them; the Atom feed."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from setu.conftest import World
from setu.core.models import Visibility
from setu.library.models import Announcement, NotificationPreference, SentNotification
from setu.library.selectors import announcements_for
from setu.library.tests.factories import AnnouncementFactory

pytestmark = pytest.mark.django_db

TRILINGUAL = {
    "title_en": "Gujarat mission in March",
    "title_ja": "3月のグジャラート訪問団",
    "title_hi": "मार्च में गुजरात मिशन",
    "body_en": "Registration opens on Monday.",
    "body_ja": "登録は月曜日に始まります。",
    "body_hi": "पंजीकरण सोमवार को शुरू होगा।",
    "original_language": "ja",
}


def _post(world: World, committed: Any, **data: Any) -> Any:
    with committed():
        return world.client_for("officer_own").post(
            reverse("library:announcement_create"),
            {"owner": world.prefecture.pk, **TRILINGUAL, **data},
        )


def test_push_reaches_everyone_who_may_read_it_in_their_language(
    world: World, committed: Any
) -> None:
    world.users["partner"].language = "hi"
    world.users["partner"].save()
    world.users["officer_other"].language = "ja"
    world.users["officer_other"].save()
    NotificationPreference.objects.create(user=world.users["student"], announcement_emails=False)
    response = _post(world, committed, visibility=Visibility.PUBLIC, push_email="on")
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mail.outbox}
    # public: every signed-up user but the student who turned announcement emails off
    assert set(by_address) == {
        f"{role}@example.org"
        for role in ("member", "partner", "officer_own", "officer_other", "secretariat")
    }
    assert by_address["partner@example.org"].subject == "मार्च में गुजरात मिशन"
    assert "पंजीकरण सोमवार" in by_address["partner@example.org"].body
    assert by_address["officer_other@example.org"].subject == "3月のグジャラート訪問団"
    assert by_address["member@example.org"].subject == "Gujarat mission in March"
    unsubscribe = by_address["member@example.org"].extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://setu.example/library/unsubscribe/")
    assert by_address["member@example.org"].extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    announcement = Announcement.objects.get()
    assert announcement.pushed_at is not None
    assert (
        SentNotification.objects.filter(item_key=f"library.announcement:{announcement.pk}").count()
        == 5
    )


def test_a_consortium_announcement_goes_to_staff_only_and_never_twice(
    world: World, committed: Any
) -> None:
    _post(world, committed, visibility=Visibility.CONSORTIUM, push_email="on")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "officer_other@example.org",
        "officer_own@example.org",
        "secretariat@example.org",
    ]
    announcement = Announcement.objects.get()
    mail.outbox.clear()
    with committed():
        response = world.client_for("officer_own").post(
            reverse("library:announcement_edit", args=[announcement.pk]),
            {**TRILINGUAL, "title_en": "Gujarat mission (updated)", "visibility": "public"},
        )
    assert response.status_code == 302
    assert mail.outbox == []
    from setu.library.notifications import push_announcement

    with committed():  # a rerun of the task tells only those not told yet
        assert push_announcement(announcement.pk) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "member@example.org",
        "partner@example.org",
        "student@example.org",
    ]


def test_without_push_no_email(world: World, committed: Any) -> None:
    _post(world, committed, visibility=Visibility.PUBLIC)
    assert mail.outbox == []


def test_title_and_text_in_the_same_language(world: World, committed: Any) -> None:
    response = _post(world, committed, visibility="public", body_ja="")
    assert response.status_code == 200
    assert "Write the text in the same language as the title." in response.content.decode()
    response = _post(world, committed, visibility="public", title_en="", title_ja="", title_hi="")
    assert "Give the announcement a title in at least one language." in response.content.decode()
    assert not Announcement.objects.exists()


def test_atom_feed_lists_public_announcements_only(world: World) -> None:
    AnnouncementFactory(owner=world.prefecture, title_en="Open day", visibility=Visibility.PUBLIC)
    AnnouncementFactory(
        owner=world.prefecture, title_en="Staff only", visibility=Visibility.CONSORTIUM
    )
    response = world.client_for("anonymous").get(reverse("library:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Open day</title>" in body and "Staff only" not in body
    japanese = world.client_for("anonymous").get(
        reverse("library:feed"), headers={"Accept-Language": "ja"}
    )
    assert japanese.status_code == 200


def test_dashboard_selector_and_partial(world: World) -> None:
    from django.template.loader import render_to_string

    AnnouncementFactory(owner=world.prefecture, title_en="Public news", visibility="public")
    AnnouncementFactory(owner=world.prefecture, title_en="Staff news", visibility="consortium")
    assert [a.title_en for a in announcements_for(world.user("member"), limit=5)] == ["Public news"]
    assert len(announcements_for(world.user("officer_other"), limit=1)) == 1
    html = render_to_string(
        "library/partials/_announcements.html",
        {"announcements": announcements_for(world.user("secretariat"), limit=5)},
    )
    assert "Staff news" in html and "Public news" in html
    with translation.override("en"):
        empty = render_to_string("library/partials/_announcements.html", {"announcements": []})
    assert "No announcements yet" in empty


@pytest.mark.parametrize("rows", [2, 40])
def test_announcement_list_query_count(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    AnnouncementFactory.create_batch(rows, owner=world.prefecture)
    client = world.client_for("member")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("library:announcements"))
    assert len(response.context["page"].object_list) == min(rows, 20)


def test_atom_feed_carries_announcement_text_as_plain_text(world: World) -> None:
    """A feed reader shows the text as written: ``<script>`` and ``&amp;`` are literal words,
    never markup a reader would run or decode."""
    body = 'Bring <script>alert("x")</script> & read "R&amp;D" notes.'
    AnnouncementFactory(
        owner=world.prefecture,
        title_en="Tags <b>in</b> a title & more",
        body_en=body,
        visibility=Visibility.PUBLIC,
    )
    response = world.client_for("anonymous").get(reverse("library:feed"))
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ElementTree.fromstring(response.content).find(f"{atom}entry")  # noqa: S314  # our own feed
    assert entry is not None
    summary = entry.find(f"{atom}summary")
    title = entry.find(f"{atom}title")
    assert summary is not None and title is not None
    assert summary.get("type", "text") == "text"
    assert summary.text == body
    assert title.get("type", "text") == "text"
    assert title.text == "Tags <b>in</b> a title & more"

"""Immediate emails, daily and weekly digests in each user's zone, one-click unsubscribe."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.conftest import ROLES, World
from setu.core.models import Visibility
from setu.directory.models import Sector
from setu.library import services
from setu.library.models import (
    Announcement,
    Collection,
    DigestRun,
    Document,
    Frequency,
    NotificationPreference,
    Scope,
    SentNotification,
)
from setu.library.notifications import readers_of, send_due_digests, unsubscribe_token

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
KOLKATA = ZoneInfo("Asia/Kolkata")


def _next(zone: ZoneInfo, hour: int, minute: int = 30, weekday: int | None = None) -> datetime:
    """The next moment after now when it is hour:minute (on ``weekday``) in ``zone``."""
    local = (
        timezone.now().astimezone(zone).replace(hour=hour, minute=minute, second=0, microsecond=0)
    )
    while local <= timezone.now() or (weekday is not None and local.weekday() != weekday):
        local += timedelta(days=1)
    return local


def _prefer(world: World, role: str, frequency: str, **fields: Any) -> None:
    NotificationPreference.objects.update_or_create(
        user=world.users[role], defaults={"frequency": frequency, **fields}
    )


def _quiet(world: World, *roles: str) -> None:
    for role in roles:
        _prefer(world, role, Frequency.OFF)


def _share(world: World, committed: Any, title: str, **fields: Any) -> Document:
    fields.setdefault("visibility", Visibility.PARTNERS)
    with committed():
        document = services.document_create(
            document=Document(title_en=title, **fields),
            actor=world.users["officer_own"],
            owner=fields.pop("owner", world.prefecture),
        )
    return document


@pytest.mark.parametrize("visibility", [v for v, _label in Visibility.choices])
@pytest.mark.parametrize("owner", ["prefecture", "company"])
def test_readers_of_agrees_with_the_ownership_rule(
    world: World, visibility: str, owner: str
) -> None:
    organisation = getattr(world, owner)
    document = Document.objects.create(owner=organisation, title_en="x", visibility=visibility)
    collection = Collection.objects.create(owner=world.other_prefecture, name_en="WG")
    collection.members.add(world.university)
    collection.items.create(document=document)
    readers = set(
        readers_of(
            owner_id=organisation.pk,
            managed_by_id=organisation.managed_by_id,
            visibility=visibility,
            reader_ids=[world.other_prefecture.pk, world.university.pk],
        )
    )
    for role in ROLES[1:]:
        user = world.users[role]
        may_read = Document.objects.visible_to(user).filter(pk=document.pk).exists()
        assert (user in readers) is may_read, (role, visibility, owner)


def test_daily_digest_at_eight_in_each_users_zone(world: World, committed: Any) -> None:
    _quiet(world, "student", "officer_own", "officer_other", "secretariat")
    _prefer(world, "member", Frequency.DAILY)
    _prefer(world, "partner", Frequency.DAILY)
    partner = world.users["partner"]
    partner.time_zone, partner.language = "Asia/Kolkata", "hi"
    partner.save()
    _share(world, committed, "Solar tender list")
    with committed():
        services.announcement_save(
            announcement=Announcement(title_en="Mission dates", body_en="x", visibility="public"),
            actor=world.users["officer_own"],
            owner=world.prefecture,
        )
    tokyo_morning = _next(TOKYO, 8)
    with committed():
        assert send_due_digests(tokyo_morning) == (1, 2)
    [message] = mail.outbox
    assert message.to == ["member@example.org"]
    assert message.subject == "Setu daily digest: 2 new items"
    assert "Solar tender list" in message.body and "Mission dates" in message.body
    assert "https://setu.example/library/documents/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://setu.example/library/unsubscribe/"
    )
    # rerunning within the hour, or later the same day, sends nothing more
    with committed():
        assert send_due_digests(tokyo_morning + timedelta(minutes=20)) == (0, 0)
    assert len(mail.outbox) == 1
    # 08:30 in Kolkata: the partner's digest, in Hindi
    with committed():
        assert send_due_digests(_next(KOLKATA, 8)) == (1, 2)
    assert mail.outbox[1].to == ["partner@example.org"]
    assert "डाइजेस्ट" in mail.outbox[1].subject or mail.outbox[1].subject.startswith("Setu")


def test_never_a_duplicate_across_days_and_channels(world: World, committed: Any) -> None:
    _quiet(world, "student", "partner", "officer_own", "officer_other", "secretariat")
    _prefer(world, "member", Frequency.DAILY)
    _share(world, committed, "First")
    first_morning = _next(TOKYO, 8)
    with committed():
        send_due_digests(first_morning)
    with committed():  # pushed by email: the digest must not repeat it
        services.announcement_save(
            announcement=Announcement(
                title_en="Pushed", body_en="x", visibility="public", push_email=True
            ),
            actor=world.users["officer_own"],
            owner=world.prefecture,
        )
    _share(world, committed, "Second")
    mail.outbox.clear()
    with committed():
        send_due_digests(first_morning + timedelta(days=1))
    [digest] = mail.outbox
    assert "Second" in digest.body
    assert "First" not in digest.body and "Pushed" not in digest.body
    keys = list(
        SentNotification.objects.filter(user=world.users["member"]).values_list(
            "item_key", flat=True
        )
    )
    assert len(keys) == len(set(keys)) == 3


def test_weekly_digest_on_monday_and_default_for_users_without_a_choice(
    world: World, committed: Any
) -> None:
    _quiet(world, "student", "partner", "officer_own", "officer_other", "secretariat")
    _share(world, committed, "Weekly item")
    monday = _next(TOKYO, 8, weekday=0)
    with committed():
        send_due_digests(monday - timedelta(days=1))  # Sunday 08:30: nothing for weekly
    assert mail.outbox == []
    with committed():
        assert send_due_digests(monday) == (1, 1)
    assert mail.outbox[0].subject == "Setu weekly digest: 1 new item"
    assert DigestRun.objects.get().period.endswith(f"W{monday.isocalendar()[1]:02d}")


def test_relevant_scope_uses_the_organisations_sectors(world: World, committed: Any) -> None:
    _quiet(world, "student", "partner", "officer_own", "officer_other", "secretariat")
    _prefer(world, "member", Frequency.DAILY, scope=Scope.RELEVANT)
    energy, food = Sector.objects.get(code="35"), Sector.objects.get(code="10")
    world.company.sectors.add(energy)
    solar = _share(world, committed, "Solar tariffs")
    tea = _share(world, committed, "Tea exports")
    general = _share(world, committed, "Network newsletter")
    with committed():
        solar.sectors.add(energy)
        tea.sectors.add(food)
        services.document_update(document=solar, actor=world.users["officer_own"])
        services.document_update(document=tea, actor=world.users["officer_own"])
    with committed():
        send_due_digests(_next(TOKYO, 8))
    body = mail.outbox[0].body
    assert "Solar tariffs" in body and "Network newsletter" in body and "Tea exports" not in body
    assert general


def test_immediate_email_once_when_a_record_becomes_shared(world: World, committed: Any) -> None:
    _quiet(world, "student", "partner", "officer_own", "officer_other", "secretariat")
    _prefer(world, "member", Frequency.IMMEDIATE)
    document = _share(world, committed, "Private draft", visibility=Visibility.CONSORTIUM)
    assert mail.outbox == []  # the member may not read it
    with committed():
        document.visibility = Visibility.PARTNERS
        services.document_update(document=document, actor=world.users["officer_own"])
    [message] = mail.outbox
    assert message.subject == "New on Setu: Private draft"
    with committed():
        document.title_en = "Final"
        services.document_update(document=document, actor=world.users["officer_own"])
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe(world: World) -> None:
    member = world.users["member"]
    url = reverse("library:unsubscribe", args=[unsubscribe_token(member, "digest")])
    page = Client().get(url)
    assert page.status_code == 200 and "member@example.org" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()  # GET changes nothing
    # RFC 8058: the mail client POSTs without a CSRF token
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=member).frequency == Frequency.OFF
    announcements = reverse(
        "library:unsubscribe", args=[unsubscribe_token(member, "announcements")]
    )
    Client(enforce_csrf_checks=True).post(announcements)
    assert NotificationPreference.objects.get(user=member).announcement_emails is False


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1abc:forged"])
def test_a_bad_unsubscribe_link_says_so(world: World, token: str) -> None:
    response = Client().post(reverse("library:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_preferences_page(world: World) -> None:
    client = world.client_for("partner")
    page = client.get(reverse("library:notifications")).content.decode()
    for source in ("library.document", "library.announcement", "events.event"):
        assert f'value="{source}"' in page  # every digest source can be chosen
    response = client.post(
        reverse("library:notifications"),
        {"frequency": "immediate", "scope": "everything", "sources": ["library.document"]},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.users["partner"])
    assert preference.frequency == "immediate" and preference.announcement_emails is False
    assert sorted(preference.muted_sources) == [
        "coordination.action",
        "coordination.minutes",
        "events.event",
        "library.announcement",
    ]
    response = client.post(reverse("library:notifications"), {"frequency": "hourly"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_send_digests_command(world: World) -> None:
    out = StringIO()
    call_command("send_digests", "--now", "2026-03-02T08:05+09:00", stdout=out)
    assert "digests sent" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_digests", "--now", "2026-03-02T08:05")
    with pytest.raises(CommandError):
        call_command("send_digests", "--now", "tomorrow")

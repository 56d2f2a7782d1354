"""Registration, capacity, the waitlist, claims, approval: the services, on any database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from setu.accounts.tests.factories import UserFactory
from setu.conftest import World
from setu.events import registration as reg
from setu.events.models import Attendee, Event, Question, Registration, RegistrationStatus
from setu.events.tests.factories import EventFactory, category

pytestmark = pytest.mark.django_db

S = RegistrationStatus
Register = Callable[..., Registration]


def _statuses(event: Event) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Registration.objects.filter(event=event).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def _seats_taken(event: Event) -> int:
    return Attendee.objects.filter(
        event=event, active=True, registration__status__in=["confirmed", "offered"]
    ).count()


def test_confirms_until_full_then_waitlists_in_order(event: Event, register: Register) -> None:
    event.capacity = 3
    event.save()
    made = [register(event) for _ in range(6)]
    assert [r.status for r in made] == [S.CONFIRMED] * 3 + [S.WAITLISTED] * 3
    assert [r.waitlist_position for r in made[3:]] == [1, 2, 3]
    assert _seats_taken(event) == 3


def test_full_without_waitlist_is_refused_and_nothing_saved(
    event: Event, register: Register
) -> None:
    event.capacity = 1
    event.waitlist_enabled = False
    event.save()
    register(event)
    before = Registration.objects.count(), Attendee.objects.count()
    with pytest.raises(ValidationError, match="full"):
        register(event, "late@example.org")
    assert (Registration.objects.count(), Attendee.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_closes_at": -1}, "Registration closed"),
        ({"registration_opens_at": +1}, "Registration opens"),
        ({"starts_at": -2}, "already started"),
        ({"visibility": "draft"}, "draft"),
    ],
)
def test_closed_windows_refuse(
    event: Event, register: Register, change: dict[str, Any], message: str
) -> None:
    now = timezone.now()
    for field, value in change.items():
        if isinstance(value, int):
            value = now + timedelta(days=value)
            if field == "starts_at":
                event.ends_at = now + timedelta(days=1)
        setattr(event, field, value)
    event.save()
    with pytest.raises(ValidationError, match=message):
        register(event)
    assert not Registration.objects.filter(event=event).exists()


def test_refusal_speaks_the_users_language(event: Event, register: Register) -> None:
    event.registration_closes_at = timezone.now() - timedelta(hours=1)
    event.save()
    with translation.override("ja"), pytest.raises(ValidationError) as caught:
        register(event)
    with translation.override("ja"):
        template = translation.gettext("Registration closed on %(when)s.")
    before, after = template.split("%(when)s")
    message = caught.value.messages[0]
    assert message.startswith(before) and message.endswith(after) and "IST" in message


def test_invalid_email_is_refused(event: Event, register: Register) -> None:
    with pytest.raises(ValidationError, match="not a valid email"):
        register(event, "not-an-email")
    assert not Registration.objects.exists()


def test_same_person_cannot_register_twice_but_can_after_cancelling(
    event: Event, register: Register
) -> None:
    first = register(event, "ravi@example.org")
    with pytest.raises(ValidationError, match="already registered"):
        register(event, "RAVI@example.org")
    reg.registration_cancel(registration=first, actor=None)
    again = register(event, "ravi@example.org")
    assert again.status == S.CONFIRMED


def test_a_person_listed_twice_in_one_group_is_refused(event: Event, register: Register) -> None:
    with pytest.raises(ValidationError, match="listed twice"):
        register(event, "a@example.org", "A@example.org")


def test_required_answers_and_choices_are_checked(event: Event, register: Register) -> None:
    need = Question.objects.create(event=event, kind="text", label_en="Purpose", required=True)
    pick = Question.objects.create(
        event=event, kind="single", label_en="Lunch", choices="Veg\nNon-veg", required=False
    )
    yes_no = Question.objects.create(event=event, kind="yes_no", label_en="Visa letter?")
    many = Question.objects.create(
        event=event, kind="multiple", label_en="Topics", choices="Hydrogen\nEV\nSolar"
    )
    with pytest.raises(ValidationError, match="Purpose"):
        register(event, answers={str(pick.pk): "Veg"})
    with pytest.raises(ValidationError, match="Lunch"):
        register(event, answers={str(need.pk): "x", str(pick.pk): "Sushi"})
    assert not Registration.objects.exists()
    made = register(
        event,
        answers={
            str(need.pk): " Market entry ",
            str(pick.pk): "Veg",
            str(yes_no.pk): False,
            str(many.pk): ["EV", "Solar"],
            "999999": "tampered id is ignored",
        },
    )
    assert made.answers == {
        str(need.pk): "Market entry",
        str(pick.pk): "Veg",
        str(yes_no.pk): False,
        str(many.pk): ["EV", "Solar"],
    }


def test_ticket_category_of_another_event_is_refused(event: Event, register: Register) -> None:
    other = EventFactory.create(owner=event.owner)
    foreign = category(other, "Government", 5)
    category(event, "Indian company", 5)
    with pytest.raises(ValidationError, match="not one of this event"):
        register(event, category=foreign)
    with pytest.raises(ValidationError, match="Choose a ticket category"):
        register(event)


def test_category_capacity_is_never_exceeded(event: Event, register: Register) -> None:
    event.capacity = 10
    event.save()
    indian = category(event, "Indian company", 2)
    japanese = category(event, "Japanese company", None)
    made = [register(event, category=indian) for _ in range(3)]
    assert [r.status for r in made] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    # Another category still gets seats: the full one blocks only itself.
    assert register(event, category=japanese).status == S.CONFIRMED


def test_group_takes_a_seat_each_and_waits_as_one(event: Event, register: Register) -> None:
    event.capacity = 4
    event.save()
    group = register(event, "a@x.org", "b@x.org", "c@x.org")
    assert group.status == S.CONFIRMED
    assert group.attendees.count() == 3
    second = register(event, "d@x.org", "e@x.org")
    assert second.status == S.WAITLISTED  # 1 seat free, the group needs 2
    single = register(event, "f@x.org")
    # Policy: nobody jumps a waiting group, so the single waits behind it.
    assert single.status == S.WAITLISTED
    assert (second.waitlist_position, single.waitlist_position) == (1, 2)


def test_freed_seats_promote_the_head_group_only_when_all_fit(
    event: Event, register: Register
) -> None:
    event.capacity = 3
    event.save()
    first = register(event, "a@x.org")
    second = register(event, "b@x.org")
    register(event, "c@x.org")
    group = register(event, "g1@x.org", "g2@x.org")
    single = register(event, "s@x.org")
    reg.registration_cancel(registration=first, actor=None)
    group.refresh_from_db()
    single.refresh_from_db()
    assert (group.status, single.status) == (S.WAITLISTED, S.WAITLISTED)  # 1 free, group needs 2
    reg.registration_cancel(registration=second, actor=None)
    group.refresh_from_db()
    single.refresh_from_db()
    assert (group.status, single.status) == (S.CONFIRMED, S.WAITLISTED)
    assert _seats_taken(event) == 3


def test_group_larger_than_the_event_is_refused(event: Event, register: Register) -> None:
    event.capacity = 2
    event.save()
    with pytest.raises(ValidationError, match="cannot fit"):
        register(event, "a@x.org", "b@x.org", "c@x.org")


def test_group_larger_than_allowed_is_refused(event: Event, register: Register) -> None:
    event.max_group_size = 2
    event.save()
    with pytest.raises(ValidationError, match="at most 2"):
        register(event, "a@x.org", "b@x.org", "c@x.org")


def test_cancellation_promotes_the_next_with_an_email(
    event: Event, register: Register, django_capture_on_commit_callbacks: Any
) -> None:
    event.capacity = 1
    event.save()
    first = register(event)
    waiting = register(event, "next@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = reg.registration_cancel(registration=first, actor=None)
    assert [r.pk for r in promoted] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    to_next = [m for m in mail.outbox if m.to == [waiting.email]]
    assert to_next and "seat is yours" in to_next[0].subject
    assert any(name.endswith(".ics") for name, *_ in to_next[0].attachments)


def test_removing_one_person_from_a_group_frees_their_seat(
    event: Event, register: Register
) -> None:
    event.capacity = 2
    event.save()
    group = register(event, "a@x.org", "b@x.org")
    waiting = register(event, "w@x.org")
    person = group.attendees.get(email="b@x.org")
    reg.attendee_cancel(attendee=person, actor=None)
    waiting.refresh_from_db()
    group.refresh_from_db()
    assert (group.status, waiting.status) == (S.CONFIRMED, S.CONFIRMED)
    reg.attendee_cancel(attendee=group.attendees.get(email="a@x.org"), actor=None)
    group.refresh_from_db()
    assert group.status == S.CANCELLED


def test_claim_window_offer_claim_and_lapse(
    event: Event, register: Register, django_capture_on_commit_callbacks: Any
) -> None:
    event.capacity = 1
    event.claim_hours = 24
    event.save()
    first = register(event)
    second = register(event, "second@example.org")
    third = register(event, "third@example.org")
    reg.registration_cancel(registration=first, actor=None)
    second.refresh_from_db()
    assert second.status == S.OFFERED and second.claim_expires_at is not None
    assert _seats_taken(event) == 1  # the offered seat is held
    # The offer lapses: the seat goes to the next.
    later = timezone.now() + timedelta(hours=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert reg.offers_expire(now=later) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (S.EXPIRED, S.OFFERED)
    assert any("lapsed" in m.subject for m in mail.outbox if m.to == [second.email])
    # Claiming in time confirms.
    claimed = reg.registration_claim(registration=third, actor=None, now=later)
    assert claimed.status == S.CONFIRMED


def test_claiming_too_late_passes_the_seat_on(event: Event, register: Register) -> None:
    event.capacity = 1
    event.claim_hours = 2
    event.save()
    first = register(event)
    second = register(event, "second@example.org")
    third = register(event, "third@example.org")
    reg.registration_cancel(registration=first, actor=None)
    late = timezone.now() + timedelta(hours=3)
    result = reg.registration_claim(registration=second, actor=None, now=late)
    third.refresh_from_db()
    assert (result.status, third.status) == (S.EXPIRED, S.OFFERED)


def test_organiser_promotes_by_hand_but_never_overbooks(
    world: World, event: Event, register: Register
) -> None:
    officer = world.users["officer_own"]
    event.capacity = 3
    event.save()
    register(event)
    register(event, "g1@x.org", "g2@x.org")
    group = register(event, "h1@x.org", "h2@x.org")
    with pytest.raises(ValidationError, match="Not enough free seats"):
        reg.registration_promote(registration=group, actor=officer)
    event.capacity = 5
    event.save()
    assert reg.registration_promote(registration=group, actor=officer).status == S.CONFIRMED


def test_approval_flow(world: World, event: Event, register: Register) -> None:
    officer = world.users["officer_own"]
    event.requires_approval = True
    event.capacity = 1
    event.save()
    first, second, third = register(event), register(event), register(event)
    assert {first.status, second.status, third.status} == {S.PENDING}
    assert _seats_taken(event) == 0  # pending holds no seat
    assert reg.registration_approve(registration=first, actor=officer).status == S.CONFIRMED
    assert reg.registration_approve(registration=second, actor=officer).status == S.WAITLISTED
    reg.registration_decline(registration=third, actor=officer)
    third.refresh_from_db()
    assert third.status == S.DECLINED
    with pytest.raises(ValidationError):
        reg.registration_approve(registration=third, actor=officer)


def test_guest_counts_only_after_confirming_the_email(
    event: Event, register: Register, django_capture_on_commit_callbacks: Any
) -> None:
    event.capacity = 1
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        guest = register(event, "guest@example.org", guest=True)
    assert guest.status == S.UNCONFIRMED
    assert "Confirm your registration" in mail.outbox[-1].subject
    member = register(event)
    assert member.status == S.CONFIRMED  # the unconfirmed guest held nothing
    placed = reg.registration_confirm_email(registration=guest)
    assert placed.status == S.WAITLISTED and placed.waitlist_position == 1
    assert reg.registration_confirm_email(registration=placed).status == S.WAITLISTED


def test_registering_again_replaces_an_unconfirmed_guest_registration(
    event: Event, register: Register
) -> None:
    first = register(event, "guest@example.org", guest=True)
    second = register(event, "guest@example.org", guest=True)
    assert not Registration.objects.filter(pk=first.pk).exists()
    assert second.status == S.UNCONFIRMED


def test_sequential_registrations_never_overbook(event: Event, register: Register) -> None:
    event.capacity = 5
    event.save()
    for index in range(12):
        register(event, f"p{index}@x.org")
    assert _seats_taken(event) == 5
    positions = sorted(
        Registration.objects.filter(event=event, status=S.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, 8))


def test_confirmation_email_carries_a_valid_ics_and_qr_tickets(
    event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create(email="ja@example.org", language="ja", time_zone="Asia/Tokyo")
    event.title_ja = "ムンバイ投資セミナー"
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        reg.registration_create(
            event=event,
            registrant=reg.Registrant(
                name="Sato", email=user.email, user=user, language="ja", time_zone="Asia/Tokyo"
            ),
            people=[reg.Person("Sato", user.email, user), reg.Person("Kato", "kato@x.org")],
        )
    to_booker = next(m for m in mail.outbox if m.to == [user.email])
    assert "ムンバイ投資セミナー" in to_booker.subject
    assert "IST" in to_booker.body and "JST" in to_booker.body  # venue time and the reader's
    names = [name for name, *_ in to_booker.attachments]
    assert "event.ics" in names
    assert sum(name.endswith(".png") for name in names) == 2
    ics = next(content for name, content, *_ in to_booker.attachments if name == "event.ics")
    calendar = icalendar.Calendar.from_ical(ics)
    vevent = calendar.walk("VEVENT")[0]
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert str(vevent["dtstart"].params["TZID"]) == "Asia/Kolkata"
    assert calendar.walk("VTIMEZONE")
    # The colleague gets their own ticket.
    to_colleague = [m for m in mail.outbox if m.to == ["kato@x.org"]]
    assert len(to_colleague) == 1
    assert sum(name.endswith(".png") for name, *_ in to_colleague[0].attachments) == 1


def test_stored_counts_follow_every_seat_change(
    world: World, event: Event, register: Register
) -> None:
    """The counts shown on pages (stored on the event row) match the attendees after each step."""
    officer = world.users["officer_own"]
    event.capacity = 3
    event.save()
    indian = category(event, "Indian company", 2)

    def check() -> None:
        event.refresh_from_db()
        indian.refresh_from_db()
        holding = Attendee.objects.filter(
            event=event, active=True, registration__status__in=["confirmed", "offered"]
        )
        waiting = Attendee.objects.filter(
            event=event, active=True, registration__status="waitlisted"
        )
        assert (event.seats_taken, event.waiting_count) == (holding.count(), waiting.count())
        assert indian.seats_taken == holding.filter(registration__category=indian).count()

    group = register(event, "a@x.org", "b@x.org", category=indian)
    check()
    single = register(event, "c@x.org", category=indian)  # category full: waits
    check()
    other = register(event, "d@x.org", category=indian)
    check()
    reg.attendee_cancel(attendee=group.attendees.get(email="b@x.org"), actor=None)
    check()
    reg.registration_cancel(registration=group, actor=None)
    check()
    reg.registration_cancel(registration=other, actor=officer)
    check()
    single.refresh_from_db()
    assert single.status == S.CONFIRMED

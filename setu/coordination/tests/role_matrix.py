"""Role × URL rows for coordination (vocabulary in setu/core/tests/matrix.py).

The test world: the secretariat organises a consortium meeting to which officer_own's
prefecture (Yamanashi) is invited and officer_other's (Shizuoka) is not; Yamanashi leads a
consortium mission to Mumbai. Rows that delete something use a *private* mission led by
Shizuoka, so that only officer_other may delete and everyone else answers as the rule says
(404 for a private record of another organisation), whatever the order of the requests.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from setu.conftest import World
from setu.coordination.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    BudgetLine,
    CalendarFeedToken,
    ClashNotice,
    Decision,
    Delegate,
    Invitee,
    ItineraryItem,
    JointProposal,
    Meeting,
    MeetingSeries,
    Mission,
    MissionDestination,
    MissionParticipant,
    MissionTask,
)
from setu.coordination.tests.factories import city, days_from_today, in_days
from setu.core.tests.matrix import ALL_200, NETWORK_200, STAFF_ONLY, Row

# anonymous, student, member, partner, officer_own, officer_other, secretariat
SERIES_EDIT = ("login", "404", "404", "404", "403", "403", "200")
MEETING_READ = ("login", "403", "404", "404", "200", "200", "200")
MEETING_MANAGE = ("login", "404", "404", "404", "403", "403", "200")
TO_MEETING = "→/coordination/meetings/"
MEETING_MANAGE_POST = ("login", "404", "404", "404", "403", "403", TO_MEETING)
# officer_own's prefecture is invited: a participant; officer_other's is not
PARTICIPANT = ("login", "404", "404", "404", "200", "403", "200")
PARTICIPANT_POST = ("login", "404", "404", "404", TO_MEETING, "403", TO_MEETING)
TO_MISSION = "→/coordination/missions/"
MISSION_READ = ("login", "403", "404", "404", "200", "200", "200")
MISSION_LEAD = ("login", "404", "404", "404", "200", "403", "403")
MISSION_LEAD_POST = ("login", "404", "404", "404", TO_MISSION, "403", "403")
# deleting from Shizuoka's private mission
PRIVATE_DELETE = ("login", "404", "404", "404", "404", TO_MISSION, "404")
CLASH_SIDES = ("login", "404", "404", "404", "→/coordination/", "→/coordination/", "404")
PROPOSAL_ANSWER = ("login", "404", "404", "404", TO_MISSION, "404", "404")
# Yamanashi's own plan is the duplicate: only its officer merges or withdraws it; Shizuoka's
# officer (the joint mission's lead) sees the proposal but may not act on the other's plan.
DUPLICATE_RESOLVE = ("login", "404", "404", "404", TO_MISSION, "403", "404")


def _series(w: World) -> MeetingSeries:
    return MeetingSeries.objects.create(
        owner=w.secretariat_org, title_en="Working group", visibility="consortium"
    )


def _meeting(w: World) -> Meeting:
    meeting = Meeting.objects.create(
        owner=w.secretariat_org,
        title_en="Council",
        starts_at=in_days(5),
        ends_at=in_days(5) + timedelta(hours=2),
        visibility="consortium",
    )
    Invitee.objects.create(meeting=meeting, organisation=w.prefecture)
    return meeting


def _item(w: World) -> AgendaItem:
    return AgendaItem.objects.create(meeting=_meeting(w), title_en="Updates", position=1)


def _invitee(w: World) -> Invitee:
    return _meeting(w).invitees.get()


def _action(w: World) -> ActionItem:
    return ActionItem.objects.create(
        meeting=_meeting(w),
        title="Draft the programme",
        owner=w.prefecture,
        due_on=days_from_today(10),
        visibility="consortium",
    )


def _mission(w: World, *, owner: object = None, visibility: str = "consortium") -> Mission:
    mission = Mission.objects.create(
        owner=owner or w.prefecture,
        title_en="Mumbai mission",
        starts_on=days_from_today(30),
        ends_on=days_from_today(33),
        visibility=visibility,
    )
    MissionDestination.objects.create(
        mission=mission, city=city("in-mumbai"), starts_on=mission.starts_on,
        ends_on=mission.ends_on,
    )  # fmt: skip
    return mission


def _private(w: World) -> Mission:
    """Shizuoka's private mission, with Yamanashi not taking part."""
    return _mission(w, owner=w.other_prefecture, visibility="private")


def _itinerary(mission: Mission) -> ItineraryItem:
    start = datetime.combine(mission.starts_on, time(10), ZoneInfo("Asia/Kolkata"))
    return ItineraryItem.objects.create(
        mission=mission, kind="visit", starts_at=start, ends_at=start + timedelta(hours=2),
        title_en="Chamber visit",
    )  # fmt: skip


def _notice(w: World) -> ClashNotice:
    from setu.coordination.services.clashes import clash_recompute_for_mission

    _mission(w)
    clash_recompute_for_mission(mission=_mission(w, owner=w.other_prefecture))
    return ClashNotice.objects.get()


def _proposal(w: World) -> JointProposal:
    ours, theirs = _mission(w), _mission(w, owner=w.other_prefecture)
    return JointProposal.objects.create(
        from_mission=theirs, to_mission=ours, proposer=w.other_prefecture
    )


def _agreed(w: World) -> JointProposal:
    """Yamanashi asked to join Shizuoka's mission and Shizuoka accepted."""
    ours, theirs = _mission(w), _mission(w, owner=w.other_prefecture)
    proposal = JointProposal.objects.create(
        from_mission=ours, to_mission=theirs, proposer=w.prefecture, status="accepted"
    )
    MissionParticipant.objects.create(mission=theirs, organisation=w.prefecture)
    return proposal


def _feed(w: World) -> str:
    token = CalendarFeedToken.objects.create(user=w.users["officer_own"]).token
    return reverse("coordination:calendar_feed", args=[token])


def _url(name: str, obj: object) -> str:
    return reverse(f"coordination:{name}", args=[obj.pk])  # type: ignore[attr-defined]


ROWS: dict[str, Row] = {
    "coordination:home": Row(STAFF_ONLY),
    "coordination:actions": Row(NETWORK_200),
    "coordination:calendar": Row(NETWORK_200),
    "coordination:calendar_feed": Row(ALL_200, url=_feed),  # the token is the key
    "coordination:calendar_feed_reset": Row(
        ("login", "403") + ("→/coordination/calendar/",) * 5, method="post"
    ),
    # meetings
    "coordination:series_create": Row(STAFF_ONLY),
    "coordination:series": Row(MEETING_READ, url=lambda w: _url("series", _series(w))),
    "coordination:series_edit": Row(SERIES_EDIT, url=lambda w: _url("series_edit", _series(w))),
    "coordination:meetings": Row(NETWORK_200),
    "coordination:meeting_create": Row(STAFF_ONLY),
    "coordination:meeting": Row(MEETING_READ, url=lambda w: _url("meeting", _meeting(w))),
    "coordination:meeting_edit": Row(
        MEETING_MANAGE, url=lambda w: _url("meeting_edit", _meeting(w))
    ),
    "coordination:meeting_print": Row(
        MEETING_READ, url=lambda w: _url("meeting_print", _meeting(w))
    ),
    "coordination:meeting_close": Row(
        MEETING_MANAGE_POST, url=lambda w: _url("meeting_close", _meeting(w)), method="post"
    ),
    "coordination:invitee_add": Row(
        MEETING_MANAGE_POST, url=lambda w: _url("invitee_add", _meeting(w)), method="post"
    ),
    "coordination:invitee_remove": Row(
        MEETING_MANAGE_POST, url=lambda w: _url("invitee_remove", _invitee(w)), method="post"
    ),
    # answering for Yamanashi: its officer only
    "coordination:rsvp": Row(
        ("login", "404", "404", "404", TO_MEETING, "403", "403"),
        url=lambda w: _url("rsvp", _invitee(w)),
        method="post",
    ),
    "coordination:agenda_item_create": Row(
        MEETING_MANAGE, url=lambda w: _url("agenda_item_create", _meeting(w))
    ),
    "coordination:agenda_item_edit": Row(
        MEETING_MANAGE, url=lambda w: _url("agenda_item_edit", _item(w))
    ),
    "coordination:agenda_item_move": Row(
        MEETING_MANAGE_POST, url=lambda w: _url("agenda_item_move", _item(w)), method="post"
    ),
    "coordination:agenda_item_delete": Row(
        MEETING_MANAGE_POST, url=lambda w: _url("agenda_item_delete", _item(w)), method="post"
    ),
    "coordination:attachment_add": Row(
        PARTICIPANT_POST, url=lambda w: _url("attachment_add", _item(w)), method="post"
    ),
    "coordination:attachment_delete": Row(
        MEETING_MANAGE_POST,
        url=lambda w: _url(
            "attachment_delete",
            AgendaAttachment.objects.create(
                agenda_item=_item(w), title="Programme", url="https://docs.example.org/p"
            ),
        ),
        method="post",
    ),
    "coordination:minutes_edit": Row(PARTICIPANT, url=lambda w: _url("minutes_edit", _item(w))),
    "coordination:minutes_history": Row(
        PARTICIPANT, url=lambda w: _url("minutes_history", _item(w))
    ),
    "coordination:minutes_diff": Row(PARTICIPANT, url=lambda w: _url("minutes_diff", _item(w))),
    # an empty form restores nothing and goes back to the history
    "coordination:minutes_restore": Row(
        ("login", "404", "404", "404", "→/coordination/agenda/", "403", "→/coordination/agenda/"),
        url=lambda w: _url("minutes_restore", _item(w)),
        method="post",
    ),
    "coordination:decision_add": Row(
        PARTICIPANT_POST, url=lambda w: _url("decision_add", _meeting(w)), method="post"
    ),
    "coordination:decision_delete": Row(
        MEETING_MANAGE_POST,
        url=lambda w: _url(
            "decision_delete", Decision.objects.create(meeting=_meeting(w), text="Agreed.")
        ),
        method="post",
    ),
    "coordination:minutes_publish": Row(
        MEETING_MANAGE_POST, url=lambda w: _url("minutes_publish", _meeting(w)), method="post"
    ),
    "coordination:action_create": Row(
        PARTICIPANT, url=lambda w: _url("action_create", _meeting(w))
    ),
    # Yamanashi's item: its officer and the secretariat
    "coordination:action_edit": Row(
        ("login", "404", "404", "404", "200", "403", "200"),
        url=lambda w: _url("action_edit", _action(w)),
    ),
    "coordination:action_status": Row(
        ("login", "404", "404", "404", TO_MEETING, "403", TO_MEETING),
        url=lambda w: _url("action_status", _action(w)),
        method="post",
    ),
    # missions
    "coordination:missions": Row(NETWORK_200),
    "coordination:mission_create": Row(("login", "403", "403", "403", "200", "200", "403")),
    "coordination:mission": Row(MISSION_READ, url=lambda w: _url("mission", _mission(w))),
    "coordination:mission_edit": Row(MISSION_LEAD, url=lambda w: _url("mission_edit", _mission(w))),
    "coordination:mission_print": Row(
        MISSION_READ, url=lambda w: _url("mission_print", _mission(w))
    ),
    "coordination:mission_report": Row(
        ("login", "404", "404", "404", "200", "200", "200"),
        url=lambda w: _url("mission_report", _mission(w)),
    ),
    "coordination:participant_add": Row(
        MISSION_LEAD_POST, url=lambda w: _url("participant_add", _mission(w)), method="post"
    ),
    # Yamanashi takes part in Shizuoka's private mission: reads it, cannot remove itself
    "coordination:participant_remove": Row(
        ("login", "404", "404", "404", "403", TO_MISSION, "404"),
        url=lambda w: _url(
            "participant_remove",
            MissionParticipant.objects.create(mission=_private(w), organisation=w.prefecture),
        ),
        method="post",
    ),
    "coordination:destination_add": Row(
        MISSION_LEAD_POST, url=lambda w: _url("destination_add", _mission(w)), method="post"
    ),
    "coordination:destination_delete": Row(
        PRIVATE_DELETE,
        url=lambda w: _url("destination_delete", _private(w).destinations.get()),
        method="post",
    ),
    "coordination:delegate_add": Row(
        MISSION_LEAD_POST, url=lambda w: _url("delegate_add", _mission(w)), method="post"
    ),
    "coordination:delegate_remove": Row(
        PRIVATE_DELETE,
        url=lambda w: _url(
            "delegate_remove",
            Delegate.objects.create(
                mission=_private(w),
                prefecture=w.other_prefecture,
                organisation=w.other_prefecture,
                name="Yumi Suzuki",
            ),
        ),
        method="post",
    ),
    "coordination:itinerary_add": Row(
        MISSION_LEAD, url=lambda w: _url("itinerary_add", _mission(w))
    ),
    "coordination:itinerary_edit": Row(
        MISSION_LEAD, url=lambda w: _url("itinerary_edit", _itinerary(_mission(w)))
    ),
    "coordination:itinerary_delete": Row(
        PRIVATE_DELETE,
        url=lambda w: _url("itinerary_delete", _itinerary(_private(w))),
        method="post",
    ),
    "coordination:task_add": Row(
        MISSION_LEAD_POST, url=lambda w: _url("task_add", _mission(w)), method="post"
    ),
    "coordination:task_status": Row(
        MISSION_LEAD_POST,
        url=lambda w: _url(
            "task_status",
            MissionTask.objects.create(
                mission=_mission(w), title="Book interpreters", owner_organisation=w.prefecture
            ),
        ),
        method="post",
    ),
    "coordination:budget_line_add": Row(
        MISSION_LEAD, url=lambda w: _url("budget_line_add", _mission(w))
    ),
    "coordination:budget_line_edit": Row(
        MISSION_LEAD,
        url=lambda w: _url(
            "budget_line_edit",
            BudgetLine.objects.create(mission=_mission(w), title="Bus", amount_jpy=1000),
        ),
    ),
    "coordination:budget_line_delete": Row(
        PRIVATE_DELETE,
        url=lambda w: _url(
            "budget_line_delete",
            BudgetLine.objects.create(mission=_private(w), title="Bus", amount_jpy=1000),
        ),
        method="post",
    ),
    # clashes: the two sides answer, nobody else (not even the secretariat, which reads them)
    "coordination:clash_dismiss": Row(
        CLASH_SIDES, url=lambda w: _url("clash_dismiss", _notice(w)), method="post"
    ),
    "coordination:clash_propose": Row(
        CLASH_SIDES, url=lambda w: _url("clash_propose", _notice(w)), method="post"
    ),
    "coordination:proposal_accept": Row(
        PROPOSAL_ANSWER, url=lambda w: _url("proposal_accept", _proposal(w)), method="post"
    ),
    "coordination:proposal_decline": Row(
        PROPOSAL_ANSWER, url=lambda w: _url("proposal_decline", _proposal(w)), method="post"
    ),
    "coordination:duplicate_merge": Row(
        DUPLICATE_RESOLVE, url=lambda w: _url("duplicate_merge", _agreed(w)), method="post"
    ),
    "coordination:duplicate_withdraw": Row(
        DUPLICATE_RESOLVE, url=lambda w: _url("duplicate_withdraw", _agreed(w)), method="post"
    ),
}


# --- visits to Japan (docs/inbound.md) --------------------------------------------------------
# Yamanashi hosts a consortium visit to Japan; only its officers manage it and read visitors'
# details. Shizuoka's officer reads the visit (consortium) but not its visitors (404).
HOST_ONLY = ("login", "404", "404", "404", "200", "403", "403")
HOST_POST = ("login", "404", "404", "404", "→/coordination/", "403", "403")
VISITOR_ONLY = ("login", "404", "404", "404", "200", "404", "404")
VISITOR_POST = ("login", "404", "404", "404", "→/coordination/", "404", "404")


def _inbound(w: World) -> Mission:
    from setu.coordination.models import InboundVisit

    mission = _mission(w)
    Mission.objects.filter(pk=mission.pk).update(direction="to_japan")
    mission.refresh_from_db()
    InboundVisit.objects.create(mission=mission, signing_official="Taro Yamada")
    return mission


def _visitor(w: World) -> object:
    from setu.coordination.models import Visitor

    return Visitor.objects.create(mission=_inbound(w), organisation=w.company, name="Visitor")


def _document(w: World) -> object:
    from setu.coordination import sealing
    from setu.coordination.models import VisaDocument

    return VisaDocument.objects.create(
        visitor=_visitor(w), kind="invitation_en", version=1, fingerprint="x",
        sealed_pdf=sealing.seal(b"%PDF-1.7 test"),
    )  # fmt: skip


def _visitor_link(w: World) -> str:
    from setu.coordination.models import Visitor
    from setu.coordination.services.visitors import visitor_link

    visitor = _visitor(w)
    assert isinstance(visitor, Visitor)
    return visitor_link(visitor)


ROWS.update(
    {
        "coordination:inbound_visit": Row(
            HOST_ONLY, url=lambda w: _url("inbound_visit", _inbound(w))
        ),
        "coordination:inbound_edit": Row(
            HOST_ONLY, url=lambda w: _url("inbound_edit", _inbound(w))
        ),
        "coordination:visitor_add": Row(
            HOST_POST, url=lambda w: _url("visitor_add", _inbound(w)), method="post"
        ),
        "coordination:visitor": Row(VISITOR_ONLY, url=lambda w: _url("visitor", _visitor(w))),
        "coordination:visitor_documents": Row(
            VISITOR_POST, url=lambda w: _url("visitor_documents", _visitor(w)), method="post"
        ),
        "coordination:visitor_bundle": Row(
            ("login", "404", "404", "404", "404", "404", "404"),
            url=lambda w: _url("visitor_bundle", _visitor(w)),
        ),
        "coordination:visa_document": Row(
            VISITOR_ONLY, url=lambda w: _url("visa_document", _document(w))
        ),
        # the signed link is the key: anyone holding it opens the visitor's form
        "coordination:visitor_form": Row(ALL_200, url=_visitor_link),
    }
)

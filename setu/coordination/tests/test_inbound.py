"""Visits to Japan: visitors' sealed details through the signed link, who may read them, visa
documents read back from the PDFs, versions, the ZIP, the command, erasure."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from setu.conftest import World
from setu.coordination.models import (
    Direction,
    ItineraryItem,
    Mission,
    MissionDestination,
    VisaDocument,
    Visitor,
)
from setu.coordination.services import visitors as services
from setu.coordination.tests.factories import JST, city, days_from_today
from setu.coordination.visa import VisaIncomplete, document_pdf, visa_generate
from setu.core.models import AuditEntry
from setu.core.pdf import pdf_text
from setu.directory.tests.factories import OrganisationFactory

PASSPORT = "Z7654321"


def visit(world: World, *, first: int = 30, last: int = 33) -> Mission:
    start, end = days_from_today(first), days_from_today(last)
    mission = Mission.objects.create(
        owner=world.prefecture,
        title_en="Investors' visit to Yamanashi",
        title_ja="投資家の山梨訪問",
        starts_on=start,
        ends_on=end,
        visibility="consortium",
        direction=Direction.TO_JAPAN,
    )
    MissionDestination.objects.create(
        mission=mission, city=city("jp-kofu"), starts_on=start, ends_on=end
    )
    actor = world.user("officer_own")
    assert actor is not None
    services.inbound_update(
        mission=mission,
        actor=actor,
        reason_en="To see industrial parks.",
        reason_ja="工業団地視察のため。",
        signing_official="Taro Yamada",
        signing_title="Director-General",
        inviting_address="Kofu",
    )
    for offset, title in enumerate(["Hydrogen plant", "Industrial park", "Seminar", "Farewell"]):
        day = start + timedelta(days=offset)
        ItineraryItem.objects.create(
            mission=mission, kind="site_visit", title_en=title, title_ja=title,
            starts_at=datetime.combine(day, time(10), JST),
            ends_at=datetime.combine(day, time(12), JST),
        )  # fmt: skip
    return mission


def indian_company() -> Any:
    return OrganisationFactory.create(country="IN", kind="company", visibility="public")


def details(mission: Mission, **extra: Any) -> dict[str, Any]:
    return {
        "passport_name": "PRIYA ANIL DESHPANDE",
        "passport_number": PASSPORT,
        "nationality": "India",
        "date_of_birth": date(1984, 3, 12),
        "employer": "Sahyadri",
        "position": "Head of Projects",
        "arrival_on": mission.starts_on,
        "departure_on": mission.ends_on,
        "arrival_airport": "Narita",
        **extra,
    }


def visitor_for(world: World, mission: Mission, *, complete: bool = True) -> Visitor:
    actor = world.user("officer_own")
    assert actor is not None
    visitor = services.visitor_add(
        mission=mission, actor=actor, organisation=indian_company(), name="Priya Deshpande"
    )
    if complete:
        services.visitor_details_submit(visitor=visitor, values=details(mission))
        visitor.refresh_from_db()
    return visitor


def form_post(mission: Mission, **extra: Any) -> dict[str, str]:
    return {
        key: value.isoformat() if isinstance(value, date) else str(value)
        for key, value in details(mission, **extra).items()
    }


def test_visitor_sends_details_through_the_signed_link_and_they_are_sealed(
    world: World, client: Any
) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission, complete=False)
    url = services.visitor_link(visitor)
    response = client.post(url, form_post(mission))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    visitor.refresh_from_db()
    assert visitor.submitted_at is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM coordination_visitor WHERE id = %s", [visitor.pk])
        raw = bytes(cursor.fetchone()[0])
    assert raw
    assert PASSPORT.encode() not in raw
    assert b"DESHPANDE" not in raw
    assert services.visitor_details(visitor)["passport_number"] == PASSPORT


def test_visitor_form_in_hindi(world: World, client: Any) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission, complete=False)
    response = client.get(services.visitor_link(visitor) + "?lang=hi")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "hi"


def test_visitor_form_speaks_the_visitors_language_until_they_switch(
    world: World, client: Any, settings: Any
) -> None:
    visitor = visitor_for(world, visit(world), complete=False)
    Visitor.objects.filter(pk=visitor.pk).update(language="hi")
    link = services.visitor_link(visitor)
    assert client.get(link).headers["Content-Language"] == "hi"  # a fresh browser
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the header's switcher
    assert client.get(link).headers["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"passport_number": "12345"}, "passport_number", "one capital letter followed by seven"),
        ({"passport_name": "Priya Deshpande"}, "passport_name", "Latin capital letters"),
        ({"departure_on": days_from_today(40)}, "departure_on", "must fall within the visit"),
    ],
)
def test_bad_details_are_refused_with_a_message_and_nothing_stored(
    world: World, client: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission, complete=False)
    response = client.post(services.visitor_link(visitor), form_post(mission, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    visitor.refresh_from_db()
    assert visitor.submitted_at is None
    assert bytes(visitor.sealed) == b""


def test_link_after_the_deadline_changes_nothing(world: World, client: Any) -> None:
    mission = visit(world, first=3, last=5)
    visitor = visitor_for(world, mission)
    mission.inbound.details_due_on = days_from_today(-2)
    mission.inbound.save()
    before = bytes(visitor.sealed)
    response = client.post(
        services.visitor_link(visitor), form_post(mission, passport_number="K1111111")
    )
    assert "deadline for these details has passed" in response.content.decode()
    visitor.refresh_from_db()
    assert bytes(visitor.sealed) == before


def test_a_forged_link_is_not_found(world: World, client: Any) -> None:
    response = client.get(reverse("coordination:visitor_form", args=["forged:token"]))
    assert response.status_code == 404


def test_only_the_host_prefectures_officers_read_details_and_each_read_is_audited(
    world: World,
) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission)
    url = reverse("coordination:visitor", args=[visitor.pk])
    for role in ("officer_other", "secretariat", "member", "partner"):
        assert world.client_for(role).get(url).status_code == 404, role
    response = world.client_for("officer_own").get(url)
    assert response.status_code == 200
    assert PASSPORT in response.content.decode()
    reads = AuditEntry.objects.filter(action="coordination.visitor.details_read")
    assert reads.count() == 1
    assert reads.get().actor == world.user("officer_own")


def test_documents_carry_name_dates_and_every_day_of_the_schedule(world: World) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission)
    documents = visa_generate(visitor=visitor, actor=world.user("officer_own"))
    assert sorted(d.kind for d in documents) == [
        "invitation_en", "invitation_ja", "schedule_en", "schedule_ja",
    ]  # fmt: skip
    texts = {d.kind: pdf_text(document_pdf(d)) for d in documents}
    for kind, text in texts.items():
        assert "PRIYA ANIL DESHPANDE" in text, kind
        assert mission.starts_on.isoformat() in text, kind
        assert mission.ends_on.isoformat() in text, kind
    assert "招へい理由書" in texts["invitation_ja"]
    assert "令和" in texts["invitation_ja"]
    assert "Taro Yamada" in texts["invitation_en"]
    for kind in ("schedule_en", "schedule_ja"):
        for offset in range((mission.ends_on - mission.starts_on).days + 1):
            day = mission.starts_on + timedelta(days=offset)
            assert day.isoformat() in texts[kind], (kind, day)
    assert "Industrial park" in texts["schedule_en"]
    # the stored PDF is sealed too
    raw = bytes(VisaDocument.objects.get(pk=documents[0].pk).sealed_pdf)
    assert not raw.startswith(b"%PDF")


def test_a_changed_programme_makes_a_new_version_and_keeps_the_old(world: World) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission)
    first = visa_generate(visitor=visitor, actor=None)
    again = visa_generate(visitor=visitor, actor=None)
    assert {d.pk for d in first} == {d.pk for d in again}  # nothing changed, nothing made
    item = ItineraryItem.objects.filter(mission=mission).first()
    assert item is not None
    item.title_en = "Hydrogen plant and lunch"
    item.save()
    second = visa_generate(visitor=visitor, actor=None)
    assert {d.version for d in second} == {2}
    assert VisaDocument.objects.filter(visitor=visitor).count() == 8
    schedule = next(d for d in second if d.kind == "schedule_en")
    assert "Hydrogen plant and lunch" in pdf_text(document_pdf(schedule))


def test_incomplete_visitor_gets_no_document(world: World) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission, complete=False)
    with translation.override("en"), pytest.raises(VisaIncomplete) as caught:
        visa_generate(visitor=visitor, actor=None)
    assert "passport number" in "; ".join(caught.value.problems)
    assert not VisaDocument.objects.exists()


def test_a_night_without_a_place_to_stay_and_an_unnamed_official_are_named(
    world: World,
) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission)
    MissionDestination.objects.filter(mission=mission).update(
        ends_on=mission.starts_on + timedelta(days=1)
    )
    mission.inbound.signing_official = ""
    mission.inbound.save()
    with translation.override("en"), pytest.raises(VisaIncomplete) as caught:
        visa_generate(visitor=visitor, actor=None)
    problems = "; ".join(caught.value.problems)
    assert "no place to stay on the night of" in problems
    assert (mission.starts_on + timedelta(days=1)).isoformat() in problems
    assert "signing official" in problems


def test_generate_view_and_zip_bundle(world: World) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission)
    client = world.client_for("officer_own")
    response = client.post(reverse("coordination:visitor_documents", args=[visitor.pk]))
    assert response.status_code == 302
    response = client.get(reverse("coordination:visitor_bundle", args=[visitor.pk]))
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == [
        "invitation_en-v1.pdf", "invitation_ja-v1.pdf", "schedule_en-v1.pdf", "schedule_ja-v1.pdf",
    ]  # fmt: skip
    assert (
        world.client_for("officer_other")
        .get(reverse("coordination:visitor_bundle", args=[visitor.pk]))
        .status_code
        == 404
    )


def test_generate_view_names_what_is_missing(world: World) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission, complete=False)
    response = world.client_for("officer_own").post(
        reverse("coordination:visitor_documents", args=[visitor.pk]), follow=True
    )
    assert "No documents were made for Priya Deshpande" in response.content.decode()
    assert not VisaDocument.objects.exists()


def test_command_writes_files_names_the_incomplete_and_exits_3(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    mission = visit(world)
    visitor_for(world, mission)
    actor = world.user("officer_own")
    assert actor is not None
    services.visitor_add(
        mission=mission, actor=actor, organisation=indian_company(), name="Arjun Rao"
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("visa_documents", "--output", str(tmp_path))
    assert exit_.value.code == 3
    out, err = capsys.readouterr()
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert sorted(kind for _path, _name, kind in lines) == [
        "invitation_en", "invitation_ja", "schedule_en", "schedule_ja",
    ]  # fmt: skip
    for path, name, kind in lines:
        assert Path(path).is_absolute() and Path(path).exists()
        assert name == "PRIYA ANIL DESHPANDE"
        text = pdf_text(Path(path).read_bytes())
        assert name in text
        if kind.startswith("schedule"):
            for offset in range((mission.ends_on - mission.starts_on).days + 1):
                assert (mission.starts_on + timedelta(days=offset)).isoformat() in text
    assert "Arjun Rao" in err and "passport number" in err


def test_command_exits_0_when_everyone_is_generated(world: World, tmp_path: Path) -> None:
    mission = visit(world)
    visitor_for(world, mission)
    call_command("visa_documents", "--output", str(tmp_path), "--mission", str(mission.pk))
    assert len(list(tmp_path.rglob("*.pdf"))) == 4


def test_details_are_erased_after_the_retention_period(world: World, settings: Any) -> None:
    settings.SETU_VISITOR_RETENTION_DAYS = 30
    mission = visit(world, first=-50, last=-45)
    visitor = visitor_for(world, mission, complete=False)
    Visitor.objects.filter(pk=visitor.pk).update(sealed=services.sealing.seal_json({"x": "1"}))
    assert services.visitor_details_expire(now=timezone.now()) == 1
    visitor.refresh_from_db()
    assert bytes(visitor.sealed) == b"" and visitor.erased_at is not None
    assert services.visitor_details_expire(now=timezone.now()) == 0


def test_details_are_kept_within_the_retention_period(world: World, settings: Any) -> None:
    settings.SETU_VISITOR_RETENTION_DAYS = 90
    mission = visit(world, first=-50, last=-45)
    visitor = visitor_for(world, mission, complete=False)
    assert services.visitor_details_expire(now=timezone.now()) == 0
    visitor.refresh_from_db()
    assert visitor.erased_at is None


def test_the_privacy_retention_job_erases_visitors_details_too(world: World, settings: Any) -> None:
    """apply_retention (the privacy app's job) names visitors' details in its dry run and
    erases them when run; a visit within the period keeps its visitor's details."""
    settings.SETU_RETENTION_DAYS = {**settings.SETU_RETENTION_DAYS, "visitor_details": 30}
    old = visitor_for(world, visit(world, first=-50, last=-45), complete=False)
    recent = visitor_for(world, visit(world, first=-10, last=-8), complete=False)
    sealed = services.sealing.seal_json({"x": "1"})
    Visitor.objects.filter(pk__in=[old.pk, recent.pk]).update(sealed=sealed)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "visitor_details: would erase 1 older than 30 days" in out.getvalue()
    assert Visitor.objects.get(pk=old.pk).erased_at is None
    call_command("apply_retention", stdout=io.StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert bytes(old.sealed) == b"" and old.erased_at is not None
    assert bytes(recent.sealed) == bytes(sealed) and recent.erased_at is None


def test_reminders_go_once_to_visitors_without_details(world: World, mailoutbox: Any) -> None:
    mission = visit(world, first=10, last=12)
    mission.inbound.details_due_on = days_from_today(3)
    mission.inbound.save()
    actor = world.user("officer_own")
    assert actor is not None
    services.visitor_add(
        mission=mission, actor=actor, organisation=indian_company(), name="Arjun Rao",
        email="arjun@example.in", language="hi",
    )  # fmt: skip
    assert services.visitor_reminders_send() == 1
    assert services.visitor_reminders_send() == 0


def test_site_visits_offer_a_lead_and_the_survey_goes_to_the_visitors(
    world: World, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from setu.core.registries import record_actions
    from setu.results.surveys import survey_create, survey_send

    mission = visit(world, first=-10, last=-7)
    actor = world.user("officer_own")
    assert actor is not None
    company = indian_company()
    services.visitor_add(
        mission=mission, actor=actor, organisation=company, name="Arjun Rao",
        email="arjun@example.in", language="hi",
    )  # fmt: skip
    item = ItineraryItem.objects.filter(mission=mission).first()
    assert item is not None
    item.organisation = company
    item.save()
    actions = record_actions("itinerary_item", actor, item)
    assert [str(action.label) for action in actions] == ["Create a lead"]
    survey = survey_create(actor=actor, mission=mission, send_after_days=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_send(survey=survey, actor=actor) == 1
    invitation = survey.invitations.get()
    assert (invitation.organisation, invitation.email, invitation.language) == (
        company, "arjun@example.in", "hi",
    )  # fmt: skip


def test_prefecture_page_lists_its_visits_to_japan(world: World) -> None:
    mission = visit(world)
    response = world.client_for("officer_other").get(world.prefecture.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Visits to Japan" in page
    assert mission.title_en.replace("'", "&#x27;") in page


def test_dashboard_card_for_host_officers_only(world: World) -> None:
    mission = visit(world)
    visitor_for(world, mission, complete=False)
    own = world.client_for("officer_own").get(reverse("dashboard")).content.decode()
    assert "1 visitor has not sent details" in own
    other = world.client_for("officer_other").get(reverse("dashboard")).content.decode()
    assert "Priya Deshpande" not in other


def test_host_makes_a_familiarisation_trip_with_its_report(world: World) -> None:
    mission = visit(world)
    client = world.client_for("officer_own")
    url = reverse("coordination:inbound_edit", args=[mission.pk])
    response = client.post(
        url,
        {
            "visit_kind": "fam_trip",
            "reason_en": "Fam trip",
            "reason_ja": "視察",
            "signing_official": "Hanako Suzuki",
            "content_produced": "Three articles",
            "packages_planned": "Two spring packages",
        },
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.visit_kind == "fam_trip"
    page = client.get(reverse("coordination:inbound_visit", args=[mission.pk])).content.decode()
    assert "Three articles" in page and "Two spring packages" in page


def test_a_deadline_after_the_start_is_refused_and_nothing_saved(world: World) -> None:
    mission = visit(world)
    response = world.client_for("officer_own").post(
        reverse("coordination:inbound_edit", args=[mission.pk]),
        {
            "visit_kind": "business",
            "reason_en": "Changed",
            "signing_official": "X",
            "details_due_on": (mission.starts_on + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "needed before the visit starts" in response.content.decode()
    mission.inbound.refresh_from_db()
    assert mission.inbound.reason_en == "To see industrial parks."


def test_the_raw_column_of_documents_holds_no_plain_passport_number(world: World) -> None:
    mission = visit(world)
    visitor = visitor_for(world, mission)
    visa_generate(visitor=visitor, actor=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_pdf FROM coordination_visadocument")
        for (raw,) in cursor.fetchall():
            assert PASSPORT.encode() not in bytes(raw)


def test_a_new_key_in_front_still_opens_old_values_and_reseal_moves_them(settings: Any) -> None:
    from cryptography.fernet import Fernet, InvalidToken

    from setu.coordination import sealing

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SETU_VISITOR_KEYS = [old]
    token = sealing.seal_json({"passport_number": PASSPORT})
    settings.SETU_VISITOR_KEYS = [new, old]
    assert sealing.open_json(token) == {"passport_number": PASSPORT}
    moved = sealing.reseal(token)
    settings.SETU_VISITOR_KEYS = [new]
    assert sealing.open_json(moved) == {"passport_number": PASSPORT}
    with pytest.raises(InvalidToken):
        sealing.open_json(token)

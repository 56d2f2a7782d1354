"""The secretariat's merge: every reference moves, history is kept, nothing half-done."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from setu.accounts.models import Invitation, Membership, Role
from setu.accounts.tests.factories import UserFactory, add_membership
from setu.browser import artifact
from setu.conftest import World, build_world
from setu.core import audit
from setu.core.models import AuditEntry, Visibility
from setu.directory import merge
from setu.directory.merge import MergeRefused, organisation_merge, organisation_references
from setu.directory.models import (
    MergeRecord,
    NameToken,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Person,
    Sector,
)
from setu.directory.reference import load_reference_data
from setu.directory.services import organisation_refresh_derived
from setu.directory.tests.factories import CompanyFactory, OrganisationFactory, PrefectureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def company(name_en: str, **fields: Any) -> Organisation:
    fields.setdefault("visibility", Visibility.CONSORTIUM)
    organisation = CompanyFactory.create(name_en=name_en, **fields)
    organisation_refresh_derived(organisation=organisation)
    return organisation


@dataclass
class Scene:
    into: Organisation
    merged: Organisation
    staying_member: Membership  # the survivor already has this user in this role
    moving_member: Membership
    duplicate_member: Membership
    invitation: Invitation
    contact: Person  # a person working at the merged company
    owned_note: Person  # an OwnedModel owned by the merged company
    agreement: Partnership  # the merged company is a party
    shared_agreement: Partnership  # both are parties
    owned_agreement: Partnership  # owned by the merged company
    audit_entry: AuditEntry  # owned by the merged company
    earlier: Organisation  # merged into the merged company before
    shared_link_pk: int  # the merged company's row on the shared agreement


def scene(world: World) -> Scene:
    into = company("Tata Motors Ltd", managed_by=world.prefecture, country="IN")
    merged = company(
        "TATA MOTORS LIMITED",
        name_ja="タタ・モーターズ",
        name_ja_kana="タタモーターズ",
        managed_by=world.other_prefecture,
        website="https://www.tatamotors.com",
        employees=86000,
        capital=7_660_000_000,
        capital_currency="INR",
        country="IN",
    )
    sectors = list(Sector.objects.filter(level="division").order_by("code")[:3])
    into.sectors.set(sectors[:2])
    merged.sectors.set(sectors[1:])
    both = UserFactory.create()
    staying = add_membership(both, into, Role.MEMBER)
    duplicate = add_membership(both, merged, Role.MEMBER)
    moving = add_membership(UserFactory.create(), merged, Role.MEMBER)
    invitation = Invitation.objects.create(
        email="new@tatamotors.com", organisation=merged, role=Role.MEMBER
    )
    contact = Person.objects.create(
        owner=world.other_prefecture, organisation=merged, name_latin="Asha Rao"
    )
    owned_note = Person.objects.create(
        owner=merged, organisation=world.partner_org, name_latin="Ravi Kumar"
    )
    agreement = Partnership.objects.create(owner=world.prefecture, kind=PartnershipKind.MOU)
    agreement.parties.set([merged, world.partner_org])
    shared = Partnership.objects.create(owner=world.prefecture, kind=PartnershipKind.MOU)
    shared.parties.set([merged, into])
    owned_agreement = Partnership.objects.create(owner=merged, kind=PartnershipKind.MOU)
    owned_agreement.parties.set([merged, world.prefecture])
    entry = audit.record(merged, "directory.organisation.updated", actor=None)
    earlier = company("Tata Motors Co.", merged_into=merged)
    link = Partnership.parties.through.objects.get(partnership=shared, organisation=merged)
    return Scene(
        into, merged, staying, moving, duplicate, invitation, contact, owned_note, agreement,
        shared, owned_agreement, entry, earlier, link.pk,
    )  # fmt: skip


def test_references_are_discovered_from_the_model_graph() -> None:
    labels = {reference.label for reference in organisation_references()}
    assert {
        "accounts.Membership.organisation",
        "accounts.Invitation.organisation",
        "core.AuditEntry.owner",
        "directory.Organisation.managed_by",
        "directory.Organisation.merged_into",
        "directory.Person.owner",
        "directory.Person.organisation",
        "directory.Partnership.owner",
        "directory.Partnership_parties.organisation",
        "directory.Organisation_sectors.organisation",
        "directory.ImportBatch.owner",
    } <= labels
    assert not {
        label
        for label in labels
        if label.startswith(("directory.MergeRecord.", "directory.NameToken."))
    }


def test_merge_repoints_every_reference_and_keeps_history(world: World) -> None:
    s = scene(world)
    secretariat = world.users["secretariat"]
    record = organisation_merge(merged=s.merged, into=s.into, actor=secretariat)

    s.into.refresh_from_db()
    s.merged.refresh_from_db()
    assert s.merged.merged_into == s.into
    # memberships: moved, except the one the survivor already had
    s.moving_member.refresh_from_db()
    s.duplicate_member.refresh_from_db()
    assert s.moving_member.organisation == s.into
    assert s.duplicate_member.organisation == s.merged
    assert Membership.objects.filter(user=s.staying_member.user, organisation=s.into).count() == 1
    s.invitation.refresh_from_db()
    assert s.invitation.organisation == s.into
    # people: where they work and who keeps them (OwnedModel.owner)
    s.contact.refresh_from_db()
    s.owned_note.refresh_from_db()
    assert s.contact.organisation == s.into
    assert s.owned_note.owner == s.into
    # agreements: parties and owner; a party listed twice becomes one
    assert set(s.agreement.parties.all()) == {s.into, world.partner_org}
    assert list(s.shared_agreement.parties.all()) == [s.into]
    s.owned_agreement.refresh_from_db()
    assert s.owned_agreement.owner == s.into
    # the audit log of the merged record is read by the survivor's readers
    s.audit_entry.refresh_from_db()
    assert s.audit_entry.owner == s.into
    # a record merged earlier into the merged one now points at the survivor
    s.earlier.refresh_from_db()
    assert s.earlier.merged_into == s.into
    # the survivor gains what it lacked and keeps what it had
    assert s.into.name_en == "Tata Motors Ltd"
    assert s.into.managed_by == world.prefecture
    assert s.into.name_ja == "タタ・モーターズ"
    assert s.into.name_ja_kana == "タタモーターズ"
    assert s.into.website == "https://www.tatamotors.com"
    assert (s.into.capital, s.into.capital_currency) == (7_660_000_000, "INR")
    assert s.into.sectors.count() == 3
    # search: the survivor is indexed under both names, the merged record under none
    assert NameToken.objects.filter(organisation=s.into, token="タタ").exists()
    assert not NameToken.objects.filter(organisation=s.merged).exists()
    assert s.merged not in Organisation.objects.visible_to(world.users["secretariat"])

    assert record.merged == s.merged and record.into == s.into and record.merged_by == secretariat
    assert record.snapshot["name_en"] == "TATA MOTORS LIMITED"
    assert record.snapshot["managed_by_id"] == world.other_prefecture.pk
    assert record.snapshot["capital"] == "7660000000"
    assert len(record.snapshot["m2m"]["sectors"]) == 2
    assert record.snapshot["left_in_place"] == {
        "accounts.Membership.organisation": [s.duplicate_member.pk]
    }
    assert record.snapshot["filled"]["website"] == ["", "https://www.tatamotors.com"]
    assert record.repointed["accounts.Membership.organisation"] == 1
    assert record.repointed["accounts.Invitation.organisation"] == 1
    assert record.repointed["directory.Person.organisation"] == 1
    assert record.repointed["directory.Person.owner"] == 1
    assert record.repointed["directory.Partnership_parties.organisation"] == 2
    assert record.repointed["directory.Partnership.owner"] == 1
    assert record.repointed["directory.Organisation.merged_into"] == 1
    assert record.repointed["core.AuditEntry.owner"] == 1
    dropped = record.snapshot["dropped_links"]
    assert dropped["directory.Partnership_parties.organisation"] == [s.shared_link_pk]
    assert len(dropped["directory.Organisation_sectors.organisation"]) == 1  # a shared sector
    actions = set(
        AuditEntry.objects.filter(action__startswith="directory.organisation.merged").values_list(
            "action", "object_id", "owner_id"
        )
    )
    assert actions == {
        ("directory.organisation.merged_from", str(s.into.pk), s.into.pk),
        ("directory.organisation.merged_into", str(s.merged.pk), s.into.pk),
    }


def test_listeners_hear_of_the_merge_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    s = scene(world)
    heard: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    merge.organisation_merged.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            record = organisation_merge(merged=s.merged, into=s.into, actor=None)
            assert heard == []  # not before the transaction commits
    finally:
        merge.organisation_merged.disconnect(listener)
    assert len(heard) == 1
    assert heard[0]["merged"] == s.merged and heard[0]["into"] == s.into
    assert heard[0]["record"] == record
    assert s.contact.pk in record.snapshot["moved"]["directory.Person.organisation"]


def test_merging_a_prefecture_moves_its_companies_and_officers(world: World) -> None:
    duplicate = PrefectureFactory.create(
        kind=OrganisationKind.PREFECTURE, name_en="Yamanashi Prefecture", region_id="JP-19"
    )
    managed = company("Fuji Lake Foods", managed_by=duplicate)
    officer = UserFactory.create()
    add_membership(officer, duplicate, Role.PREFECTURE_OFFICER)
    record = organisation_merge(merged=duplicate, into=world.prefecture, actor=None)
    managed.refresh_from_db()
    assert managed.managed_by == world.prefecture
    assert Membership.objects.get(user=officer).organisation == world.prefecture
    assert record.repointed["directory.Organisation.managed_by"] == 1
    assert record.merged_by is None


def test_a_survivor_managed_by_the_merged_prefecture_manages_nothing_of_itself(
    world: World,
) -> None:
    plain = PrefectureFactory.create(kind=OrganisationKind.PREFECTURE, name_en="Yamanashi-ken")
    Organisation.objects.filter(pk=world.prefecture.pk).update(managed_by=plain)
    organisation_merge(merged=plain, into=world.prefecture, actor=world.users["secretariat"])
    world.prefecture.refresh_from_db()
    assert world.prefecture.managed_by is None


def test_merge_is_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = scene(world)

    def explode(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge, "_fill_empty_fields", explode)
    with pytest.raises(RuntimeError):
        organisation_merge(merged=s.merged, into=s.into, actor=world.users["secretariat"])
    s.merged.refresh_from_db()
    assert s.merged.merged_into is None
    assert Membership.objects.filter(organisation=s.merged).count() == 2
    assert Person.objects.get(pk=s.contact.pk).organisation == s.merged
    assert Person.objects.get(pk=s.owned_note.pk).owner == s.merged
    assert set(s.shared_agreement.parties.all()) == {s.merged, s.into}
    assert AuditEntry.objects.get(pk=s.audit_entry.pk).owner == s.merged
    assert Organisation.objects.get(pk=s.earlier.pk).merged_into == s.merged
    assert NameToken.objects.filter(organisation=s.merged).exists()
    assert not MergeRecord.objects.exists()


def test_bad_merges_are_refused_with_a_reason(world: World) -> None:
    secretariat = world.users["secretariat"]
    a = company("Tata Motors Ltd")
    b = company("Tata Motors Limited")
    done = company("Tata Motors Co.", merged_into=a)
    cases = [
        (a, a, "cannot be merged into itself"),
        (done, b, "already been merged"),
        (b, done, "merge into that one"),
        (world.prefecture, a, "cannot be merged into one of kind"),
        (world.prefecture, world.other_prefecture, None),  # same kind: allowed in principle
        (world.prefecture, PrefectureFactory.create(kind=OrganisationKind.PREFECTURE), "kind"),
        (world.partner_org, world.university, None),
        (world.partner_org, OrganisationFactory.create(kind="indian_state"), "kind"),
    ]
    for merged, into, reason in cases:
        problem = merge.merge_problem(merged=merged, into=into)
        if reason is None:
            assert problem is None
            continue
        assert problem is not None and reason in problem
        with pytest.raises(MergeRefused, match=reason):
            organisation_merge(merged=merged, into=into, actor=secretariat)
    assert not MergeRecord.objects.exists()


def test_old_address_leads_to_the_survivor(world: World) -> None:
    into = company("Tata Motors Ltd", visibility=Visibility.CONSORTIUM)
    merged = company("TATA MOTORS LIMITED", visibility=Visibility.PUBLIC)
    organisation_merge(merged=merged, into=into, actor=world.users["secretariat"])
    old = reverse("directory:organisation", args=[merged.pk])
    response = world.client_for("officer_own").get(old)
    assert response.status_code == 302
    assert response.headers["Location"] == into.get_absolute_url()
    # a reader who may not see the survivor learns nothing
    assert world.client_for("partner").get(old).status_code == 404
    assert world.client_for("partner").get("/directory/organisations/999999/").status_code == 404


# --------------------------------------------------------------------------- views


def test_secretariat_confirms_and_merges(world: World) -> None:
    s = scene(world)
    client = world.client_for("secretariat")
    url = reverse("directory:organisation_merge", args=[s.merged.pk, s.into.pk])
    page = client.get(url).content.decode()
    assert "What moves to the kept record" in page
    assert "https://www.tatamotors.com" in page  # the website the survivor gains
    response = client.post(url, {"page": "2"})
    assert response.headers["Location"] == reverse("directory:duplicates") + "?page=2"
    assert Organisation.objects.get(pk=s.merged.pk).merged_into_id == s.into.pk
    # a second attempt is refused, changes nothing and says why
    response = client.post(url)
    assert response.status_code == 404  # the merged record has left the directory


def test_merge_view_refuses_nonsense(world: World) -> None:
    client = world.client_for("secretariat")
    a = company("Tata Motors Ltd")
    url = reverse("directory:organisation_merge", args=[world.prefecture.pk, a.pk])
    page = client.get(url).content.decode()
    assert "Cannot merge" in page
    response = client.post(url)
    assert response.status_code == 400
    assert Organisation.objects.get(pk=world.prefecture.pk).merged_into_id is None


def test_only_the_secretariat_merges(world: World) -> None:
    a = company("Tata Motors Ltd")
    b = company("TATA MOTORS LIMITED")
    url = reverse("directory:organisation_merge", args=[b.pk, a.pk])
    for role in ("officer_own", "officer_other", "member", "partner"):
        assert world.client_for(role).post(url).status_code == 403
    assert Organisation.objects.get(pk=b.pk).merged_into_id is None


@pytest.mark.parametrize("merges", [2, 40])
def test_merge_history_query_count_is_fixed(
    world: World, merges: int, django_assert_max_num_queries: Any
) -> None:
    secretariat = world.users["secretariat"]
    for n in range(merges):
        into = company(f"Survivor {n}")
        organisation_merge(merged=company(f"Duplicate {n}"), into=into, actor=secretariat)
    client = world.client_for("secretariat")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:merge_history"))
    assert "Duplicate 0" in response.content.decode() or merges > 50


# --------------------------------------------------------------------------- concurrency


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossed_merges_cannot_both_win() -> None:
    """A into B and B into A at the same moment: the row locks let exactly one through."""
    world = build_world()
    a = company("Tata Motors Ltd")
    b = company("TATA MOTORS LIMITED")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(merged: Organisation, into: Organisation) -> None:
        try:
            barrier.wait()
            organisation_merge(merged=merged, into=into, actor=world.users["secretariat"])
            outcomes.append("merged")
        except MergeRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in ((a, b), (b, a))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["merged", "refused"]
    assert MergeRecord.objects.count() == 1
    assert Organisation.objects.filter(pk__in=[a.pk, b.pk], merged_into__isnull=True).count() == 1


# --------------------------------------------------------------------------- browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretariat_merges_a_pair_in_the_browser(live_server: Any, browser: Any) -> None:
    load_reference_data()  # a transactional test may follow one that flushed it
    world = build_world()
    kept = company("Tata Motors Ltd", managed_by=world.prefecture, country="IN")
    gone = company(
        "TATA MOTORS LIMITED",
        name_ja="タタ・モーターズ株式会社",
        managed_by=world.other_prefecture,
        country="IN",
    )
    Person.objects.create(
        owner=world.other_prefecture,
        organisation=gone,
        name_latin="Asha Rao",
        visibility=Visibility.CONSORTIUM,
    )
    client = Client()
    client.force_login(world.users["secretariat"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('directory:duplicates')}")
    card = page.locator("section.card", has_text="TATA MOTORS LIMITED")
    assert "タタ・モーターズ株式会社" in card.inner_text()
    page.screenshot(path=str(artifact("duplicates-list-desktop.png")), full_page=True)
    # keep the first column: "Tata Motors Ltd"
    card.locator("article").first.get_by_role("link", name="Keep this one").click()
    page.wait_for_url(f"**{reverse('directory:organisation_merge', args=[gone.pk, kept.pk])}**")
    page.screenshot(path=str(artifact("duplicates-merge-confirm-desktop.png")), full_page=True)
    page.get_by_role("button", name="Merge").click()
    page.wait_for_url(f"**{reverse('directory:duplicates')}**")
    assert "was merged into" in page.locator(".messages").inner_text()
    assert "No likely duplicates." in page.locator("main").inner_text()
    page.goto(f"{live_server.url}{gone.get_absolute_url()}")
    assert page.url.endswith(kept.get_absolute_url())
    assert "Asha Rao" in page.locator("main").inner_text()
    assert "タタ・モーターズ株式会社" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('directory:merge_history')}")
    page.screenshot(path=str(artifact("duplicates-merge-history-phone.png")), full_page=True)
    context.close()

"""The ownership rule on agreements' links: "Renews" and "Renewed by" show only what the
reader may see (docs/architecture.md, "The ownership rule")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.models import Organisation, Partnership, PartnershipKind

pytestmark = pytest.mark.django_db


def _agreement(owner: Organisation, title: str, visibility: str, **extra: object) -> Partnership:
    return Partnership.objects.create(
        owner=owner,
        kind=PartnershipKind.MOU,
        title_en=title,
        visibility=visibility,
        **extra,  # type: ignore[arg-type]
    )


def test_renews_offers_only_agreements_the_officer_may_see(world: World) -> None:
    secret = _agreement(world.other_prefecture, "Shizuoka secret MoU", Visibility.PRIVATE)
    own = _agreement(world.prefecture, "Yamanashi MoU 2020", Visibility.PRIVATE)
    client = world.client_for("officer_own")
    page = client.get(reverse("directory:partnership_create")).content.decode()
    assert "Yamanashi MoU 2020" in page
    assert "Shizuoka secret MoU" not in page

    state = Organisation.objects.create(kind="indian_state", name_en="Goa", country="IN")
    response = client.post(
        reverse("directory:partnership_create"),
        {"kind": "mou", "level": "prefecture_state", "title_en": "Renewal", "status": "active",
         "signed_precision": "day", "visibility": "public", "renews": secret.pk,
         "parties": [world.prefecture.pk, state.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Partnership.objects.filter(title_en="Renewal").exists()
    assert own.renewals.count() == 0


def test_a_public_renewal_of_a_private_agreement_hides_its_title(world: World) -> None:
    secret = _agreement(world.other_prefecture, "Shizuoka secret MoU", Visibility.PRIVATE)
    public = _agreement(world.other_prefecture, "Public MoU", Visibility.PUBLIC, renews=secret)
    url = reverse("directory:partnership", args=[public.pk])
    for role in ("anonymous", "officer_own", "partner"):
        page = world.client_for(role).get(url).content.decode()
        assert "Public MoU" in page
        assert "Shizuoka secret MoU" not in page
        assert "Renews" not in page
    owner_page = world.client_for("officer_other").get(url).content.decode()
    assert "Shizuoka secret MoU" in owner_page


def test_a_private_renewal_of_a_public_agreement_is_not_shown_as_renewed_by(
    world: World,
) -> None:
    public = _agreement(world.other_prefecture, "Public MoU 2015", Visibility.PUBLIC)
    _agreement(world.other_prefecture, "Draft renewal (private)", Visibility.PRIVATE, renews=public)
    url = reverse("directory:partnership", args=[public.pk])
    for role in ("anonymous", "officer_own", "member"):
        page = world.client_for(role).get(url).content.decode()
        assert "Public MoU 2015" in page
        assert "Draft renewal (private)" not in page
        assert "Renewed by" not in page
    owner_page = world.client_for("officer_other").get(url).content.decode()
    assert "Draft renewal (private)" in owner_page


def test_editing_keeps_a_renewal_link_the_editor_cannot_see(world: World) -> None:
    secret = _agreement(world.other_prefecture, "Shizuoka secret MoU", Visibility.PRIVATE)
    state = Organisation.objects.create(kind="indian_state", name_en="Goa", country="IN")
    shared = _agreement(world.prefecture, "Joint MoU", Visibility.CONSORTIUM, renews=secret)
    shared.parties.set([world.prefecture, state])
    client = world.client_for("officer_own")
    form_page = client.get(reverse("directory:partnership_edit", args=[shared.pk]))
    assert "Shizuoka secret MoU" not in form_page.content.decode()
    response = client.post(
        reverse("directory:partnership_edit", args=[shared.pk]),
        {"kind": "mou", "level": "prefecture_state", "title_en": "Joint MoU (edited)",
         "status": "active", "signed_precision": "day", "visibility": "consortium",
         "renews": "", "parties": [world.prefecture.pk, state.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.title_en == "Joint MoU (edited)"
    assert shared.renews == secret


def test_agreement_pages_name_only_parties_the_reader_may_see(world: World) -> None:
    hidden = Organisation.objects.create(
        kind="indian_state", name_en="Hidden State", country="IN",
        managed_by=world.other_prefecture, visibility=Visibility.PRIVATE,
    )  # fmt: skip
    agreement = _agreement(world.prefecture, "Friendship agreement", Visibility.PUBLIC)
    agreement.parties.set([world.prefecture, hidden])
    for url in (agreement.get_absolute_url(), reverse("directory:partnerships")):
        page = world.client_for("anonymous").get(url).content.decode()
        assert "Friendship agreement" in page and "Yamanashi" in page
        assert "Hidden State" not in page
        assert "Hidden State" in world.client_for("officer_other").get(url).content.decode()


def test_editing_an_agreement_keeps_a_party_the_editor_cannot_see(world: World) -> None:
    hidden = Organisation.objects.create(
        kind="indian_state", name_en="Hidden State", country="IN",
        managed_by=world.other_prefecture, visibility=Visibility.PRIVATE,
    )  # fmt: skip
    agreement = _agreement(world.prefecture, "Friendship agreement", Visibility.PUBLIC)
    agreement.parties.set([world.prefecture, hidden])
    response = world.client_for("officer_own").post(
        reverse("directory:partnership_edit", args=[agreement.pk]),
        {"kind": "mou", "level": "prefecture_state", "title_en": "Friendship (edited)",
         "status": "active", "signed_precision": "day", "visibility": "public",
         "parties": [world.prefecture.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(agreement.parties.all()) == {world.prefecture, hidden}

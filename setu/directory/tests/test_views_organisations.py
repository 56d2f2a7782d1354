from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_anonymous_sees_public_organisations_only(world: World, client: Client) -> None:
    response = client.get(reverse("directory:organisations"))
    names = {org.name_en for org in response.context["page"].object_list}
    assert "Yamanashi" in names
    assert "Kofu Precision K.K." not in names  # private
    assert "Mumbai Chamber" not in names  # shared with partners only


def test_kind_filter_and_unknown_kind(world: World, client: Client) -> None:
    response = client.get(reverse("directory:organisations"), {"kind": "member_prefecture"})
    assert {o.name_en for o in response.context["page"].object_list} == {"Yamanashi", "Shizuoka"}
    response = client.get(reverse("directory:organisations"), {"kind": "<script>"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 60])
def test_list_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    CompanyFactory.create_batch(rows, managed_by=world.prefecture, visibility=Visibility.PARTNERS)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("directory:organisations"))
    assert response.status_code == 200


def test_tampered_id_answers_404(world: World) -> None:
    client = world.client_for("partner")
    assert client.get(reverse("directory:organisation", args=[world.company.pk])).status_code == 404
    assert client.get("/directory/organisations/999999/").status_code == 404


def test_names_follow_the_readers_language_with_fallback(world: World) -> None:
    world.prefecture.name_ja = "山梨県"
    world.prefecture.save()
    client = world.client_for("member")
    client.post(reverse("set_language"), {"language": "ja"})
    page = client.get(
        reverse("directory:organisation", args=[world.prefecture.pk])
    ).content.decode()
    assert "<h1>山梨県</h1>" in page
    client.post(reverse("set_language"), {"language": "hi"})
    page = client.get(
        reverse("directory:organisation", args=[world.prefecture.pk])
    ).content.decode()
    assert "<h1>Yamanashi</h1>" in page  # no Hindi name: English comes next

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.directory.models import FocalSector, Sector
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _names(response: Any) -> set[str]:
    return {org.name_en for org in response.context["page"].object_list}


def test_anonymous_sees_public_organisations_only(world: World, client: Client) -> None:
    names = _names(client.get(reverse("directory:organisations")))
    assert "Yamanashi" in names
    assert "Kofu Precision K.K." not in names  # private
    assert "Mumbai Chamber" not in names  # shared with partners only


def test_filters_kind_country_region_sector_sme(world: World) -> None:
    automotive = FocalSector.objects.get(key="automotive_components")
    motor = Sector.objects.get(code="29")
    a = CompanyFactory(
        name_en="Axle Works", region_id="JP-19", is_sme=True, managed_by=world.prefecture
    )
    a.sectors.add(motor)
    b = CompanyFactory(
        name_en="Bread Makers", region_id="JP-22", is_sme=False, managed_by=world.prefecture
    )
    b.sectors.add(Sector.objects.get(code="10"))
    client = world.client_for("officer_own")
    url = reverse("directory:organisations")
    assert _names(client.get(url, {"focal": automotive.key})) == {"Axle Works"}
    assert _names(client.get(url, {"sector": "10"})) == {"Bread Makers"}
    assert "Axle Works" in _names(client.get(url, {"sme": "yes"}))
    assert "Axle Works" not in _names(client.get(url, {"sme": "no"}))
    assert _names(client.get(url, {"kind": "member_prefecture"})) == {"Yamanashi", "Shizuoka"}
    assert _names(client.get(url, {"region": "JP-22", "kind": "company"})) == {"Bread Makers"}
    assert _names(client.get(url, {"q": "axle"})) == {"Axle Works"}


def test_sorting_and_bad_filter_values(world: World) -> None:
    client = world.client_for("officer_own")
    url = reverse("directory:organisations")
    ascending = [o.name_en for o in client.get(url, {"sort": "name"}).context["page"].object_list]
    descending = [o.name_en for o in client.get(url, {"sort": "-name"}).context["page"].object_list]
    assert ascending == sorted(ascending) and descending == list(reversed(ascending))
    response = client.get(url, {"kind": "<script>", "region": "XX-99", "page": "999"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 60])
def test_list_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    CompanyFactory.create_batch(rows, managed_by=world.prefecture, visibility=Visibility.PARTNERS)
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:organisations"), {"sme": "no", "country": "JP"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 60])
def test_people_list_query_count_is_fixed(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    from setu.directory.models import Person

    Person.objects.bulk_create(
        Person(owner=world.prefecture, organisation=world.company, name_latin=f"P {i}")
        for i in range(rows)
    )
    client = world.client_for("officer_own")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:people"))
    assert len(response.context["page"].object_list) == min(rows, 50)


def test_tampered_id_answers_404(world: World) -> None:
    client = world.client_for("partner")
    assert client.get(reverse("directory:organisation", args=[world.company.pk])).status_code == 404
    assert client.get("/directory/organisations/999999/").status_code == 404


def test_names_follow_the_readers_language_with_fallback(world: World) -> None:
    world.prefecture.name_ja = "山梨県"
    world.prefecture.save()
    client = world.client_for("member")
    url = reverse("directory:organisation", args=[world.prefecture.pk])
    client.post(reverse("set_language"), {"language": "ja"})
    assert "<h1>山梨県</h1>" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "hi"})
    assert "<h1>Yamanashi</h1>" in client.get(url).content.decode()  # no Hindi: English next

"""The reference data every deployment gets from the migration (setu/directory/data/)."""

from __future__ import annotations

import pytest

from setu.directory.models import City, FocalSector, Region, Sector, SectorCode
from setu.directory.reference import load_reference_data

pytestmark = pytest.mark.django_db


def test_all_prefectures_and_indian_states_are_loaded() -> None:
    japan = Region.objects.filter(country="JP")
    assert japan.count() == 47
    assert {r.code for r in japan} == {f"JP-{n:02d}" for n in range(1, 48)}
    assert Region.objects.get(code="JP-19").name_ja == "山梨県"
    india = Region.objects.filter(country="IN")
    assert india.filter(kind="state").count() == 28
    assert india.filter(kind="union_territory").count() == 8
    assert Region.objects.get(code="IN-TS").name_en == "Telangana"


def test_isic_backbone_with_national_codes_and_focal_groups() -> None:
    assert Sector.objects.filter(level="section").count() == 21
    assert Sector.objects.filter(level="division").count() == 88
    motor = Sector.objects.get(code="29")
    assert motor.parent is not None and motor.parent.code == "C"
    assert SectorCode.objects.get(scheme="nic2008", code="29").sectors.get() == motor
    assert motor in SectorCode.objects.get(scheme="jsic", code="31").sectors.all()
    keys = set(FocalSector.objects.values_list("key", flat=True))
    assert len(keys) == 5
    automotive = FocalSector.objects.get(name_en__icontains="automotive")
    assert automotive.sectors.filter(code="29").exists()


def test_cities_carry_time_zones() -> None:
    mumbai = City.objects.get(name_en="Mumbai")
    assert (mumbai.timezone, mumbai.region_id) == ("Asia/Kolkata", "IN-MH")
    assert City.objects.get(name_en="Kofu").timezone == "Asia/Tokyo"


def test_loading_again_changes_nothing() -> None:
    before = (Region.objects.count(), City.objects.count(), Sector.objects.count())
    load_reference_data()
    assert (Region.objects.count(), City.objects.count(), Sector.objects.count()) == before

from __future__ import annotations

from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.core.tests.matrix import SECRETARIAT_ONLY, Row
from setu.directory.models import Organisation
from setu.directory.tests.factories import CompanyFactory


def _twins(world: World) -> tuple[Organisation, Organisation]:
    """Two shared records of one company, entered by two prefectures."""
    first = CompanyFactory.create(
        name_en="Tata Motors Ltd", managed_by=world.prefecture, visibility=Visibility.CONSORTIUM
    )
    second = CompanyFactory.create(
        name_en="TATA MOTORS LIMITED",
        managed_by=world.other_prefecture,
        visibility=Visibility.CONSORTIUM,
    )
    return first, second


def _unmanaged_company(world: World) -> Organisation:
    return CompanyFactory.create(
        name_en="Nagpur Orange Exports",
        country="IN",
        managed_by=None,
        visibility=Visibility.PARTNERS,
    )


def _merge_url(world: World) -> str:
    first, second = _twins(world)
    return reverse("directory:organisation_merge", args=[second.pk, first.pk])


def _dismiss_url(world: World) -> str:
    first, second = _twins(world)
    return reverse("directory:duplicate_dismiss", args=[first.pk, second.pk])


ROWS: dict[str, Row] = {
    "directory:duplicates": Row(SECRETARIAT_ONLY),
    "directory:merge_history": Row(SECRETARIAT_ONLY),
    # GET shows the confirmation; the merge itself is a POST (test_merge)
    "directory:organisation_merge": Row(SECRETARIAT_ONLY, url=_merge_url),
    "directory:duplicate_dismiss": Row(
        ("login", "403", "403", "403", "403", "403", "→/directory/duplicates/"),
        url=_dismiss_url,
        method="post",
    ),
    # officers only; the first takes the company, the second is told it is managed already
    "directory:organisation_manage": Row(
        (
            "login",
            "403",
            "403",
            "403",
            "→/directory/organisations/",
            "→/directory/organisations/",
            "403",
        ),
        url=lambda w: reverse("directory:organisation_manage", args=[_unmanaged_company(w).pk]),
        method="post",
    ),
}

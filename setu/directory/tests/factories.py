from __future__ import annotations

import factory

from setu.core.models import Visibility
from setu.directory.models import Organisation, OrganisationKind


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COMPANY
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    country = "JP"
    visibility = Visibility.PARTNERS


class PrefectureFactory(OrganisationFactory):
    kind = OrganisationKind.MEMBER_PREFECTURE
    name_en = factory.Sequence(lambda n: f"Prefecture {n}")
    visibility = Visibility.PUBLIC


class CompanyFactory(OrganisationFactory):
    kind = OrganisationKind.COMPANY
    name_en = factory.Sequence(lambda n: f"Company {n} K.K.")
    managed_by = factory.SubFactory(PrefectureFactory)

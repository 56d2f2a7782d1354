from __future__ import annotations

from typing import Any, cast

import factory

from setu.algorithms.names import name_tokens
from setu.core.models import Visibility
from setu.directory.models import NameToken, Organisation, OrganisationKind


def index_names(organisation: Organisation) -> None:
    """The NameToken rows of the names, as every write path makes them (the services, the
    importer, the scale data): the list's name search reads them."""
    tokens = {
        token[:100]
        for name in (organisation.name_en, organisation.name_ja, organisation.name_hi)
        for token in name_tokens(name)
    }
    NameToken.objects.bulk_create(
        NameToken(organisation=organisation, token=token) for token in sorted(tokens)
    )


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.COMPANY
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    country = "JP"
    visibility = Visibility.PARTNERS

    @factory.post_generation
    def name_tokens(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            index_names(cast(Organisation, self))  # factory_boy passes the instance it made


class PrefectureFactory(OrganisationFactory):
    kind = OrganisationKind.MEMBER_PREFECTURE
    name_en = factory.Sequence(lambda n: f"Prefecture {n}")
    visibility = Visibility.PUBLIC


class CompanyFactory(OrganisationFactory):
    kind = OrganisationKind.COMPANY
    name_en = factory.Sequence(lambda n: f"Company {n} K.K.")
    managed_by = factory.SubFactory(PrefectureFactory)

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from setu.core.access import get_visible_or_404
from setu.core.i18n import CONTENT_LANGUAGES
from setu.core.models import Visibility
from setu.core.principal import principal_for
from setu.directory.models import Organisation, Partnership, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from setu.accounts.models import User


def _sort_name() -> Coalesce:
    """The name the reader sees, for sorting: their language's, else English, else Japanese."""
    language = (translation.get_language() or "en").split("-")[0]
    name_field = f"name_{language}" if language in CONTENT_LANGUAGES else "name_en"
    return Coalesce(NullIf(name_field, Value("")), NullIf("name_en", Value("")), "name_ja")


def organisation_list(*, user: User | AnonymousUser, kind: str = "") -> QuerySet[Organisation]:
    """Organisations ``user`` may see, sorted by the name the reader will see."""
    queryset = (
        Organisation.objects.visible_to(user)
        .select_related("managed_by", "region")
        .annotate(sort_name=_sort_name())
        .order_by("sort_name", "id")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def access_organisation(*, user: User | AnonymousUser, pk: Any) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.visible_to(user).select_related("managed_by", "region", "city"), pk
    )


def person_list(*, user: User | AnonymousUser) -> QuerySet[Person]:
    return Person.objects.visible_to(user).select_related("organisation", "owner")


def access_person(*, user: User | AnonymousUser, pk: Any) -> Person:
    return get_visible_or_404(person_list(user=user), pk)


def can_see_contact_details(*, user: User | AnonymousUser, person: Person) -> bool:
    """Email and phone: the owner's people, the officers managing the owner, the person's own
    organisation, and, for records shared with the consortium or wider, secretariat and officers.
    Partners and the public see name, title and organisation only."""
    principal = principal_for(user)
    if person.owner_id in principal.org_ids or person.organisation_id in principal.org_ids:
        return True
    if person.owner.managed_by_id in principal.officer_org_ids:
        return True
    shared = person.visibility in (Visibility.CONSORTIUM, Visibility.PARTNERS, Visibility.PUBLIC)
    return shared and principal.is_staff_role


def partnership_list(
    *, user: User | AnonymousUser, party: Organisation | None = None
) -> QuerySet[Partnership]:
    queryset = (
        Partnership.objects.visible_to(user)
        .prefetch_related("parties", "focal_sectors")
        .order_by("-signed_on", "id")
    )
    if party is not None:
        queryset = queryset.filter(parties=party)
    return queryset


def access_partnership(*, user: User | AnonymousUser, pk: Any) -> Partnership:
    return get_visible_or_404(
        Partnership.objects.visible_to(user).prefetch_related(
            "parties", "focal_sectors", "cities", "renewals"
        ),
        pk,
    )

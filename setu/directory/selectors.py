from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.db.models import BooleanField, Case, F, Prefetch, Q, When
from django.utils import translation
from django.utils.translation import gettext_lazy

from setu.core.access import get_visible_or_404
from setu.core.i18n import CONTENT_LANGUAGES
from setu.core.principal import principal_for
from setu.core.registries import Shown, withheld_abroad, without_withdrawn_consent
from setu.directory.models import Organisation, Partnership, Person, organisation_visibility_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from setu.accounts.models import User


# What the list page shows of each organisation (the template reads nothing else): sorting
# and skipping rows then carries less than whole rows with their descriptions.
LISTED_COLUMNS = (
    "id", "kind", "name_en", "name_ja", "name_hi", "country", "is_sme",
    "region__code", "region__name_en", "region__name_ja", "region__name_hi",
    "managed_by__id", "managed_by__name_en", "managed_by__name_ja", "managed_by__name_hi",
)  # fmt: skip


def _sort_name() -> F:
    """The reader's sort column: the name they see (their language's, else the fallback)."""
    language = (translation.get_language() or "en").split("-")[0]
    return F(f"sort_name_{language}" if language in CONTENT_LANGUAGES else "sort_name_en")


def organisation_list(
    *, user: User | AnonymousUser, kind: str = "", listed_only: bool = False
) -> QuerySet[Organisation]:
    """Organisations ``user`` may see, sorted by the name the reader will see.

    ``listed_only`` loads only the columns the list page shows (``LISTED_COLUMNS``); reading
    any other field of a row then costs a query.
    """
    queryset = (
        Organisation.objects.visible_to(user)
        .select_related("managed_by", "region")
        .alias(sort_name=_sort_name())
        .order_by("sort_name", "id")
    )
    if listed_only:
        queryset = queryset.only(*LISTED_COLUMNS)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def access_organisation(*, user: User | AnonymousUser, pk: Any) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.visible_to(user).select_related("managed_by", "region", "city"), pk
    )


def person_list(*, user: User | AnonymousUser) -> QuerySet[Person]:
    """Contacts ``user`` may see; ``organisation_visible`` says whether the organisation is too
    (a shared contact at a private company is shown without the company's name).

    ``organisation_visible`` tests the organisation's row, which the query joins anyway, with
    the filter of ``Organisation.objects.visible_to``: an ``EXISTS`` over the visible
    organisations made PostgreSQL hash every organisation the reader may see for a page of 50
    (docs/decisions/0027)."""
    people = (
        Person.objects.visible_to(user)
        .select_related("organisation", "owner")
        .annotate(
            organisation_visible=Case(
                When(_through(organisation_visibility_q(user), "organisation"), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
    )
    # a contact who withdrew consent to the directory listing is no longer listed (the
    # consent ledger, through core's hook: docs/privacy.md)
    return without_withdrawn_consent(people, "directory", email_field="email")


def _through(q: Q, relation: str) -> Q:
    """``q``, a filter on a model, as a filter on the row ``relation`` points to."""
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_through(child, relation))
        else:
            lookup, value = cast("tuple[str, Any]", child)
            children.append((f"{relation}__{lookup}", value))
    return Q.create(children, connector=q.connector, negated=q.negated)


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
    return principal.is_staff_role and person.visibility in principal.shared_levels()


CONTACTS_PROVIDED = gettext_lazy("Work email and phone in the directory")


def contacts_shown(*, user: User | AnonymousUser, people: Sequence[Person]) -> set[int]:
    """The ids of ``people`` whose email and phone ``user`` reads: those
    ``can_see_contact_details`` allows, less those who withdrew sharing abroad when ``user``
    reads from another country. Showing them abroad is a provision, recorded by privacy
    through core's hook (docs/privacy.md): a page, an API page or an export batch costs a
    fixed number of queries, not a few per row."""
    allowed = [
        person
        for person in people
        if (person.email or person.phone) and can_see_contact_details(user=user, person=person)
    ]
    shown = [
        Shown(
            key=person.pk,
            email=person.email,
            home_countries=frozenset({person.organisation.country} - {""}),
        )
        for person in allowed
    ]
    withheld = withheld_abroad(shown=shown, reader=user, what=CONTACTS_PROVIDED)
    return {person.pk for person in allowed} - withheld


def partnership_list(
    *, user: User | AnonymousUser, party: Organisation | None = None
) -> QuerySet[Partnership]:
    queryset = (
        Partnership.objects.visible_to(user)
        .prefetch_related(
            Prefetch("parties", queryset=Organisation.objects.visible_to(user)), "focal_sectors"
        )
        .order_by("-signed_on", "id")
    )
    if party is not None:
        queryset = queryset.filter(parties=party)
    return queryset


def access_partnership(*, user: User | AnonymousUser, pk: Any) -> Partnership:
    """The agreement with its linked records as ``user`` may see them: an agreement it renews,
    or that renews it, and a party are left out (``renews`` reads None) when hidden from
    ``user``, so a private title never shows on a page others read."""
    visible_agreements = Partnership.objects.visible_to(user)
    return get_visible_or_404(
        Partnership.objects.visible_to(user).prefetch_related(
            Prefetch("parties", queryset=Organisation.objects.visible_to(user)),
            "focal_sectors",
            "cities",
            Prefetch("renews", queryset=visible_agreements),
            Prefetch("renewals", queryset=visible_agreements),
        ),
        pk,
    )


def renewable_partnerships(
    *, user: User | AnonymousUser, exclude: Partnership | None = None
) -> QuerySet[Partnership]:
    """What the "Renews" choice offers: agreements ``user`` may see, but not the one edited."""
    queryset = Partnership.objects.visible_to(user).order_by("-signed_on", "id")
    if exclude is not None and exclude.pk is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset

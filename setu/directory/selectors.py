from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from setu.core.access import get_visible_or_404
from setu.core.i18n import CONTENT_LANGUAGES
from setu.directory.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from setu.accounts.models import User


def organisation_list(*, user: User | AnonymousUser, kind: str = "") -> QuerySet[Organisation]:
    """Organisations ``user`` may see, sorted by the name the reader will see."""
    language = (translation.get_language() or "en").split("-")[0]
    name_field = f"name_{language}" if language in CONTENT_LANGUAGES else "name_en"
    queryset = (
        Organisation.objects.visible_to(user)
        .select_related("managed_by")
        .annotate(sort_name=Coalesce(NullIf(name_field, Value("")), "name_en", "name_ja"))
        .order_by("sort_name", "id")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def access_organisation(*, user: User | AnonymousUser, pk: Any) -> Organisation:
    return get_visible_or_404(
        Organisation.objects.visible_to(user).select_related("managed_by"), pk
    )

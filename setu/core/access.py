"""Fetch-with-permission helpers. Views call these, never ``Model.objects.get`` on tenant data."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_visible_or_404(queryset: models.QuerySet[M], pk: Any) -> M:
    """The object with ``pk`` from an already permission-filtered queryset, else 404.

    A record the user may not see answers exactly like one that does not exist, so ids leak
    nothing.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc

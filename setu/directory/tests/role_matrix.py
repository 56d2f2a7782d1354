from __future__ import annotations

from django.urls import reverse

from setu.core.tests.matrix import ALL_200, Row

ROWS: dict[str, Row] = {
    "directory:organisations": Row(ALL_200),
    # a private company managed by officer_own's prefecture: another organisation's private
    # record answers 404, never 403
    "directory:organisation": Row(
        ("404", "404", "200", "404", "200", "404", "404"),
        url=lambda w: reverse("directory:organisation", args=[w.company.pk]),
    ),
}

"""Role × URL rows for privacy (vocabulary in setu/core/tests/matrix.py).

Everyone signed in has a privacy page of their own: it shows only their data, and someone
else's export is a 404. Grievances and the breach register are the secretariat's data
protection officer's: everyone else gets 403. Notices are public.
"""

from __future__ import annotations

from django.urls import reverse

from setu.core.tests.matrix import ALL_200, SECRETARIAT_ONLY, SIGNED_IN_200, Row
from setu.privacy.tests.factories import breach, grievance, ready_export, student

TO_PORTAL = ("login",) + ("→/privacy/",) * 6
# the student's own export: only the student downloads it
OWN_EXPORT = ("login", "200", "404", "404", "404", "404", "404")

ROWS: dict[str, Row] = {
    "privacy:portal": Row(SIGNED_IN_200),
    "privacy:notice": Row(ALL_200, url=lambda w: reverse("privacy:notice", args=["events"])),
    "privacy:consent": Row(TO_PORTAL, method="post"),
    "privacy:export_request": Row(TO_PORTAL, method="post"),
    "privacy:export": Row(
        OWN_EXPORT, url=lambda w: reverse("privacy:export", args=[ready_export(student(w)).token])
    ),
    "privacy:erasure": Row(SIGNED_IN_200),
    "privacy:grievance_new": Row(SIGNED_IN_200),
    "privacy:dpo": Row(SECRETARIAT_ONLY),
    "privacy:dpo_grievance": Row(
        SECRETARIAT_ONLY,
        url=lambda w: reverse("privacy:dpo_grievance", args=[grievance(student(w)).pk]),
    ),
    "privacy:breach_new": Row(SECRETARIAT_ONLY),
    "privacy:breach": Row(
        SECRETARIAT_ONLY, url=lambda w: reverse("privacy:breach", args=[breach().pk])
    ),
}

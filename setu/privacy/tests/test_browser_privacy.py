"""In a real browser: a student withdraws a consent on the privacy page and the page says so;
the privacy pages fit a 390 px phone in en, ja and hi (screenshots in var/test-artifacts)."""

from __future__ import annotations

from typing import Any

import pytest

from setu.accounts.models import User
from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.privacy.consent import consent_give, has_consent
from setu.privacy.models import Purpose
from setu.privacy.tests.factories import breach, grievance, notices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_withdrawing_on_the_privacy_page(world: World, live_server: Any, browser: Any) -> None:
    notices()
    student = world.users["student"]
    consent_give(subject=student, purpose=Purpose.NEWSLETTERS, actor=student)
    page = signed_in_page(browser, live_server, student)
    page.goto(f"{live_server.url}/privacy/")
    row = page.locator("tr", has_text="Newsletters and digests")
    with page.expect_navigation():
        row.get_by_role("button", name="Withdraw").click()
    assert "Consent withdrawn. It stops now." in page.inner_text("body")
    assert not has_consent(student, Purpose.NEWSLETTERS)


def test_the_privacy_pages_fit_a_phone(world: World, live_server: Any, browser: Any) -> None:
    notices()
    case = grievance(world.users["student"], subject="Wrong phone number " + "x" * 80)
    incident = breach(measures="Remote wipe of the laptop")
    student_paths = [
        "/privacy/",
        "/privacy/erasure/",
        "/privacy/grievances/new/",
        "/privacy/notices/abroad/",
    ]
    dpo_paths = [
        "/privacy/dpo/",
        f"/privacy/dpo/grievances/{case.pk}/",
        f"/privacy/dpo/breaches/{incident.pk}/",
    ]
    pages = {
        "student": (world.users["student"], student_paths),
        "secretariat": (world.users["secretariat"], dpo_paths),
    }
    wide: list[str] = []
    for language in ("en", "ja", "hi"):
        for who, (user, paths) in pages.items():
            User.objects.filter(pk=user.pk).update(language=language)
            user.refresh_from_db()
            for width in (390, 1280):
                page = signed_in_page(browser, live_server, user, width=width)
                for path in paths:
                    page.goto(f"{live_server.url}{path}")
                    slug = path.rstrip("/").replace("/", "-")
                    name = f"privacy-{who}-{language}-{width}{slug}.png"
                    page.screenshot(path=str(artifact(name)), full_page=True)
                    if width == 390 and not page.evaluate(FITS):
                        wide.append(f"{language} {path}")
                page.context.close()
    assert not wide, wide

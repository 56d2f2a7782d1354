"""In a real browser: a learner enrols (waitlist when full) and a volunteer signs up; the
organiser's course page and the festival page, at 1280 px and 390 px, in en, ja and hi."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from setu.accounts.models import User
from setu.browser import artifact
from setu.culture.demo import FESTIVAL_TITLE, FINISHED_TITLE, UPCOMING_TITLE
from setu.culture.models import Course, Enrolment, ShiftSignup
from setu.events.models import Event, RegistrationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Any, live_server: Any, user: User | None, language: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        User.objects.filter(pk=user.pk).update(language=language)
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    return context.new_page()


def test_enrol_volunteer_and_the_pages_in_three_languages(live_server: Any, browser: Any) -> None:
    call_command("load_demo", stdout=io.StringIO())
    upcoming = Course.objects.get(event__title_en=UPCOMING_TITLE)
    finished = Course.objects.get(event__title_en=FINISHED_TITLE)
    festival = Event.objects.get(title_en=FESTIVAL_TITLE)
    partner = User.objects.get(email="partner@demo.setu.example")

    # A partner enrols in the full course: the waitlist, said in their language.
    page = _page(browser, live_server, partner, "hi", 390)
    page.goto(live_server.url + upcoming.get_absolute_url())
    page.get_by_role("button", name="नामांकन करें").click()
    page.wait_for_load_state()
    assert "प्रतीक्षा सूची" in page.content()
    enrolment = Enrolment.objects.get(course=upcoming, learner=partner)
    assert enrolment.registration.status == RegistrationStatus.WAITLISTED
    # ... and volunteers for a shift with room; the full one offers no button
    page.goto(live_server.url + reverse("culture:festival", args=[festival.pk]))
    buttons = page.get_by_role("button", name="नाम लिखवाएँ")
    assert buttons.count() == 2
    buttons.first.click()
    page.wait_for_load_state()
    assert ShiftSignup.objects.filter(volunteer=partner).count() == 1
    page.reload()  # a reload after the POST changes nothing
    assert ShiftSignup.objects.filter(volunteer=partner).count() == 1
    page.context.close()

    officer = User.objects.get(email="officer.shizuoka@demo.setu.example")
    shots = {
        "course": finished.get_absolute_url(),
        "course-upcoming": upcoming.get_absolute_url(),
        "festival": reverse("culture:festival", args=[festival.pk]),
        "courses": reverse("culture:courses"),
        "event": festival.get_absolute_url(),
        "dashboard": reverse("dashboard"),
        "shift-add": reverse("culture:shift_add", args=[festival.pk]),
    }
    for language in ("en", "ja", "hi"):
        for width in (1280, 390):
            page = _page(browser, live_server, officer, language, width)
            for name, url in shots.items():
                response = page.goto(live_server.url + url)
                assert response is not None
                # officer_shizuoka does not host the festival: no shift form for them
                assert response.status == (403 if name == "shift-add" else 200), (name, language)
                if response.status == 200:
                    page.screenshot(
                        path=str(artifact(f"culture-{name}-{language}-{width}.png")),
                        full_page=True,
                    )
                    width_now = page.evaluate("document.documentElement.scrollWidth")
                    assert width_now <= width, (name, language, width_now)
            page.context.close()

"""An officer adds a webhook in the browser, reads its secret, and sees a test event's answer —
at desktop and phone width, in English, Japanese and Hindi (screenshots in var/test-artifacts)."""

from __future__ import annotations

from typing import Any

import pytest

from setu.browser import artifact, signed_in_page
from setu.conftest import World
from setu.webhooks.models import Subscription
from setu.webhooks.tests.conftest import Outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("ja", 390), ("hi", 390)])
def test_add_a_webhook_then_send_a_test_event(
    browser: Any,
    live_server: Any,
    world: World,
    sent: Outbox,
    language: str,
    width: int,
) -> None:
    officer = world.users["officer_own"]
    officer.language = language
    officer.save()
    page = signed_in_page(browser, live_server, officer, width=width)
    page.goto(f"{live_server.url}/webhooks/")
    page.screenshot(path=artifact(f"webhooks-list-empty-{language}-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/webhooks/new/")
    page.fill("input[name=url]", "http://10.1.2.3/hook")
    page.check("input[name=kinds][value='registration.created']")
    page.click("form:has(input[name=url]) button[type=submit]")
    error = page.locator(".errorlist").first.inner_text()
    assert "10.1.2.3" in error
    page.screenshot(path=artifact(f"webhooks-refused-{language}-{width}.png"), full_page=True)
    page.fill("input[name=url]", "https://crm.yamanashi.example/setu")
    page.click("form:has(input[name=url]) button[type=submit]")
    subscription = Subscription.objects.get()
    assert page.url.endswith(subscription.get_absolute_url())
    page.click("summary")
    assert page.locator("code", has_text=subscription.secret).is_visible()
    page.click("form[action$='/test/'] button")
    assert sent.kinds() == ["webhook.test"]
    assert page.locator("td", has_text="HTTP 200").count() == 1
    page.screenshot(path=artifact(f"webhooks-detail-{language}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

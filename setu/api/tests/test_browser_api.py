"""In a real browser: the docs page runs Swagger UI from the platform's own static files under
the site's CSP, and a signed-in person tries an operation from it; a member makes a token on
the account page, sees it once, and it works with the API. Screenshots in en, ja and hi at
1280 and 390 px land in var/test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from setu.api.models import ApiToken
from setu.browser import artifact, signed_in_page
from setu.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_runs_from_the_platform_under_its_csp(
    live_server: Any, browser: Any, world: World
) -> None:
    page = signed_in_page(browser, live_server, world.users["member"])
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}{reverse('api:openapi-view')}")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Setu API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("#operations-events-setu_api_routers_events_event_list")
    page.click("#operations-events-setu_api_routers_events_event_list .opblock-summary")
    page.click("button.try-out__btn")
    page.click("button.execute")
    page.wait_for_selector(".live-responses-table tr.response .response-col_status")
    assert (
        page.inner_text(".live-responses-table tr.response .response-col_status").strip() == "200"
    )
    page.screenshot(path=artifact("api-docs-1280.png"), full_page=False)
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not outside, outside


@pytest.mark.parametrize("language", ["en", "ja", "hi"])
def test_make_a_token_and_see_it_once(
    live_server: Any, browser: Any, world: World, language: str
) -> None:
    user = world.users["member"]
    user.language = language
    user.save(update_fields=["language"])
    for width in (1280, 390):
        page = signed_in_page(browser, live_server, user, width=width)
        page.goto(f"{live_server.url}{reverse('preferences')}")
        page.click(f"a[href='{reverse('api_tokens:list')}']")
        page.fill("input[name=name]", f"Calendar sync / カレンダー / कैलेंडर {width}")
        page.check("input[name=scopes][value='events:write']")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#new-token")
        text = page.inner_text("#new-token").strip()
        assert text.startswith("setu_")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=artifact(f"api-tokens-{language}-{width}.png"), full_page=True)
        page.reload()
        assert page.locator("#new-token").count() == 0  # shown once
        page.context.close()
        token = ApiToken.objects.filter(user=user).order_by("-id").first()
        assert token is not None and token.scopes == ["read", "events:write"]

"""The account pages for tokens, the command for scripts, the token format and the demo."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from setu.api import tokens
from setu.api.models import ApiToken
from setu.api.tests.support import ApiClient
from setu.conftest import World
from setu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_stored_hashed(world: World) -> None:
    client = world.client_for("member")
    url = reverse("api_tokens:list")
    response = client.post(
        url, {"name": "Calendar sync", "scopes": ["read", "events:write"], "days": "7"}
    )
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    text = page.context["new_token"]["text"]
    assert text.startswith("setu_") and text in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.users["member"])
    assert token.digest == tokens.digest(text) and text not in token.digest
    assert token.scopes == ["read", "events:write"]
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert AuditEntry.objects.filter(action="api.token.created", actor=world.users["member"])
    reloaded = client.get(url).content.decode()  # reloading shows it no more
    assert text not in reloaded and f"setu_{token.prefix}_" in reloaded
    assert ApiClient(text).get(reverse("api:events")).status_code == 200


def test_bad_input_on_the_token_form_says_why_and_makes_nothing(world: World) -> None:
    client = world.client_for("member")
    response = client.post(
        reverse("api_tokens:list"),
        {"name": " ", "scopes": ["everything"], "days": "900"},
        headers={"Accept-Language": "ja"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "scopes", "days"} <= form.errors.keys()
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_at_once(world: World) -> None:
    client = world.client_for("member")
    client.post(reverse("api_tokens:list"), {"name": "x", "scopes": ["read"], "days": "1"})
    text = client.get(reverse("api_tokens:list")).context["new_token"]["text"]
    token = ApiToken.objects.get()
    assert (
        world.client_for("partner").post(reverse("api_tokens:revoke", args=[token.pk])).status_code
        == 404
    )  # not theirs
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.status == "revoked"
    assert ApiClient(text).get(reverse("api:events")).status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1
    client.post(reverse("api_tokens:revoke", args=[token.pk]))  # again: nothing new
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1


def test_the_command_prints_the_token_alone_on_the_last_line(world: World) -> None:
    out = StringIO()
    call_command(
        "create_api_token", "partner@example.org", "--scopes", "read", "--days", "1", stdout=out
    )
    last = out.getvalue().rstrip("\n").splitlines()[-1]
    assert tokens.parse(last) is not None and " " not in last
    token = ApiToken.objects.get(user=world.users["partner"])
    assert token.scopes == ["read"] and tokens.matches(last, token.digest)
    assert ApiClient(last).get(reverse("api:events")).status_code == 200
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_token", "partner@example.org", "--scopes", "all", stdout=out)


def test_token_strings_parse_and_compare() -> None:
    parts = tokens.new_token()
    assert tokens.parse(parts.text) == parts.prefix
    assert tokens.matches(parts.text, tokens.digest(parts.text))
    assert not tokens.matches(parts.text + "x", tokens.digest(parts.text))
    for bad in ("", "setu_", "setu_short_x", "other_abcdefghij_x", "setu_abcdefghij_"):
        assert tokens.parse(bad) is None


def test_the_demo_shows_a_live_and_a_revoked_token() -> None:
    from setu.accounts.tests.factories import UserFactory
    from setu.api.demo import DEMO_MEMBER, load_api_demo

    assert load_api_demo({}) == 0  # no demo member: nothing
    user = UserFactory.create(email=DEMO_MEMBER)
    assert load_api_demo({}) == 2
    assert load_api_demo({}) == 0  # idempotent
    states = sorted(token.status for token in ApiToken.objects.filter(user=user))
    assert states == ["active", "revoked"]

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from setu.conftest import World

pytestmark = pytest.mark.django_db


def test_switching_language_is_kept_in_the_profile(world: World) -> None:
    client = world.client_for("member")
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/dashboard/"})
    assert response.headers["Location"] == "/dashboard/"
    world.users["member"].refresh_from_db()
    assert world.users["member"].language == "ja"
    page = client.get("/dashboard/").content.decode()
    assert '<html lang="ja">' in page


def test_an_unknown_language_is_refused_with_a_message_and_changes_nothing(world: World) -> None:
    client = world.client_for("member")
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"}, follow=True)
    assert "That language is not available" in response.content.decode()
    world.users["member"].refresh_from_db()
    assert world.users["member"].language == "en"


def test_next_cannot_leave_the_site(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "hi", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_anonymous_reader_gets_hindi_from_the_cookie(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "hi"})
    assert '<html lang="hi">' in client.get("/").content.decode()


def test_anonymous_pages_hold_no_csrf_token_and_the_switch_works_without_one(
    world: World,
) -> None:
    """Public pages an anonymous reader sees carry nothing personal (nginx may keep them a
    few seconds, decision 0031); the language switch works for them without a token."""
    reader = Client(enforce_csrf_checks=True)
    for url in ("/", "/events/", "/events/calendar/"):
        response = reader.get(url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert "csrftoken" not in response.cookies, url
    switched = reader.post(reverse("set_language"), {"language": "ja", "next": "/events/"})
    assert switched.status_code == 302
    assert '<html lang="ja">' in reader.get("/events/").content.decode()


def test_a_signed_in_switch_without_the_token_is_refused_and_changes_nothing(
    world: World,
) -> None:
    member = world.users["member"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    refused = client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    assert refused.status_code == 403
    member.refresh_from_db()
    assert member.language == "en"

    page = client.get("/dashboard/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    accepted = client.post(
        reverse("set_language"), {"language": "hi", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    member.refresh_from_db()
    assert member.language == "hi"

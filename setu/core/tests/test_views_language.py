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

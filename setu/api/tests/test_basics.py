"""Tokens, errors, pagination, ETags and languages through a few endpoints."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from setu.api.models import ApiToken
from setu.api.tests.support import ApiClient, client_for, token_for
from setu.conftest import World
from setu.core.models import AuditEntry
from setu.directory.tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_with_a_json_body(world: World) -> None:
    response = ApiClient().get(reverse("api:organisations"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_token_reads_what_its_person_may_read(world: World) -> None:
    api = client_for(world.users["officer_other"])
    response = api.get(reverse("api:organisations"), {"limit": 100})
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert world.prefecture.pk in ids
    assert world.company.pk not in ids  # private, managed by another prefecture
    own = client_for(world.users["officer_own"]).get(reverse("api:organisations"), {"limit": 100})
    assert world.company.pk in {row["id"] for row in own.json()["results"]}
    hidden = api.get(reverse("api:organisation", args=[world.company.pk]))
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "Not found.", "errors": []}


def test_bad_revoked_and_expired_tokens_get_401(world: World) -> None:
    user = world.users["member"]
    url = reverse("api:organisations")
    assert ApiClient("setu_nothing_here").get(url).status_code == 401
    text = token_for(user)
    forged = text[:-3] + ("aaa" if not text.endswith("aaa") else "bbb")
    assert ApiClient(forged).get(url).json()["detail"] == "This token is not valid."
    token = ApiToken.objects.get(user=user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    expired = ApiClient(text).get(url)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert ApiClient(text).get(url).json()["detail"] == "This token was revoked."


def test_the_401_is_in_the_callers_language(world: World) -> None:
    ja = ApiClient("setu_nothing_here", language="ja").get(reverse("api:organisations"))
    hi = ApiClient("setu_nothing_here", language="hi").get(reverse("api:organisations"))
    assert ja.status_code == hi.status_code == 401
    assert ja.json()["detail"] != "This token is not valid."
    assert ja.json()["detail"] != hi.json()["detail"]
    assert ja["Content-Language"] == "ja"


def test_a_token_without_the_scope_gets_403_and_nothing_changes(world: World) -> None:
    from setu.events.models import Registration
    from setu.events.tests.factories import EventFactory

    event = EventFactory.create(owner=world.prefecture)
    api = client_for(world.users["member"], scopes=["read"])
    response = api.post(reverse("api:registrations"), {"event": event.pk})
    assert response.status_code == 403
    assert "events:write" in response.json()["detail"]
    assert not Registration.objects.exists()


def test_cursor_pages_walk_every_row_once(world: World) -> None:
    for n in range(7):
        CompanyFactory.create(name_en=f"Page Test {n:02d} K.K.", managed_by=world.prefecture)
    api = client_for(world.users["officer_own"])
    seen: list[int] = []
    cursor = None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get(reverse("api:organisations"), query).json()
        seen += [row["id"] for row in body["results"]]
        cursor = body["next"]
        if cursor is None:
            break
    everything = api.get(reverse("api:organisations"), {"limit": 100}).json()["results"]
    assert seen == [row["id"] for row in everything]
    assert len(seen) == len(set(seen)) >= 12
    backwards = api.get(reverse("api:organisations"), {"limit": 100, "ordering": "-name"})
    assert [row["id"] for row in backwards.json()["results"]] == seen[::-1]


def test_a_bad_cursor_or_ordering_is_a_400_naming_the_field(world: World) -> None:
    api = client_for(world.users["member"])
    bad = api.get(reverse("api:organisations"), {"cursor": "not-a-cursor"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "query.cursor"
    order = api.get(reverse("api:organisations"), {"ordering": "employees"})
    assert order.status_code == 400
    assert order.json()["errors"][0]["field"] == "query.ordering"
    limit = api.get(reverse("api:organisations"), {"limit": "many"})
    assert limit.status_code == 422
    assert limit.json()["errors"] == [{"field": "query.limit", "message": "Enter a whole number."}]


def test_etag_answers_304_when_nothing_changed(world: World) -> None:
    api = client_for(world.users["member"])
    first = api.get(reverse("api:organisation", args=[world.prefecture.pk]))
    etag = first["ETag"]
    again = api.get(reverse("api:organisation", args=[world.prefecture.pk]), If_None_Match=etag)
    assert again.status_code == 304
    assert again.content == b""
    world.prefecture.name_en = "Yamanashi Prefecture"
    world.prefecture.save()
    changed = api.get(reverse("api:organisation", args=[world.prefecture.pk]), If_None_Match=etag)
    assert changed.status_code == 200


def test_accept_language_translates_content_fields(world: World) -> None:
    world.prefecture.name_ja = "山梨県"
    world.prefecture.name_hi = "यामानाशी"
    world.prefecture.save()
    url = reverse("api:organisation", args=[world.prefecture.pk])
    user = world.users["member"]
    token = token_for(user)
    assert ApiClient(token, "ja").get(url).json()["name"] == "山梨県"
    assert ApiClient(token, "hi").get(url).json()["name"] == "यामानाशी"
    assert ApiClient(token, "en").get(url).json()["name"] == "Yamanashi"


def test_the_rate_limit_answers_429_with_retry_after(world: World, settings: object) -> None:
    settings.SETU_API_RATE_LIMIT = 3  # type: ignore[attr-defined]
    api = client_for(world.users["member"])
    codes = [api.get(reverse("api:events")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.get(reverse("api:events"))
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["detail"].startswith("Too many requests")
    # another token of the same person has its own budget
    assert client_for(world.users["member"]).get(reverse("api:events")).status_code == 200


def test_oversize_malformed_and_unknown_fields(world: World) -> None:
    from setu.events.models import Registration
    from setu.events.tests.factories import EventFactory

    event = EventFactory.create(owner=world.prefecture)
    api = client_for(world.users["member"])
    url = reverse("api:registrations")
    big = api.post(url, {"event": event.pk, "answers": {"1": "x" * 70_000}})
    assert big.status_code == 413
    malformed = api.post(url, '{"event": ')
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["field"] == "body"
    unknown = api.post(url, {"event": event.pk, "colour": "red"})
    assert unknown.status_code == 422
    assert {"field": "body.colour", "message": "Unknown field: remove it."} in unknown.json()[
        "errors"
    ]
    wrong = api.post(url, {"event": "soon"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "body.event"
    assert not Registration.objects.exists()


def test_registering_through_the_api_is_audited_as_the_person(world: World) -> None:
    from setu.events.models import Registration
    from setu.events.tests.factories import EventFactory

    event = EventFactory.create(owner=world.prefecture)
    user = world.users["member"]
    api = client_for(user)
    response = api.post(reverse("api:registrations"), {"event": event.pk})
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert response.json()["id"] == registration.pk
    assert response.json()["status"] == "confirmed"
    entry = AuditEntry.objects.get(action="events.registration.created")
    assert entry.actor == user
    again = api.post(reverse("api:registrations"), {"event": event.pk})
    assert again.status_code == 400
    assert "already registered" in again.json()["detail"]
    mine = api.get(reverse("api:registrations")).json()["results"]
    assert [row["id"] for row in mine] == [registration.pk]
    assert (
        json.loads(api.get(reverse("api:registration", args=[registration.pk])).content)["event"]
        == event.pk
    )


def test_an_id_no_database_can_hold_is_a_422_naming_the_field(world: World) -> None:
    """A 64-bit primary key is the most an id can be: a longer number is the caller's mistake
    (it was a server error on SQLite, found by the schema check)."""
    from setu.results.models import Lead

    api = client_for(world.users["officer_own"])
    huge = str(2**100)
    listed = api.get(reverse("api:documents"), {"owner": huge}, **{"Accept-Language": "ja"})
    assert listed.status_code == 422
    assert listed.json()["errors"][0]["field"] == "query.owner"
    assert listed.json()["errors"][0]["message"].isascii() is False  # in the caller's language
    zero = api.get(reverse("api:events"), {"host": "0"})
    assert zero.status_code == 422
    assert zero.json()["errors"][0]["field"] == "query.host"
    created = api.post(reverse("api:leads"), {"kind": "trade", "company": 2**70, "title": "x"})
    assert created.status_code == 422
    assert any(error["field"] == "body.company" for error in created.json()["errors"])
    assert not Lead.objects.exists()

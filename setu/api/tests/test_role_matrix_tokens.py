"""The API role matrix again, with each person's token instead of a browser session: tokens
and pages share one policy, so every GET row must give the same answers. Writes are checked
here with tokens too (a session never writes through the API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setu.api.tests.role_matrix import ROWS, _meeting_request
from setu.api.tests.support import ApiClient, client_for, token_for
from setu.conftest import ROLES, World, build_world
from setu.core.models import AuditEntry
from setu.core.tests.matrix import matches
from setu.matchmaking.models import RequestStatus

API_ROWS = sorted(
    name for name, row in ROWS.items() if name.startswith("api:") and row.method == "get"
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_ROWS)
def test_each_token_gets_the_sessions_answer(name: str) -> None:
    world = build_world()
    row = ROWS[name]
    url = row.url(world) if row.url else reverse(name)
    clients = {
        role: ApiClient(token_for(world.users[role]) if role in world.users else None)
        for role in ROLES
    }
    got = {role: str(clients[role].get(url).status_code) for role in ROLES}
    mismatches = {
        role: (want, got[role])
        for role, want in zip(ROLES, row.expected, strict=True)
        if not matches(want, got[role])
    }
    assert not mismatches, f"{name} {url}: role → (expected, got): {mismatches}"


@pytest.mark.django_db
def test_only_the_recipient_answers_a_meeting_request(world: World) -> None:
    meeting_request = _meeting_request(world)
    url = reverse("api:meeting_request", args=[meeting_request.pk])
    answer = {"status": "accepted", "answer": "Gladly / 喜んで / ज़रूर"}
    assert client_for(None).patch(url, answer).status_code == 401
    for role in ("student", "officer_own", "officer_other", "secretariat"):
        assert client_for(world.users[role]).patch(url, answer).status_code == 404, role
    refused = client_for(world.users["member"]).patch(url, answer)  # the requester
    assert refused.status_code == 400
    assert refused.json()["detail"] == "This request is not addressed to you."
    read_only = client_for(world.users["partner"], scopes=["read"]).patch(url, answer)
    assert read_only.status_code == 403
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.PENDING
    assert not AuditEntry.objects.filter(action__startswith="matchmaking.request").exists()

    done = client_for(world.users["partner"]).patch(url, answer)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "accepted"
    assert done.json()["direction"] == "received"
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.ACCEPTED
    assert meeting_request.answer == answer["answer"]
    entry = AuditEntry.objects.get(action="matchmaking.request.accepted")
    assert entry.actor == world.users["partner"]
    again = client_for(world.users["partner"]).patch(url, {"status": "declined"})
    assert again.status_code == 400
    assert again.json()["detail"] == "This request has already been answered."


@pytest.mark.django_db
def test_a_bad_answer_names_the_field_and_changes_nothing(world: World) -> None:
    meeting_request = _meeting_request(world)
    url = reverse("api:meeting_request", args=[meeting_request.pk])
    api = client_for(world.users["partner"], language="hi")
    response = api.patch(url, {"status": "maybe"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.status"
    too_long = api.patch(url, {"status": "declined", "answer": "あ" * 1001})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "body.answer"
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.PENDING


@pytest.mark.django_db
def test_another_prefectures_token_never_sees_yamanashis_memo(world: World) -> None:
    from setu.api.tests.role_matrix import _memo

    memo = _memo(world)
    other = client_for(world.users["officer_other"])
    assert other.get(reverse("api:document", args=[memo.pk])).status_code == 404
    assert other.get(reverse("api:document_file", args=[memo.pk])).status_code == 404
    listed = other.get(reverse("api:documents"), {"limit": 100}).json()["results"]
    assert memo.pk not in {row["id"] for row in listed}
    own = client_for(world.users["officer_own"])
    file = own.get(reverse("api:document_file", args=[memo.pk]))
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == b"Yamanashi only.\n"
    assert file["Content-Disposition"].startswith("attachment")
    again = own.get(reverse("api:document_file", args=[memo.pk]), If_None_Match=file["ETag"])
    assert again.status_code == 304

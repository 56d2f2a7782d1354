"""Audit entries read as sentences in the reader's language, never as action codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from setu.accounts.models import Invitation, Role
from setu.conftest import World
from setu.core import audit

SETU = Path(__file__).resolve().parents[2]
APP_LABELS = ("accounts", "coordination", "core", "directory", "events", "library", "matchmaking")
ACTION_CODE = re.compile(rf"^({'|'.join(APP_LABELS)})\.[a-z_]+\.[a-z_]+$")


def _source_files() -> list[Path]:
    return [
        path
        for path in SETU.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def recorded_action_codes() -> set[str]:
    """Every "app.thing.verb" string literal of the code (record's argument or a variable)."""
    codes = set()
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and ACTION_CODE.match(node.value)
            ):
                codes.add(node.value)
    return codes


def test_the_collector_finds_the_codes_recorded_in_the_code() -> None:
    codes = recorded_action_codes()
    assert {"accounts.invitation.sent", "matchmaking.schedule.done"} <= codes
    assert len(codes) > 100


def test_no_action_is_recorded_from_a_computed_string() -> None:
    """An f-string action code would escape the collector above."""
    computed = []
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "record"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.JoinedStr | ast.BinOp)
            ):
                computed.append(f"{path.relative_to(SETU.parent)}:{node.lineno}")
    assert not computed, f"write the action code out in full: {computed}"


def test_every_recorded_action_has_a_sentence() -> None:
    missing = sorted(recorded_action_codes() - set(audit.ACTION_SENTENCES))
    assert not missing, f"add a sentence to setu.core.audit.ACTION_SENTENCES for: {missing}"


@pytest.mark.parametrize("language", ["ja", "hi"])
def test_every_sentence_is_translated(language: str) -> None:
    untranslated = []
    for code, sentence in audit.ACTION_SENTENCES.items():
        with translation.override(language):
            if str(sentence) == _english(code):
                untranslated.append(code)
    assert not untranslated, f"no {language} sentence for {untranslated[:10]}"


def _english(code: str) -> str:
    with translation.override("en"):
        return str(audit.ACTION_SENTENCES[code])


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["dashboard", "audit_log"])
def test_staff_read_recent_changes_as_sentences_in_their_language(world: World, page: str) -> None:
    invitation = Invitation.objects.create(
        email="a.very.long.address.without.spaces.for.a.phone.screen@example.org",
        organisation=world.prefecture,
        role=Role.PREFECTURE_OFFICER,
    )
    audit.record(invitation, "accounts.invitation.sent", actor=world.users["officer_own"])
    client: Client = world.client_for("officer_own")
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    html = client.get(reverse(page)).content.decode()
    main = html.split('<main id="main"', 1)[1]
    assert "招待が送信されました" in main
    assert ">accounts.invitation.sent<" not in main
    assert "accounts.invitation.sent ·" not in main


@pytest.mark.django_db
def test_the_audit_log_is_filtered_by_a_sentence_not_a_code(world: World) -> None:
    invitation = Invitation.objects.create(
        email="a@example.org", organisation=world.prefecture, role=Role.PREFECTURE_OFFICER
    )
    audit.record(invitation, "accounts.invitation.sent", actor=world.users["officer_own"])
    audit.record(invitation, "accounts.invitation.revoked", actor=world.users["officer_own"])
    client: Client = world.client_for("officer_own")
    page = client.get(reverse("audit_log"), {"action": "accounts.invitation.revoked"})
    html = page.content.decode()
    assert (
        '<option value="accounts.invitation.revoked" selected>Invitation withdrawn</option>' in html
    )
    assert [entry.action for entry in page.context["page"].object_list] == [
        "accounts.invitation.revoked"
    ]

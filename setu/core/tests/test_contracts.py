"""Project-wide contracts: pure algorithms, complete translations, deployable settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


def test_algorithms_import_no_django() -> None:
    """setu/algorithms is plain Python: importing every module leaves Django unloaded."""
    modules = sorted(
        f"setu.algorithms.{path.stem}"
        for path in (ROOT / "setu" / "algorithms").glob("*.py")
        if path.stem != "__init__"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked)); sys.exit(1 if leaked else 0)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, (
        f"Django imported by setu.algorithms: {result.stdout}{result.stderr}"
    )


CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("locale-allauth/*/LC_MESSAGES/django.po")
)


def test_every_language_has_a_catalog() -> None:
    languages = {path.parts[-3] for path in ROOT.glob("locale/*/LC_MESSAGES/django.po")}
    assert languages >= {"ja", "hi"}


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete_and_compiled(po_path: Path) -> None:
    catalog = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path.name}: {fuzzy[:10]}"
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in catalog.translated_entries()
    }
    built = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled}
    assert source == built, "the .mo is stale: run `make messages`"


def test_catalogs_hold_exactly_the_marked_strings(tmp_path: Path) -> None:
    """makemessages over a copy of the code finds no string missing from, or stale in, ja."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing: .ci/run installs it")
        pytest.skip("GNU gettext (xgettext) is not installed here; CI runs this check")
    for part in ("setu", "templates", "config"):
        shutil.copytree(
            ROOT / part,
            tmp_path / part,
            ignore=shutil.ignore_patterns("__pycache__", "locale", "data", "tests"),
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env = dict(os.environ, SETU_VAR_DIR=str(tmp_path / "var"), DATABASE_URL="")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    wanted = {(e.msgctxt, e.msgid) for e in fresh}
    have = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    assert not wanted - have, (
        f"marked but not in the catalogs (run make messages): {sorted(wanted - have)[:10]}"
    )
    assert not have - wanted, f"in the catalogs but no longer used: {sorted(have - wanted)[:10]}"


@pytest.mark.django_db
def test_migrations_match_models() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_the_deploy_check() -> None:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = dict(
        inherited,
        SETU_ENV="prod",
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-for-the-check-only",
        ALLOWED_HOSTS="setu.example",
        DATABASE_URL="",
        SETU_VISITOR_KEYS="tE9Vr4Xb1m0qk8mY7c6Zb5a4Wd3Ue2Tf1Sg0Rh9Qi8A=",  # a Fernet key
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = dict(os.environ, SETU_ENV="prod", SECRET_KEY="", ALLOWED_HOSTS="setu.example")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr

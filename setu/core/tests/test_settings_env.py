"""Settings that operations set through the environment (docs/operations.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _setting(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_mail_file_directory_comes_from_the_environment(tmp_path: Path) -> None:
    assert _setting("EMAIL_FILE_PATH", EMAIL_FILE_PATH=str(tmp_path / "mail")) == str(
        tmp_path / "mail"
    )


def test_the_site_name_in_emails_comes_from_the_environment() -> None:
    assert _setting("SETU_SITE_NAME", SETU_SITE_NAME="Setu staging") == "Setu staging"

"""The algorithms' tests run as their docstrings say: without Django, settings or a database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from setu.algorithms.tests import test_clashes, test_names

ROOT = Path(__file__).resolve().parents[3]


def _documented_command(module_doc: str) -> list[str]:
    line = next(line for line in module_doc.splitlines() if "-m pytest" in line)
    interpreter, *arguments = line.split()
    assert interpreter == ".venv/bin/python"
    return [sys.executable, *arguments]


def test_the_documented_no_django_command_passes() -> None:
    commands = [_documented_command(module.__doc__ or "") for module in (test_names, test_clashes)]
    # One run of both files: the same options, the test files appended.
    command = [*commands[0], *commands[1][-1:], "-q"]
    assert "no:django" in command
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    assert "error" not in result.stdout.splitlines()[-1]

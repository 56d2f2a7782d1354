"""The layers of docs/architecture.md hold: the import-linter contracts in pyproject.toml.

The foundation (core, accounts, directory) imports no activity app; the activity apps import
each other in one direction only (matchmaking and coordination above events, events above
library); setu.algorithms imports no app. A broken contract names the chain of imports.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layers_and_the_order_of_the_activity_apps_hold() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    pyproject = Path(settings.BASE_DIR, "pyproject.toml").read_text(encoding="utf-8")
    contracts = tomllib.loads(pyproject)["tool"]["importlinter"]["contracts"]
    assert f"{len(contracts)} kept, 0 broken" in result.stdout


def test_a_broken_contract_fails(tmp_path: Path) -> None:
    """The check can fail: a contract that puts matchmaking below core is broken."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["setu"]\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "matchmaking below core (false on purpose)"\n'
        'type = "layers"\n'
        'layers = ["setu.core", "setu.matchmaking"]\n'
    )
    result = _lint(str(config))
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "setu.matchmaking" in result.stdout


def test_the_activity_apps_register_their_demo_data_in_order() -> None:
    """load_demo runs what the apps registered, in the order their records need."""
    from setu.core.registries import demo_loaders

    assert [key for key, _load in demo_loaders()] == [
        "coordination",
        "inbound",  # coordination's visits to Japan (docs/inbound.md)
        "events",
        "matchmaking",
        "library",
        "culture",
        "exchanges",
        "results",
        "tourism",
        "webhooks",
        "privacy",
        "api",
    ]

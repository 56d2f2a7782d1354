"""deploy/local's scripts: their arguments, the load test's last line, backup checksums.

The stack itself (nginx, app servers, PostgreSQL replica) is not started here; see
docs/operations.md for the commands and docs/performance.md for what they measured.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
LOCAL = ROOT / "deploy" / "local"
SUMMARY = re.compile(
    r"^requests \d+, failures \d+, p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, "
    r"registrations confirmed \d+, in database \d+$"
)


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"deploy_local_{name}", LOCAL / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_loadtest_help_parses() -> None:
    result = subprocess.run(
        [str(LOCAL / "loadtest"), "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "--seconds" in result.stdout and "--users" in result.stdout


def test_loadtest_arguments() -> None:
    loadtest = _module("loadtest")
    args = loadtest.parse_args(["--seconds", "60", "--users", "100"])
    assert (args.seconds, args.users, args.no_kill, args.baseline_seconds) == (60, 100, False, 30)
    with pytest.raises(SystemExit):
        loadtest.parse_args(["--seconds", "3"])
    with pytest.raises(SystemExit):
        loadtest.parse_args(["--users", "many"])


def test_the_summary_line_has_the_agreed_shape() -> None:
    loadtest = _module("loadtest")
    seen = {
        "requests": 5321,
        "failed_after_retry": 0,
        "p50": 41.2,
        "p95": 288.0,
        "p99": 612.9,
        "confirmed": ["a@example.org", "b@example.org"],
    }
    line = loadtest.summary_line(seen, in_database=2)
    assert line == (
        "requests 5321, failures 0, p50 41 ms, p95 288 ms, p99 613 ms, "
        "registrations confirmed 2, in database 2"
    )
    assert SUMMARY.match(line)


def test_backup_checksums_name_every_file(tmp_path: Path) -> None:
    backup = _module("backup")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "静岡.txt").write_bytes(b"hydrogen")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    sums = backup.file_checksums(tmp_path)
    assert sums == {
        "documents/静岡.txt": hashlib.sha256(b"hydrogen").hexdigest(),
        "logo.png": hashlib.sha256(b"\x89PNG").hexdigest(),
    }
    listing = tmp_path / "media.sha256"
    listing.write_text("".join(f"{h}  {p}\n" for p, h in sums.items()))
    assert backup._read_sums(listing) == sums


def test_nginx_sets_the_documented_limits_and_routes_around_a_dead_server() -> None:
    conf = (LOCAL / "nginx.conf.in").read_text()
    assert "client_max_body_size 26m;" in conf  # SETU_UPLOAD_MAX_BYTES (25 MB) and the form
    assert "large_client_header_buffers 4 16k;" in conf  # gunicorn --limit-request-line 8190
    assert "proxy_next_upstream error timeout http_502 http_503;" in conf
    assert re.search(r"location /_protected/ \{\s+internal;", conf)
    common = (LOCAL / "common.sh").read_text()
    assert "--limit-request-line 8190" in common
    assert "SETU_X_ACCEL_REDIRECT_PREFIX=/_protected/" in common


@pytest.mark.skipif(sys.platform != "linux", reason="bash scripts for Debian")
def test_the_shell_scripts_are_valid_bash() -> None:
    for name in ("up", "down", "status", "common.sh"):
        bash = shutil.which("bash") or "/bin/bash"
        result = subprocess.run([bash, "-n", str(LOCAL / name)], capture_output=True, text=True)
        assert result.returncode == 0, (name, result.stderr)


def test_an_app_server_boots_without_the_solver_libraries() -> None:
    """A restarted app server answers once Django, the URLs and the templates are loaded; the
    scheduler's scipy is loaded only by what computes a schedule or its bound (the worker, the
    draft page), so a restart under load costs the other server less CPU."""
    probe = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_gunicorn_compiles_the_project_templates_before_opening_its_port() -> None:
    from django.template import engines

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()  # other tests of this process have filled it with the libraries' templates
    config = _module("gunicorn.conf")
    config._compile_templates()
    cached = loader.get_template_cache
    assert "events/event_list.html" in cached and "base.html" in cached
    assert not any(".venv" in str(template.origin.name) for template in cached.values())

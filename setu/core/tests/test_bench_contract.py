"""The benchmarks are checks: a missed target fails the run, and every bench reports through
the shared reporter (bench/_support.py), so that `make bench` ends with one honest table."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, as an import would: a dataclass reads its module's namespace
    # through sys.modules (it passed only when another test had imported _support first).
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


FAKE = """
import sys
sys.path.insert(0, {bench!r})
from _support import Reporter

report = Reporter("fake")
report.check("page p95", {value}, unit="ms", target=50, baseline=2.0, baseline_name="bare view")
sys.exit(report.finish())
"""


def _fake_bench(folder: Path, name: str, value: float) -> None:
    (folder / f"bench_{name}.py").write_text(
        textwrap.dedent(FAKE.format(bench=str(BENCH), value=value)), encoding="utf-8"
    )


def test_a_missed_target_makes_the_bench_and_run_all_exit_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_bench(tmp_path, "slow", 66.4)
    _fake_bench(tmp_path, "fast", 12.0)

    alone = subprocess.run(
        [sys.executable, str(tmp_path / "bench_slow.py")], capture_output=True, text=True
    )
    assert alone.returncode == 1
    assert "MISSED" in alone.stdout

    run_all = _load("run_all")
    assert run_all.main(["--folder", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    summary = out.split("##### Summary", 1)[1]
    # one table with both benches' figures: value, target, ratio to the baseline, the verdict
    assert "66.4 ms" in summary and "≤ 50 ms" in summary and "33.20× bare view" in summary
    assert "MISSED" in summary and "met" in summary
    assert "failed: bench_slow.py" in summary

    assert run_all.main(["--folder", str(tmp_path), "fast"]) == 0


def test_a_bench_that_measures_nothing_or_crashes_is_not_ok(tmp_path: Path) -> None:
    (tmp_path / "bench_silent.py").write_text("print('done')\n", encoding="utf-8")
    (tmp_path / "bench_broken.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    run_all = _load("run_all")
    assert run_all.main(["--folder", str(tmp_path), "silent"]) == 1
    assert run_all.main(["--folder", str(tmp_path), "broken"]) == 1


def test_the_reporter_checks_both_directions() -> None:
    support = _load("_support")
    report = support.Reporter("unit")
    assert report.check("share of bound", 99.9, unit="%", target=99.8, better="higher").met
    assert not report.check("share of bound", 98.7, unit="%", target=99.8, better="higher").met
    assert not report.check("nothing measured", float("nan"), unit="ms", target=50).met
    assert report.finish() == 1
    assert support.Reporter("empty").finish() == 1


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


@pytest.mark.parametrize("script", sorted(BENCH.glob("bench_*.py")), ids=lambda p: p.stem)
def test_every_bench_checks_its_targets_through_the_shared_reporter(script: Path) -> None:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "_support"
        for alias in node.names
    }
    assert "Reporter" in imported, f"{script.name} does not use _support.Reporter"
    calls = _calls(tree)
    assert {"Reporter", "check", "finish"} <= calls, f"{script.name}: no target checked"

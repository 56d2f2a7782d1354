"""deploy/local/loadtest: locust against nginx, one app server killed half-way, reconciled.

    deploy/local/loadtest --seconds 60 --users 100

Prints the phases, then a summary whose last line is

    requests N, failures F, p50 X ms, p95 Y ms, p99 Z ms, registrations confirmed C, in database D

F counts requests that still failed after the client's one retry; C and D count this run's
registrations only. Exit 1 when the reconciliation finds a lost, duplicated or unexpected
registration or seats beyond capacity.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEPLOY = ROOT / "var" / "deploy"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="deploy/local/loadtest",
        description="Load test the local production stack (deploy/local/up) with locust.",
    )
    parser.add_argument("--seconds", type=int, default=60, help="length of the main run")
    parser.add_argument("--users", type=int, default=100, help="simulated users")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second")
    parser.add_argument("--no-kill", action="store_true", help="do not kill an app server half-way")
    parser.add_argument(
        "--baseline-seconds",
        type=int,
        default=30,
        help="then the same mix against one runserver on the same data (0: skip)",
    )
    args = parser.parse_args(argv)
    if args.seconds < 10 or args.users < 1:
        parser.error("--seconds must be at least 10 and --users at least 1")
    return args


def summary_line(result: Mapping[str, Any], in_database: int) -> str:
    """The load test's last line, from what the clients saw and what the database holds."""
    return (
        f"requests {int(result['requests'])}, failures {int(result['failed_after_retry'])}, "
        f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, "
        f"registrations confirmed {len(result['confirmed'])}, in database {in_database}"
    )


def _bash(command: str) -> None:
    subprocess.run(["bash", "-c", f"source {HERE}/common.sh; {command}"], check=True)


def _env() -> dict[str, str]:
    """The stack's environment (common.sh app_env), for the Django-side script."""
    out = subprocess.run(
        ["bash", "-c", f"source {HERE}/common.sh; app_env; env -0"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


def _django(env: Mapping[str, str], *args: str) -> None:
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(HERE / "loadtest_django.py"), *args],
        check=True,
        env=dict(env),
        cwd=ROOT,
    )


def _locust(
    *,
    host: str,
    users: int,
    seconds: int,
    spawn_rate: float,
    plan: Path,
    out: Path,
    mail: Path,
    log: Path,
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LOADTEST_PLAN": str(plan),
        "LOADTEST_OUT": str(out),
        "LOADTEST_MAIL_DIR": str(mail),
        "PYTHONWARNINGS": "ignore:Unverified HTTPS request",
    }
    command = [
        str(ROOT / ".venv/bin/locust"), "-f", str(HERE / "locustfile.py"), "--headless",
        "--host", host, "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{seconds}s", "--stop-timeout", "20", "--only-summary",
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _kill_and_restart(delay: float, notes: dict[str, float]) -> None:
    time.sleep(delay)
    started = time.monotonic()
    _bash("kill_app_server 0")
    notes["killed_at"] = delay
    _bash("start_app_server 0")
    notes["restart_seconds"] = time.monotonic() - started


def _run_baseline(env: Mapping[str, str], args: argparse.Namespace, work: Path) -> float:
    """The same mix against one runserver (no nginx, no replica) on the same database."""
    port = 8199
    # One process, one thread, one database connection: runserver's threads would open a
    # connection per concurrent request and exhaust the shared cluster's max_connections.
    base_env = {
        **env, "SETU_ENV": "dev", "DEBUG": "0", "PYTHONWARNINGS": "ignore", "CONN_MAX_AGE": "0",
    }  # fmt: skip
    base_env.pop("DATABASE_REPLICA_URL", None)
    base_env.pop("SETU_X_ACCEL_REDIRECT_PREFIX", None)
    base_env["CSRF_TRUSTED_ORIGINS"] = f"http://127.0.0.1:{port}"
    base_env["SETU_BASE_URL"] = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "runserver", f"127.0.0.1:{port}",
         "--noreload", "--nothreading", "--insecure"],
        cwd=ROOT, env=base_env, stdout=(work / "runserver.log").open("wb"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # local
                break
            except OSError:
                time.sleep(0.3)
        run_id = f"{int(time.time())}b"
        plan, out = work / "baseline-plan.json", work / "baseline-seen.json"
        _django(base_env, "prepare", run_id, str(plan))
        locust = _locust(
            host=f"http://127.0.0.1:{port}", users=args.users, seconds=args.baseline_seconds,
            spawn_rate=args.spawn_rate, plan=plan, out=out, mail=DEPLOY / "mail",
            log=work / "baseline-locust.log",
        )  # fmt: skip
        locust.wait()
        result = json.loads(out.read_text())
        print(
            f"baseline, one runserver: {result['requests']} requests in {result['seconds']:.0f} s, "
            f"{result['rps']:.1f} requests/s, p95 {result['p95']:.0f} ms, "
            f"failures {result['failed_after_retry']}"
        )
        return float(result["rps"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = DEPLOY / "loadtest"
    work.mkdir(parents=True, exist_ok=True)
    status = subprocess.run([str(HERE / "status")], capture_output=True, text=True)
    if status.returncode != 0:
        print(status.stdout)
        print("The stack is not (fully) up: run deploy/local/up first.", file=sys.stderr)
        return 2
    env = _env()
    run_id = str(int(time.time()))
    plan, out = work / f"plan-{run_id}.json", work / f"seen-{run_id}.json"
    _django(env, "prepare", run_id, str(plan))
    print(f"run {run_id}: {args.users} users for {args.seconds} s against {env['SETU_BASE_URL']}")
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"machine before: {uptime}")
    notes: dict[str, float] = {}
    killer = None
    if not args.no_kill:
        killer = threading.Thread(
            target=_kill_and_restart, args=(args.seconds / 2, notes), daemon=True
        )
    locust = _locust(
        host=env["SETU_BASE_URL"], users=args.users, seconds=args.seconds,
        spawn_rate=args.spawn_rate, plan=plan, out=out, mail=DEPLOY / "mail",
        log=work / f"locust-{run_id}.log",
    )  # fmt: skip
    if killer is not None:
        killer.start()
    locust.wait()
    if killer is not None:
        killer.join()
        print(
            f"app server app1 killed with SIGKILL at {notes['killed_at']:.0f} s, "
            f"answering again {notes['restart_seconds']:.1f} s later"
        )
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"machine after: {uptime}")
    result = json.loads(out.read_text())
    time.sleep(2)  # the last confirmations' commits
    checked = work / f"reconciled-{run_id}.json"
    _django(env, "reconcile", run_id, str(out), str(checked))
    reconciled = json.loads(checked.read_text())
    print(
        f"stack: {result['rps']:.1f} requests/s; retried once {result['retried']}, "
        f"waitlisted {len(result['waitlisted'])}, confirmation mail not seen in time "
        f"{result['mail_timeouts']}"
    )
    print(
        "reconciled: "
        + ("every confirmed registration once, none failed, capacity kept" if reconciled["ok"]
           else json.dumps({k: v for k, v in reconciled.items() if v and k != "ok"}))
    )  # fmt: skip
    if args.baseline_seconds:
        baseline = _run_baseline(env, args, work)
        if baseline:
            print(f"throughput: stack {result['rps']:.1f} / runserver {baseline:.1f} requests/s")
    print(summary_line(result, reconciled["confirmed_in_database"]))
    return 0 if reconciled["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

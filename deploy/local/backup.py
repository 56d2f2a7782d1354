"""Backups of the local stack: a PostgreSQL dump plus the media files, a restore, and a drill.

    deploy/local/backup                  -> var/deploy/backups/<UTC time>/
    deploy/local/restore BACKUP_DIR      -> a fresh cluster (setu_restore on port 5434) + files
    deploy/local/drill                   backup, restore, compare, measure, clean up

A backup holds ``db.dump`` (pg_dump, custom format, taken from one exported snapshot),
``counts.json`` (rows per table in that very snapshot), ``media.tar`` (MEDIA_ROOT) with
``media.sha256`` (one checksum per file) and ``MANIFEST.sha256`` (the backup's own files).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "var" / "deploy"
MEDIA = DEPLOY / "media"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DB_NAME = os.environ.get("SETU_DEPLOY_DB", "setu_deploy")
PRIMARY = f"host=127.0.0.1 port=5432 user=postgres dbname={DB_NAME}"
RESTORE_CLUSTER = "setu_restore"
RESTORE_PORT = int(os.environ.get("SETU_RESTORE_PORT", "5434"))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def row_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def backup(target_root: Path) -> Path:
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = target_root / stamp
    target.mkdir(parents=True)
    # One snapshot for the dump and the counts: they describe the same instant.
    with psycopg.connect(PRIMARY, autocommit=False) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), now()")
            snapshot, snapshot_at = cursor.fetchone()  # type: ignore[misc]
            subprocess.run(
                [str(PG_BIN / "pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                 "--file", str(target / "db.dump"), "-h", "127.0.0.1", "-U", "postgres",
                 DB_NAME],
                check=True,
            )  # fmt: skip
            counts = row_counts(cursor)
    (target / "counts.json").write_text(json.dumps(counts, indent=1))
    files = file_checksums(MEDIA)
    with tarfile.open(target / "media.tar", "w") as archive:
        if MEDIA.exists():
            archive.add(MEDIA, arcname="media")
    (target / "media.sha256").write_text("".join(f"{h}  {p}\n" for p, h in files.items()))
    manifest = {name: sha256(target / name) for name in ("db.dump", "counts.json", "media.tar")}
    (target / "MANIFEST.sha256").write_text("".join(f"{h}  {n}\n" for n, h in manifest.items()))
    info = {
        "snapshot_at": snapshot_at.isoformat(),
        "seconds": round(time.monotonic() - started, 1),
        "database_bytes": (target / "db.dump").stat().st_size,
        "media_files": len(files),
        "tables": len(counts),
        "rows": sum(counts.values()),
    }
    (target / "backup.json").write_text(json.dumps(info, indent=1))
    print(f"backup {target}: {json.dumps(info)}")
    return target


def _read_sums(path: Path) -> dict[str, str]:
    pairs = (line.split("  ", 1) for line in path.read_text().splitlines() if line)
    return {name: digest for digest, name in pairs}


def _cluster_exists(name: str) -> bool:
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    return any(line.split()[:2] == ["15", name] for line in listing.splitlines())


def restore(source: Path, *, media_target: Path) -> dict[str, Any]:
    """Into a fresh cluster: verify the backup, create the cluster, restore, unpack the files."""
    started = time.monotonic()
    for name, digest in _read_sums(source / "MANIFEST.sha256").items():
        if sha256(source / name) != digest:
            raise SystemExit(f"{name} does not match its checksum: the backup is damaged")
    if _cluster_exists(RESTORE_CLUSTER):
        subprocess.run(["pg_dropcluster", "--stop", "15", RESTORE_CLUSTER], check=True)
    subprocess.run(
        ["pg_createcluster", "15", RESTORE_CLUSTER, "--port", str(RESTORE_PORT)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    Path(f"/etc/postgresql/15/{RESTORE_CLUSTER}/pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n"
    )
    subprocess.run(["pg_ctlcluster", "15", RESTORE_CLUSTER, "start"], check=True)
    port = ["-h", "127.0.0.1", "-p", str(RESTORE_PORT), "-U", "postgres"]
    subprocess.run([str(PG_BIN / "createdb"), *port, DB_NAME], check=True)
    subprocess.run(
        [str(PG_BIN / "pg_restore"), *port, "--jobs=2", "--exit-on-error", "-d", DB_NAME,
         str(source / "db.dump")],
        check=True,
    )  # fmt: skip
    if media_target.exists():
        shutil.rmtree(media_target)
    media_target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar") as archive:
        archive.extractall(media_target.parent, filter="data")
    restored_media = media_target.parent / "media"
    if restored_media != media_target:
        restored_media.rename(media_target)
    seconds = time.monotonic() - started
    print(f"restored {source.name} into cluster {RESTORE_CLUSTER} (port {RESTORE_PORT}) "
          f"and {media_target} in {seconds:.1f} s")  # fmt: skip
    return {"seconds": round(seconds, 1)}


def compare(source: Path, media_target: Path) -> dict[str, Any]:
    expected = json.loads((source / "counts.json").read_text())
    dsn = f"host=127.0.0.1 port={RESTORE_PORT} user=postgres dbname={DB_NAME}"
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        restored = row_counts(cursor)
    table_mismatches = {
        table: [expected.get(table), restored.get(table)]
        for table in sorted(set(expected) | set(restored))
        if expected.get(table) != restored.get(table)
    }
    expected_files = _read_sums(source / "media.sha256")
    restored_files = file_checksums(media_target)
    file_mismatches = sorted(
        name
        for name in set(expected_files) | set(restored_files)
        if expected_files.get(name) != restored_files.get(name)
    )
    return {
        "tables": len(expected),
        "rows": sum(expected.values()),
        "table_mismatches": table_mismatches,
        "files": len(expected_files),
        "file_mismatches": file_mismatches,
        "ok": not table_mismatches and not file_mismatches,
    }


def drill() -> int:
    """Backup, restore into a fresh cluster, compare rows and files; measure RPO and RTO."""
    work = DEPLOY / "drill"
    work.mkdir(parents=True, exist_ok=True)
    source = backup(DEPLOY / "backups")
    info = json.loads((source / "backup.json").read_text())
    failed_at = datetime.now(UTC)  # pretend the primary is lost now
    restored = restore(source, media_target=work / "media")
    result = compare(source, work / "media")
    snapshot_at = datetime.fromisoformat(info["snapshot_at"])
    result.update(
        {
            "backup_seconds": info["seconds"],
            "dump_bytes": info["database_bytes"],
            # what a loss right after this backup would cost: the writes since the snapshot
            "recovery_point_seconds": round((failed_at - snapshot_at).total_seconds(), 1),
            "recovery_time_seconds": restored["seconds"],
        }
    )
    (work / "result.json").write_text(json.dumps(result, indent=1))
    subprocess.run(["pg_dropcluster", "--stop", "15", RESTORE_CLUSTER], check=True)
    shutil.rmtree(work / "media", ignore_errors=True)
    verdict = "row counts and file checksums match" if result["ok"] else "MISMATCH"
    print(
        f"drill: {result['tables']} tables, {result['rows']} rows, {result['files']} files: "
        f"{verdict}; backup {info['seconds']} s ({info['database_bytes'] / 1e6:.1f} MB dump), "
        f"recovery point {result['recovery_point_seconds']} s after the snapshot, "
        f"recovery time {result['recovery_time_seconds']} s"
    )
    if not result["ok"]:
        print(json.dumps(result, indent=1))
    return 0 if result["ok"] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/local/backup.py")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backup", help="dump the database and archive the media files")
    restore_parser = sub.add_parser("restore", help="restore a backup into a fresh cluster")
    restore_parser.add_argument("source", type=Path, help="a folder made by backup")
    restore_parser.add_argument("--media", type=Path, default=DEPLOY / "restore" / "media")
    sub.add_parser("drill", help="backup, restore, compare, measure")
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(DEPLOY / "backups")
    elif args.command == "restore":
        restore(args.source.resolve(), media_target=args.media.resolve())
        result = compare(args.source.resolve(), args.media.resolve())
        print(json.dumps({k: v for k, v in result.items() if k != "ok"}))
        return 0 if result["ok"] else 1
    else:
        return drill()
    return 0


if __name__ == "__main__":
    sys.exit(main())

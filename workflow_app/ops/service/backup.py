"""Backups that restore: the database, the stored files and the kept audit checkpoints, with
a manifest of SHA-256 hashes.

A backup is one directory:

    manifest.json                      what is in it (see `create_backup`)
    database.sqlite3 | database.pgdump SQLite online-backup copy / `pg_dump -Fc`
    instance/audit-checkpoints.jsonl   the kept checkpoint copies
    instance/attachments/…             what people uploaded (content-addressed)
    instance/documents/…               what the application issued (content-addressed)

Why it is consistent: the kept checkpoints are copied first, then the database snapshot is
taken, then the stored files. A checkpoint signs a head that was already committed, so every
kept copy names an event the snapshot holds; a stored file is written before the record
naming it commits, and stored files are never deleted, so every file the snapshot names is
there when the files are copied (a file stored later is copied too, harmlessly). On
PostgreSQL the row counts, the audit head and the ballot check are read in the very snapshot
`pg_dump` dumps (`pg_export_snapshot`); on SQLite they are read from the copy itself.

Refused while a secret-ballot round is open: see `OPEN_ROUND_REFUSAL`. Restoring: restore.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from workflow_app.council.service.rules import council_method
from workflow_app.db import _normalise_url
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, VotingRound

FORMAT = "tdkt-backup/1"
MANIFEST = "manifest.json"
STORED_KINDS = ("attachments", "documents")  # attachments.storage.ATTACHMENTS / DOCUMENTS
CHECKPOINTS = "audit-checkpoints.jsonl"  # audit.checkpoint.kept_copies_path()
CHUNK = 1 << 20

OPEN_ROUND_REFUSAL = (
    "Không sao lưu khi đang có vòng bỏ phiếu kín chưa đóng (vòng {rounds}): so sánh bản sao "
    "lưu này với một bản sau có thể nối phiếu với thứ tự bỏ phiếu. Hãy sao lưu sau khi thư ký "
    "đóng vòng.\n"
    "No backup while a secret-ballot round is open (round {rounds}): comparing this backup "
    "with a later one could link ballots to the order in which members voted. Back up after "
    "the secretary closes the round.")


class BackupError(RuntimeError):
    """A refusal or failure, with the message to print."""


@dataclass(frozen=True)
class Target:
    """Where a backup comes from or goes to: the database URL and the instance folder."""

    database_url: str
    instance_dir: Path

    @property
    def url(self) -> str:
        return _normalise_url(self.database_url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256(manifest_path: Path) -> str:
    return sha256_file(manifest_path)


# --- what a snapshot holds ---------------------------------------------------------------

def open_secret_rounds(connection: Connection) -> list[int]:
    """Ids of the open rounds with at least one secret-ballot item."""
    rows = connection.execute(
        select(VotingRound.id, AgendaItem.rule)
        .join(AgendaItem, AgendaItem.round_id == VotingRound.id)
        .where(VotingRound.status == "open")).all()
    return sorted({round_id for round_id, rule in rows
                   if council_method(rule if isinstance(rule, dict) else json.loads(rule))
                   == "secret_ballot"})


def snapshot_facts(connection: Connection) -> dict:
    """Row counts per table, the audit head and the schema revision, as `connection` sees."""
    tables = sorted(inspect(connection).get_table_names())
    counts = {name: connection.execute(select(func.count()).select_from(table(name)))
              .scalar_one() for name in tables}
    seq, head = connection.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return {"counts": counts, "audit_head": {"seq": seq, "hash": head}, "revision": revision}


def _refuse_open_rounds(connection: Connection) -> None:
    rounds = open_secret_rounds(connection)
    if rounds:
        raise BackupError(OPEN_ROUND_REFUSAL.format(rounds=", ".join(map(str, rounds))))


# --- PostgreSQL client programs ----------------------------------------------------------

def pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore, the password in the environment (never
    on the command line, where `ps` shows it)."""
    parsed = make_url(url)
    args = ["--dbname", parsed.database or ""]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return args, env


def run_program(program: str, args: list[str], env: dict[str, str]) -> None:
    if shutil.which(program) is None:
        raise BackupError(f"{program} không có trên máy này / {program} is not installed")
    done = subprocess.run([program, *args], env=env, capture_output=True,  # noqa: S603
                          text=True, check=False)  # a fixed program; no shell
    if done.returncode != 0:
        raise BackupError(f"{program} thất bại / failed: {done.stderr.strip()[:2000]}")


# --- create ------------------------------------------------------------------------------

def _copy_hashed(source: Path, target: Path) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return {"size": target.stat().st_size, "sha256": sha256_file(target)}


def _snapshot_sqlite(source: Target, copy: Path) -> dict:
    path = make_url(source.url).database
    if not path or not Path(path).exists():
        raise BackupError(f"Không thấy cơ sở dữ liệu / no database at {path}")
    src = sqlite3.connect(path, timeout=30)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)  # SQLite's online backup: one consistent snapshot, writers not stopped
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    engine = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            _refuse_open_rounds(connection)
            return snapshot_facts(connection)
    finally:
        engine.dispose()


def _snapshot_postgresql(source: Target, dump: Path) -> dict:
    engine = create_engine(source.url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            _refuse_open_rounds(connection)
            facts = snapshot_facts(connection)
            args, env = pg_args(source.url)
            # The transaction stays open while pg_dump reads the snapshot it exported.
            run_program("pg_dump", ["--format=custom", "--no-owner",
                                    f"--snapshot={snapshot}", f"--file={dump}", *args], env)
            connection.rollback()
        return facts
    finally:
        engine.dispose()


def create_backup(source: Target, directory: Path) -> dict:
    """Write a backup of `source` to `directory` (new or empty) and return its manifest.

    Raises BackupError (nothing left behind) when a secret-ballot round is open or a step
    fails."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"Thư mục {directory} không trống / {directory} is not empty")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)  # it holds every record and file: readable by its owner only
    try:
        return _write_backup(source, directory)
    except SQLAlchemyError as exc:
        shutil.rmtree(directory, ignore_errors=True)
        raise BackupError(f"Không đọc được cơ sở dữ liệu / cannot read the database: "
                          f"{type(getattr(exc, 'orig', None) or exc).__name__}") from exc
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _write_backup(source: Target, directory: Path) -> dict:
    started = utcnow()
    files: dict[str, dict] = {}
    checkpoints = source.instance_dir / CHECKPOINTS
    if checkpoints.exists():
        files[f"instance/{CHECKPOINTS}"] = _copy_hashed(checkpoints,
                                                       directory / "instance" / CHECKPOINTS)
    name = "database.sqlite3" if source.is_sqlite else "database.pgdump"
    database = directory / name
    facts = (_snapshot_sqlite(source, database) if source.is_sqlite
             else _snapshot_postgresql(source, database))
    files[name] = {"size": database.stat().st_size, "sha256": sha256_file(database)}
    for kind in STORED_KINDS:
        root = source.instance_dir / kind
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []:
            if path.name.startswith(".upload-"):
                continue  # a write in progress (storage.put): not yet a stored file
            relative = f"instance/{kind}/{path.relative_to(root).as_posix()}"
            files[relative] = _copy_hashed(path, directory / relative)
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": {"kind": "sqlite" if source.is_sqlite else "postgresql", "file": name,
                     "revision": facts["revision"]},
        "audit_head": facts["audit_head"],
        "counts": facts["counts"],
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True),
                                      encoding="utf-8")
    return manifest

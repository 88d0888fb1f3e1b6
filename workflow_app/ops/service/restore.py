"""Restoring a backup (see backup.py for its layout): only into an empty database and
instance folder, only from a backup whose every file matches its manifest; then the restored
state is compared with the manifest (files, row counts, audit head)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from workflow_app.ops.service.backup import (
    CHECKPOINTS,
    FORMAT,
    MANIFEST,
    STORED_KINDS,
    BackupError,
    Target,
    pg_args,
    run_program,
    sha256_file,
    snapshot_facts,
)


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được / cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: không phải bản sao lưu / not a backup ({FORMAT})")
    return manifest


def damaged_files(directory: Path, manifest: dict) -> list[str]:
    """The backup's files that are missing or differ from the manifest."""
    problems = []
    for relative, entry in sorted(manifest["files"].items()):
        path = directory / relative
        if not path.is_file():
            problems.append(f"{relative}: missing")
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{relative}: SHA-256 differs from the manifest")
    return problems


def target_problems(target: Target) -> list[str]:
    """Why `target` is not empty (a restore never overwrites anything)."""
    problems = []
    for kind in STORED_KINDS:
        root = target.instance_dir / kind
        if root.exists() and any(p.is_file() for p in root.rglob("*")):
            problems.append(f"{root} holds files")
    checkpoints = target.instance_dir / CHECKPOINTS
    if checkpoints.exists() and checkpoints.stat().st_size:
        problems.append(f"{checkpoints} is not empty")
    if target.is_sqlite:
        path = make_url(target.url).database
        if not path or path == ":memory:":
            problems.append("in-memory SQLite cannot be restored into")
            return problems
        if not Path(path).exists():
            return problems
    engine = create_engine(target.url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
    except SQLAlchemyError as exc:
        raise BackupError(f"Không kết nối được cơ sở dữ liệu đích / cannot reach the target "
                          f"database: {type(getattr(exc, 'orig', None) or exc).__name__}") from exc
    finally:
        engine.dispose()
    if tables:
        problems.append(f"the database already has {len(tables)} tables")
    return problems


def restore_backup(directory: Path, target: Target) -> dict:
    """Check the backup's hashes, then restore it into the empty `target`; return the
    manifest. Raises BackupError, having changed nothing, when the backup is damaged or the
    target is not empty, or when the database kinds differ."""
    manifest = read_manifest(directory)
    kind = "sqlite" if target.is_sqlite else "postgresql"
    if manifest["database"]["kind"] != kind:
        raise BackupError(f"Bản sao lưu là {manifest['database']['kind']}, đích là {kind} / "
                          f"the backup is {manifest['database']['kind']}, the target {kind}")
    damaged = damaged_files(directory, manifest)
    if damaged:
        raise BackupError("Bản sao lưu bị hỏng / the backup is damaged:\n" + "\n".join(damaged))
    problems = target_problems(target)
    if problems:
        raise BackupError("Đích không trống / the target is not empty:\n" + "\n".join(problems))
    database = directory / manifest["database"]["file"]
    if target.is_sqlite:
        path = Path(make_url(target.url).database)
        path.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        args, env = pg_args(target.url)
        run_program("pg_restore", ["--no-owner", "--exit-on-error", "--single-transaction",
                                   *args, str(database)], env)
    for relative in manifest["files"]:
        if relative.startswith("instance/"):
            destination = target.instance_dir / relative.removeprefix("instance/")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(directory / relative, destination)
    return manifest


@dataclass
class RestoreCheck:
    """The restored state compared with the manifest: files, counts and audit head."""

    lines: list[str]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_restored(connection: Connection, instance_dir: Path, manifest: dict) -> RestoreCheck:
    """Every stored file hashes to its name and to the manifest; the row counts and the audit
    head are those recorded at backup time."""
    problems: list[str] = []
    stored = {k: v for k, v in manifest["files"].items()
              if k.startswith(tuple(f"instance/{kind}/" for kind in STORED_KINDS))}
    for relative, entry in sorted(stored.items()):
        path = instance_dir / relative.removeprefix("instance/")
        actual = sha256_file(path) if path.is_file() else None
        if actual != entry["sha256"]:
            problems.append(f"file {relative}: {'missing' if actual is None else 'changed'}")
        elif actual != path.name:
            problems.append(f"file {relative}: content does not match its name")
    facts = snapshot_facts(connection)
    differing = sorted(name for name in set(facts["counts"]) | set(manifest["counts"])
                       if facts["counts"].get(name) != manifest["counts"].get(name))
    problems.extend(f"table {name}: {facts['counts'].get(name)} rows, backup had "
                    f"{manifest['counts'].get(name)}" for name in differing)
    if facts["audit_head"] != manifest["audit_head"]:
        problems.append(f"audit head {facts['audit_head']} differs from the backup's "
                        f"{manifest['audit_head']}")
    lines = [f"files: {len(stored) - sum(p.startswith('file ') for p in problems)} of "
             f"{len(stored)} stored files match their SHA-256",
             f"tables: {len(facts['counts']) - len(differing)} of {len(facts['counts'])} "
             f"have the backup's row counts",
             f"audit head: seq {facts['audit_head']['seq']} {facts['audit_head']['hash']}",
             f"schema revision: {facts['revision']}"]
    return RestoreCheck(lines=lines + problems, problems=problems)

"""Worlds of rows built once per test process and put back for each test that asks.

Some tests need many rows before they start (the API fuzzer's council with four sessions,
the authorisation matrix's two units with every kind of object), and building them through
the services costs a tenth of a second to half a second each time. Here the first test to
ask builds its world through the real services as before; the database and the instance
folder are then copied, and every later test with the same key gets the copy back into its
fresh database, byte for byte (SQLite: the online backup API; PostgreSQL: `COPY` of every
table with rows, and the sequences' positions). The rows are the ones the services wrote,
audit chain included, so a test sees exactly what it would have seen after building them.

Use it through the `data_snapshots` fixture:

    report = data_snapshots.build_or_restore(("demo",), app, lambda: load_demo(session))

A world replaces the whole database, so it is put back only into a database nothing has
written to since the test's set-up emptied it (every engine's statements are watched for
a write); otherwise it is built there as usual, and nothing is kept.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from workflow_app.extensions import db

_WRITTEN = {"since_reset": True}
_WRITES = ("INSERT", "UPDATE", "DELETE")


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if not _WRITTEN["since_reset"] and statement.lstrip()[:6].upper() in _WRITES:
        _WRITTEN["since_reset"] = True


def database_emptied() -> None:
    """Called by the test set-up once it has emptied the test's database."""
    _WRITTEN["since_reset"] = False


@dataclass
class _Copy:
    files: Path
    result: Any = None
    sqlite_file: Path | None = None
    tables: dict[str, bytes] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)


class DataSnapshots:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.copies: dict[tuple, _Copy] = {}

    def build_or_restore(self, key: Hashable, app, build: Callable[[], Any]) -> Any:
        """Restore the world `key` into `app`'s (fresh) database and instance folder, or
        build it with `build` and keep a copy; either way, what `build` returned (kept with
        the copy: plain values only, never rows of a session)."""
        backend = "sqlite" if db.is_sqlite else "postgresql"
        full_key = (backend, key)
        instance = app.extensions["workflow_config"].instance_dir
        if _WRITTEN["since_reset"]:
            return build()  # other rows are there already: a world cannot replace them
        kept = self.copies.get(full_key)
        if kept is not None:
            _restore_files(kept.files, instance)
            if backend == "sqlite":
                _sqlite_backup(kept.sqlite_file, _sqlite_path())
            else:
                _pg_restore(kept)
            _WRITTEN["since_reset"] = True
            return kept.result
        result = build()
        place = self.folder / f"world-{len(self.copies)}"
        kept = _Copy(files=place / "instance", result=result)
        if instance.exists():
            shutil.copytree(instance, kept.files)
        if backend == "sqlite":
            kept.sqlite_file = place / "world.db"
            _sqlite_backup(_sqlite_path(), kept.sqlite_file)
        else:
            _pg_copy(kept)
        self.copies[full_key] = kept
        return result


def _sqlite_path() -> Path:
    return Path(db.engine.url.database)


def _sqlite_backup(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API (into the live
    file, it writes under its own lock: the app's pooled connections see the copied pages
    at their next statement)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_files(kept: Path, instance: Path) -> None:
    if kept.exists():
        shutil.copytree(kept, instance, dirs_exist_ok=True)


def _pg_copy(kept: _Copy) -> None:
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'alembic_version' ORDER BY tablename")
            tables = [row[0] for row in cur.fetchall()]
            for table in tables:
                cur.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
                if not cur.fetchone()[0]:
                    continue
                data = bytearray()
                with cur.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                    for chunk in copy:
                        data += chunk
                kept.tables[table] = bytes(data)
            cur.execute("SELECT sequencename, last_value FROM pg_sequences "
                        "WHERE schemaname = 'public' AND last_value IS NOT NULL")
            kept.sequences = dict(cur.fetchall())
        raw.commit()


def _pg_restore(kept: _Copy) -> None:
    """Into a database the test set-up has just emptied."""
    with db.engine.connect() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for table, data in kept.tables.items():
                cur.execute(f'DELETE FROM "{table}"')  # audit_head's start row, at least
                with cur.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                    copy.write(data)
            for sequence, value in kept.sequences.items():
                cur.execute("SELECT setval(%s, %s)", (sequence, value))
        conn.commit()


@pytest.fixture(scope="session")
def data_snapshots(tmp_path_factory) -> DataSnapshots:
    return DataSnapshots(tmp_path_factory.mktemp("snapshots"))

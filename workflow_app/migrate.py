"""Alembic, driven from code (no alembic.ini): `flask db upgrade` and the tests use this."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Connection, Engine

from workflow_app.config import PROJECT_ROOT


class ForeignKeyViolation(RuntimeError):
    """A migration left rows pointing at nothing (SQLite's `foreign_key_check` found them)."""


def alembic_config(connection: Connection | None = None, url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection holding one transaction for a migration run, committed at the end.

    SQLite alters a table by rebuilding it (Alembic's batch mode: create a copy, DROP the
    old, rename), and with foreign keys enforced it refuses to drop a table that other rows
    reference. So on SQLite enforcement is off while migrating (it can only be switched
    outside a transaction) and `PRAGMA foreign_key_check` must find nothing before the
    commit: a migration that breaks a reference rolls back with ForeignKeyViolation.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    with engine.connect() as connection:
        _pragma(connection, "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise ForeignKeyViolation(
                        f"the migration left {len(broken)} row(s) referring to missing rows, "
                        f"e.g. {tuple(broken[0])}; nothing was changed")
        finally:
            _pragma(connection, "PRAGMA foreign_keys=ON")


def _pragma(connection: Connection, statement: str) -> None:
    """Run a PRAGMA outside any transaction (where SQLite honours foreign_keys)."""
    connection.execution_options(sqlite_begin="AUTOCOMMIT")
    connection.exec_driver_sql(statement)
    connection.commit()
    connection.execution_options(sqlite_begin=None)


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migration_connection(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), revision)

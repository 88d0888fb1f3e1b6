"""Engine and session set-up for SQLite (embedded) and PostgreSQL (scale-out).

SQLite: WAL journal, foreign keys, a busy timeout, and write transactions opened with
`BEGIN IMMEDIATE` so that concurrent writers queue on the busy timeout instead of failing
at once with "database is locked". Read-only requests (GET/HEAD) open a deferred
transaction so readers do not queue behind writers.

PostgreSQL: psycopg 3 with `pool_pre_ping`; row locks are taken explicitly where needed.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000

# "IMMEDIATE" (default: CLI, POST requests, tests) or "DEFERRED" (safe HTTP methods).
sqlite_begin_mode: ContextVar[str] = ContextVar("sqlite_begin_mode", default="IMMEDIATE")


def _normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = _normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so that we can emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin") or sqlite_begin_mode.get()
        if mode == "AUTOCOMMIT":
            return  # each statement commits on its own (inspection tools and tests)
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def begin_mode(mode: str):
    """Temporarily choose how SQLite transactions begin in this context."""
    token = sqlite_begin_mode.set(mode)
    try:
        yield
    finally:
        sqlite_begin_mode.reset(token)


class Database:
    """Holds the engine and the request-scoped session; bound in `create_app`."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app, url: str) -> None:
        if self.engine is not None:
            self.engine.dispose()
        self.engine = make_engine(url)
        self.session.remove()
        self.session.configure(bind=self.engine)

        @app.teardown_appcontext
        def _remove_session(exc):
            if exc is not None:
                self.session.rollback()
            self.session.remove()

    @property
    def is_sqlite(self) -> bool:
        return self.engine is not None and self.engine.dialect.name == "sqlite"

    def new_session(self) -> Session:
        """A separate session (threads, background work); the caller closes it."""
        return Session(bind=self.engine, expire_on_commit=False)

    def autocommit_session(self) -> Session:
        """A session whose every statement commits at once: it never holds a transaction
        (or a SQLite snapshot) open between statements. For inspection and tests."""
        if self.is_sqlite:
            bind = self.engine.execution_options(sqlite_begin="AUTOCOMMIT")
        else:
            bind = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        return Session(bind=bind)

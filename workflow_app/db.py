"""Engine and session set-up for SQLite (embedded) and PostgreSQL (scale-out).

SQLite: WAL journal, foreign keys, a busy timeout, and write transactions opened with
`BEGIN IMMEDIATE` so that concurrent writers queue on the busy timeout instead of failing
at once with "database is locked". Read-only requests (GET/HEAD) open a deferred
transaction so readers do not queue behind writers. The busy timeout is
`Config.sqlite_busy_timeout_ms` (`SQLITE_BUSY_TIMEOUT_MS`, default 15 s); a writer still
locked out after it gets "database is locked" at `BEGIN IMMEDIATE`, before it has written
anything — `is_busy` recognises it, and the app answers 503 with Retry-After (`errors.py`).

PostgreSQL: psycopg 3 with `pool_pre_ping`; row locks are taken explicitly where needed.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_request_context
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
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


# What SQLite says when the busy timeout ran out (SQLITE_BUSY / SQLITE_LOCKED).
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs) -> Engine:
    """An engine for `url`; on SQLite, writers wait up to `busy_timeout_ms` for the lock."""
    url = _normalise_url(url)
    if url.startswith("sqlite"):
        busy_timeout_ms = max(0, int(busy_timeout_ms))
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_ms / 1000}, **kwargs
        )
        _configure_sqlite(engine, busy_timeout_ms)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _track_writes(engine)
    return engine


# Statements that change nothing; any other statement counts as a write (`has_written`).
_NOT_WRITES = ("SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA", "SHOW", "SET ")
_WROTE = "workflow_wrote"


def _track_writes(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _reset(conn) -> None:
        conn.info[_WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn, _cursor, statement, *_args) -> None:
        if not conn.info.get(_WROTE) and not statement.lstrip()[:9].upper().startswith(
                _NOT_WRITES):
            conn.info[_WROTE] = True


def has_written(session: Session) -> bool:
    """Has the session's current transaction written anything yet (pending changes are
    flushed first)? True when unknown (an engine not made by `make_engine`)."""
    session.flush()
    return session.connection().info.get(_WROTE, True)


def is_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked": another writer held the lock for longer than
    the busy timeout. Nothing of the failed transaction was written; trying again later may
    succeed (HTTP 503 with Retry-After)."""
    if not isinstance(error, OperationalError):
        return False
    message = str(getattr(error, "orig", error)).lower()
    return any(text in message for text in SQLITE_BUSY_MESSAGES)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so that we can emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
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


class _AppSession(Session):
    """A session bound to the engine of the app in the current context."""

    def get_bind(self, mapper=None, clause=None, **kwargs):
        if self.bind is not None:
            return self.bind
        return _current_engine()


@event.listens_for(_AppSession, "after_commit")
def _note_commit(_session) -> None:
    """Remember that this request has committed something (`committed_in_request`), so an
    error answer never claims "nothing was saved" after a commit."""
    if has_request_context():
        g.db_committed = True


def committed_in_request() -> bool:
    return has_request_context() and bool(g.get("db_committed"))


def _current_engine() -> Engine:
    from flask import current_app, has_app_context

    if has_app_context() and "workflow_db_engine" in current_app.extensions:
        return current_app.extensions["workflow_db_engine"]
    if Database.last_engine is None:
        raise RuntimeError("no database engine: create the app first")
    return Database.last_engine


class Database:
    """Per-app engines and the request-scoped session; bound in `create_app`.

    Each app keeps its own engine in `app.extensions`, so several apps in one process (tests,
    a CLI next to a server) never share or dispose each other's connections.
    """

    last_engine: Engine | None = None

    def __init__(self) -> None:
        self.session = scoped_session(sessionmaker(class_=_AppSession, expire_on_commit=False))

    def init_app(self, app, url: str) -> None:
        config = app.extensions.get("workflow_config")
        engine = make_engine(url, busy_timeout_ms=getattr(
            config, "sqlite_busy_timeout_ms", SQLITE_BUSY_TIMEOUT_MS))
        app.extensions["workflow_db_engine"] = engine
        Database.last_engine = engine

        @app.teardown_appcontext
        def _remove_session(exc):
            if exc is not None:
                self.session.rollback()
            self.session.remove()

    def get_or_404(self, model, ident):
        """The row of `model` with primary key `ident`, or a 404 answer to the request."""
        from flask import abort

        row = self.session.get(model, ident)
        if row is None:
            abort(404)
        return row

    @property
    def engine(self) -> Engine:
        """The current app's engine (outside an app context: the most recently created)."""
        return _current_engine()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

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

"""Test set-up: every test gets a fresh database, on SQLite and on PostgreSQL.

The schema comes from Alembic (never `create_all`), so the audit triggers are there.
SQLite: one migrated template file per run, copied for each test.
PostgreSQL: one migrated database per run, emptied before each test (triggers bypassed
for the clean-up only). When `CI=true`, an unreachable PostgreSQL fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from workflow_app import create_app
from workflow_app.auth import passwords
from workflow_app.config import Config
from workflow_app.db import make_engine
from workflow_app.extensions import db
from workflow_app.migrate import upgrade
from workflow_app.models import Base

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# One database per test run, so that parallel runs on one machine do not collide.
PG_TEST_DB = os.environ.get("TEST_PG_DATABASE", f"workflow_test_{os.getpid()}")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]

passwords.use_fast_hashing_for_tests()


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database():
    problem = _pg_reachable()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but unreachable: {problem}", pytrace=False)
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PG_TEST_DB}"'))
    admin.dispose()
    url = _pg_url(PG_TEST_DB)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)'))
    admin.dispose()


def _empty_pg(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text(f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{'0' * 64}')"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def scratch_url(request, tmp_path):
    """An empty database of its own (no schema), for tests that migrate it themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    problem = _pg_reachable()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {problem}", pytrace=False)
        pytest.skip(problem)
    name = f"workflow_scratch_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield _pg_url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def scratch_engine(scratch_url):
    engine = make_engine(scratch_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _empty_pg(url)
    return url


@pytest.fixture
def config(database_url, tmp_path) -> Config:
    return Config(
        secret_key="test-secret-key",
        database_url=database_url,
        instance_dir=tmp_path / "instance",
        testing=True,
        cookie_secure=False,
    )


class RequestIsolatingClient(FlaskClient):
    """Runs each request as production does: in an app context of its own (fresh `g`, the
    request-scoped DB session removed at the end), even though the test holds one open.

    Before each request the test's own session ends its transaction, so it holds no SQLite
    lock and later reads see what the request committed.
    """

    def open(self, *args, **kwargs):
        test_session = self.application.extensions.get("test_session")
        if test_session is not None:
            test_session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(config):
    app = create_app(config)
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app():
    """Build further apps on the same database (a second worker, another configuration)."""
    made = []

    def make(config):
        extra = create_app(config)
        extra.test_client_class = RequestIsolatingClient
        made.append(extra)
        return extra

    yield make
    for extra in made:
        extra.extensions["workflow_db_engine"].dispose()


@pytest.fixture
def session(app):
    """The test's own session, separate from the request-scoped one, in autocommit mode:
    it never holds a lock or a stale snapshot while requests or threads write."""
    test_session = db.autocommit_session()
    app.extensions["test_session"] = test_session
    yield test_session
    test_session.close()


@pytest.fixture
def client(app, session):
    return app.test_client()


def pytest_collection_modifyitems(config, items):
    """Tests marked sqlite_only / postgresql_only run once, on that database only (the other
    variant is deselected, not skipped)."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec is not None else None
        unwanted = (backend == "postgresql" and item.get_closest_marker("sqlite_only")) or (
            backend == "sqlite" and item.get_closest_marker("postgresql_only"))
        (drop if unwanted else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


pytest_plugins = ["tests.factories", "tests.workflow_factories", "tests.council_factories",
                  "tests.review_fixtures", "tests.dossier_factories"]

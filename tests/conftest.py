"""Test set-up: every test gets a fresh database, on SQLite and on PostgreSQL.

The schema comes from Alembic (never `create_all`), so the audit triggers are there.
SQLite: one migrated template file per run, copied for each test.
PostgreSQL: one migrated database per run, emptied before each test (triggers bypassed
for the clean-up only). When `CI=true`, an unreachable PostgreSQL fails the run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from _pytest.subtests import SubtestReport
from flask.globals import _cv_app
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from workflow_app import create_app
from workflow_app.accounts.service import passwords
from workflow_app.config import Config
from workflow_app.db import Database, make_engine
from workflow_app.extensions import db
from workflow_app.migrate import upgrade

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


# Empties every table that holds rows and restarts the sequences that were used, in one round
# trip: far cheaper than TRUNCATE of every table (which rewrites each table's files). Triggers
# (the audit table's append-only guard, foreign keys) are bypassed for the clean-up only.
_PG_RESET_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.reset_test_data() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    item record;
    has_rows boolean;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR item IN SELECT tablename FROM pg_tables
                WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', item.tablename) INTO has_rows;
        IF has_rows THEN
            EXECUTE format('DELETE FROM %I', item.tablename);
        END IF;
    END LOOP;
    FOR item IN SELECT sequencename FROM pg_sequences
                WHERE schemaname = 'public' AND last_value IS NOT NULL LOOP
        EXECUTE format('ALTER SEQUENCE %I RESTART', item.sequencename);
    END LOOP;
    INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
END $$;
"""


class _PgResetter:
    """Empties the per-run PostgreSQL database before each test over one kept connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, poolclass=NullPool)
        self.connection = None

    def reset(self) -> None:
        try:
            self._run()
        except OperationalError:
            # A lock held by a connection a test leaked: end those connections, then retry.
            self._close()
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
                conn.commit()
            self._run()

    def _run(self) -> None:
        if self.connection is None:
            self.connection = self.engine.connect()
            self.connection.execute(text(_PG_RESET_FUNCTION))
            self.connection.commit()
        self.connection.execute(text("SET lock_timeout = '5s'"))
        self.connection.execute(text("SELECT pg_temp.reset_test_data()"))
        self.connection.commit()

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.invalidate()
            self.connection.close()
            self.connection = None

    def dispose(self) -> None:
        self._close()
        self.engine.dispose()


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
        # A commit need not wait for its WAL flush: only a crash of the server itself (never
        # tested) could lose one. The application's own durability settings are untouched.
        conn.execute(text(f'ALTER DATABASE "{PG_TEST_DB}" SET synchronous_commit = off'))
    admin.dispose()
    url = _pg_url(PG_TEST_DB)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    resetter = _PgResetter(url)
    yield resetter
    resetter.dispose()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)'))
    admin.dispose()


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every app this test process builds: a test that builds
    its own app (`make_app`, another configuration) would otherwise compile each template
    it renders again (a sixth of an app's cost). Keyed by template name and source
    checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.code[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


TEMPLATE_CODE = _SharedTemplateCode()


def build_app(config: Config):
    app = create_app(config)
    app.test_client_class = RequestIsolatingClient
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    return app


class _Backend:
    """One database of a backend for this test process, and the app reused over it.

    Building an app costs about a fifth of a second (werkzeug compiles every URL rule), so
    tests share one app per backend; what a test may change in it (configuration, extensions,
    rate-limit counters, the instance folder) is put back before the next test. Tests that
    need another configuration build their own with `make_app`.
    """

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder
        self.sqlite_path = folder / "test.db"
        self.url = f"sqlite:///{self.sqlite_path}" if name == "sqlite" else ""
        self.app = None
        self.config_snapshot: dict = {}
        self.extensions_snapshot: dict = {}
        self.rule_count = 0

    def config(self) -> Config:
        return Config(secret_key="test-secret-key", database_url=self.url,
                      instance_dir=self.folder / "instance", testing=True, cookie_secure=False)

    def fresh_database(self, request) -> str:
        """The backend's database as the migrations leave it. SQLite: a new file, with no
        connection open. PostgreSQL: the same database emptied; the shared app keeps its
        pooled connections, whose server processes have the catalogue cached already (a new
        connection per test cost about a tenth of PostgreSQL's time; the pool's pre-ping
        replaces any connection the reset had to end)."""
        if self.name == "sqlite":
            if self.app is not None:
                self.app.extensions["workflow_db_engine"].dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(request.getfixturevalue("sqlite_template"), self.sqlite_path)
        else:
            resetter = request.getfixturevalue("pg_database")
            self.url = resetter.url
            resetter.reset()
        from tests.support.snapshots import database_emptied  # a plugin: imported by then
        database_emptied()
        return self.url

    def fresh_app(self, config: Config):
        """The shared app, as it was when first built, on an empty instance folder."""
        shutil.rmtree(config.instance_dir, ignore_errors=True)
        if (self.app is None or self.app.extensions["workflow_config"] != config
                or len(self.app.url_map._rules) != self.rule_count):
            if self.app is not None:  # its pooled connections go with it
                self.app.extensions["workflow_db_engine"].dispose()
            self.app = build_app(config)
            self.config_snapshot = dict(self.app.config)
            self.extensions_snapshot = dict(self.app.extensions)
            self.rule_count = len(self.app.url_map._rules)
        else:
            self.app.config.clear()
            self.app.config.update(self.config_snapshot)
            self.app.extensions.clear()
            self.app.extensions.update(self.extensions_snapshot)
            self.app.extensions["api_limiter"].reset()
        Database.last_engine = self.app.extensions["workflow_db_engine"]
        return self.app


@pytest.fixture(scope="session")
def _backends(tmp_path_factory) -> dict[str, _Backend]:
    backends = {name: _Backend(name, tmp_path_factory.mktemp(name)) for name in BACKENDS}
    yield backends
    for backend in backends.values():  # close the shared apps' pooled connections
        if backend.app is not None:
            backend.app.extensions["workflow_db_engine"].dispose()


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
def database_url(request, _backends) -> str:
    return _backends[request.param].fresh_database(request)


@pytest.fixture
def _backend(database_url, _backends) -> _Backend:
    return _backends["sqlite" if database_url.startswith("sqlite") else "postgresql"]


@pytest.fixture
def config(_backend) -> Config:
    return _backend.config()


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
def app(_backend, config):
    app = _backend.fresh_app(config)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def make_app():
    """Build further apps on the same database (a second worker, another configuration)."""
    made = []

    def make(config):
        extra = build_app(config)
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


LONGEST = (
    "tests/api/test_api_authz_matrix.py::test_no_caller_of_another_unit_reaches_its_objects",
    "tests/ops/test_worker.py::test_two_worker_processes_send_nothing_twice",
    "tests/framework/test_migrations_with_data.py",
    "tests/decisions/test_numbering_new_year_concurrency.py",
)


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
    # The browser journeys first, then the longest single tests (half a minute and more
    # each), so that no worker is left running one of them alone at the end while the other
    # has nothing to do. The journeys share both workers, each with its own chromium, server
    # ports and site templates (xdist's `loadgroup` cannot keep them on one any more: it
    # marks a group by renaming node ids, which has no effect under pytest 9.2).
    browser = [i for i in items if i.nodeid.startswith("tests/browser/")]
    longest = [i for i in items if i.nodeid.startswith(LONGEST)]
    rest = [i for i in items if not i.nodeid.startswith(("tests/browser/", *LONGEST))]
    items[:] = browser + longest + rest


# The shared fixtures, in one place (tests/support/), for every test folder.
pytest_plugins = ["tests.support.factories", "tests.support.workflow_factories",
                  "tests.support.council_factories", "tests.support.review_fixtures",
                  "tests.support.dossier_factories", "tests.support.api_fixtures",
                  "tests.support.snapshots"]


def pytest_configure(config):
    _temporary_files_in_memory(config)


def _temporary_files_in_memory(config) -> None:
    """Test databases, instance folders and files in RAM (tmpfs) where the machine has it:
    real files on a real file system, without the disk's flushes (SQLite checkpoints on
    every closed connection). One folder per checkout, emptied by pytest at each run.
    `--basetemp` chooses another place; xdist workers get theirs from the controller."""
    shm = Path("/dev/shm")  # noqa: S108 - a folder named for this user and checkout
    if (config.option.basetemp or hasattr(config, "workerinput")
            or not (shm.is_dir() and os.access(shm, os.W_OK))):
        return
    checkout = hashlib.sha256(str(config.rootpath).encode()).hexdigest()[:10]
    config.option.basetemp = str(shm / f"workflow-tests-{os.getuid()}-{checkout}")


def pytest_terminal_summary(terminalreporter):
    """The counts that must never fall when the suite is made faster: tests run, and those of
    them run on PostgreSQL (subtests are counted apart)."""
    every = [r for group in terminalreporter.stats.values() for r in group]
    reports = [r for r in every if getattr(r, "when", None) == "call"
               and not isinstance(r, SubtestReport) and r.outcome in ("passed", "failed")]
    # Passed subtests are filed under "" at normal verbosity: count them wherever they are.
    subtests = [r for r in every if isinstance(r, SubtestReport) and r.when == "call"]
    on_pg = sum("postgresql" in r.nodeid for r in reports)
    terminalreporter.section("test counts")
    terminalreporter.write_line(f"tests run: {len(reports)} (on PostgreSQL: {on_pg}, "
                                f"on SQLite or no database: {len(reports) - on_pg}); "
                                f"subtests: {len(subtests)}")

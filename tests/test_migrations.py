"""Alembic: `upgrade head` equals the models; downgrade to base and upgrade again work."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from tests.conftest import PG_ADMIN_URL, _pg_reachable, _pg_url
from workflow_app.db import make_engine
from workflow_app.migrate import downgrade, upgrade
from workflow_app.models import Base

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield engine
        engine.dispose()
        return
    problem = _pg_reachable()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {problem}", pytrace=False)
        pytest.skip(problem)
    name = f"workflow_migrations_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_pg_url(name))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _differences(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _tables(engine):
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_head_matches_the_models(scratch_engine):
    upgrade(scratch_engine)
    assert _differences(scratch_engine) == []
    assert _tables(scratch_engine) == set(Base.metadata.tables)


def test_downgrade_to_base_and_upgrade_again(scratch_engine):
    upgrade(scratch_engine)
    downgrade(scratch_engine, "base")
    assert _tables(scratch_engine) == set()
    upgrade(scratch_engine)
    assert _differences(scratch_engine) == []


def test_audit_triggers_exist_after_upgrade(scratch_engine):
    upgrade(scratch_engine)
    with scratch_engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars().all()
            assert {"audit_event_no_update", "audit_event_no_delete"} <= set(rows)
        else:
            rows = conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars().all()
            assert {"audit_event_no_change", "audit_event_no_truncate"} <= set(rows)

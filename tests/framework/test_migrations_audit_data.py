"""Migrating down below 0002 and back up with audit events present keeps the chain verifiable.

0002 seeds the chain-head row; on the way back up it must take the head from the events
already there (not start again from zero), on both databases.
"""

import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.support.helpers import run_cli
from workflow_app import create_app
from workflow_app.audit.chain import record
from workflow_app.audit.verify import verify_chain
from workflow_app.config import Config
from workflow_app.migrate import downgrade, upgrade
from workflow_app.models import AuditEvent, AuditHead
from workflow_app.models.audit import GENESIS_HASH

IN_CI = os.environ.get("CI", "").lower() == "true"


def _write_events(engine, n):
    with Session(engine) as session:
        for i in range(n):
            record(session, "test.event", "thing", i, actor_label="tester",
                   data={"i": i, "name": "Nguyễn Văn Ánh"})
        session.commit()


def _head_and_last(engine):
    with Session(engine) as session:
        head = session.get(AuditHead, 1)
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        return (head.seq, head.hash), (tuple(last) if last else (0, GENESIS_HASH))


def test_down_below_0002_and_up_again_keeps_the_head_of_existing_events(scratch_engine):
    upgrade(scratch_engine)
    _write_events(scratch_engine, 5)
    downgrade(scratch_engine, "0001")
    upgrade(scratch_engine, "head")
    head, last = _head_and_last(scratch_engine)
    assert head == last and head[0] == 5
    with Session(scratch_engine) as session:
        result = verify_chain(session)
    assert result.ok, result.reason
    assert result.checked == 5
    # The chain goes on from the real head: the next event is seq 6, linked to seq 5.
    _write_events(scratch_engine, 2)
    with Session(scratch_engine) as session:
        result = verify_chain(session)
        sixth = session.get(AuditEvent, 6)
        assert sixth.prev_hash == last[1]
    assert result.ok and result.checked == 7, result.reason


def test_down_below_0002_and_up_again_without_events_starts_from_genesis(scratch_engine):
    upgrade(scratch_engine)
    downgrade(scratch_engine, "0001")
    upgrade(scratch_engine, "head")
    head, _ = _head_and_last(scratch_engine)
    assert head == (0, GENESIS_HASH)
    _write_events(scratch_engine, 1)
    with Session(scratch_engine) as session:
        assert verify_chain(session).ok


def test_flask_db_downgrade_0001_upgrade_then_audit_verify_passes(scratch_url, tmp_path):
    """The reported sequence, through the real commands."""
    app = create_app(Config(secret_key="test-secret-key", database_url=scratch_url,
                            instance_dir=tmp_path / "instance", testing=True,
                            cookie_secure=False))
    try:
        assert run_cli(app, "db", "upgrade").exit_code == 0
        _write_events(app.extensions["workflow_db_engine"], 4)
        assert run_cli(app, "audit", "verify").exit_code == 0
        down = run_cli(app, "db", "downgrade", "0001")
        assert down.exit_code == 0, down.output
        up = run_cli(app, "db", "upgrade")
        assert up.exit_code == 0, up.output
        result = run_cli(app, "audit", "verify")
        assert result.exit_code == 0, result.output
        assert "chain: OK, 4 events" in result.output
    finally:
        app.extensions["workflow_db_engine"].dispose()

"""`flask upgrade`: migrates only from a state that can be restored, on both databases.

Refused while no fresh backup exists (none, one taken before later changes, one whose
manifest changed or vanished), with the database left at its revision; `--backup DIR` takes
one and upgrades; `--without-backup REASON` upgrades and keeps the reason; every upgrade is
verified and recorded in the audit trail.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.support.helpers import run_cli
from workflow_app import create_app
from workflow_app.audit.chain import record
from workflow_app.config import Config
from workflow_app.migrate import downgrade
from workflow_app.models.audit import AuditEvent
from workflow_app.ops.service.readiness import code_heads, database_revisions

OLDER = "0016"


@pytest.fixture
def cli_app(scratch_url, tmp_path):
    app = create_app(Config(secret_key="test-secret-key", database_url=scratch_url,
                            instance_dir=tmp_path / "instance", testing=True,
                            cookie_secure=False))
    yield app
    app.extensions["workflow_db_engine"].dispose()


def _engine(app):
    return app.extensions["workflow_db_engine"]


def _events(app, action: str) -> list[AuditEvent]:
    with Session(_engine(app)) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                    .order_by(AuditEvent.seq)))


def _older_with_history(app) -> None:
    """A database at an older revision holding audit history."""
    assert run_cli(app, "db", "upgrade").exit_code == 0
    with Session(_engine(app)) as session:
        for n in range(3):
            record(session, "test.event", "dossier", n, actor_label="test", data={"n": n})
        session.commit()
    downgrade(_engine(app), OLDER)
    assert database_revisions(_engine(app)) == {OLDER}


def test_an_empty_database_needs_no_backup_and_a_second_run_has_nothing_to_do(cli_app):
    first = run_cli(cli_app, "upgrade")
    assert first.exit_code == 0, first.output
    assert "Result: OK" in first.output
    assert database_revisions(_engine(cli_app)) == code_heads()
    [event] = _events(cli_app, "system.upgraded")
    assert event.data["from"] == [] and event.data["to"] == sorted(code_heads())
    second = run_cli(cli_app, "upgrade")
    assert second.exit_code == 0 and "nothing to do" in second.output
    assert len(_events(cli_app, "system.upgraded")) == 1


def test_refused_without_a_fresh_backup_then_upgraded_with_one(cli_app, tmp_path):
    _older_with_history(cli_app)
    refused = run_cli(cli_app, "upgrade")
    assert refused.exit_code != 0
    assert "no backup was ever taken" in refused.output and "--backup" in refused.output
    assert database_revisions(_engine(cli_app)) == {OLDER}

    done = run_cli(cli_app, "upgrade", "--backup", str(tmp_path / "before-upgrade"))
    assert done.exit_code == 0, done.output
    assert database_revisions(_engine(cli_app)) == code_heads()
    [backup] = _events(cli_app, "system.backup_created")
    [upgraded] = _events(cli_app, "system.upgraded")
    assert upgraded.seq == backup.seq + 1
    assert upgraded.data["from"] == [OLDER]
    assert upgraded.data["manifest_sha256"] == backup.data["manifest_sha256"]
    manifest = json.loads((tmp_path / "before-upgrade" / "manifest.json").read_text())
    assert manifest["database"]["revision"] == OLDER
    verify = run_cli(cli_app, "audit", "verify")
    assert verify.exit_code == 0, verify.output


def test_a_backup_is_fresh_only_while_nothing_changed_since_and_its_manifest_is_intact(
        cli_app, tmp_path):
    _older_with_history(cli_app)
    taken = run_cli(cli_app, "backup", "create", str(tmp_path / "b1"))
    assert taken.exit_code == 0, taken.output
    with Session(_engine(cli_app)) as session:
        record(session, "test.event", "dossier", 99, actor_label="test", data={})
        session.commit()
    stale = run_cli(cli_app, "upgrade")
    assert stale.exit_code != 0 and "1 later change" in stale.output

    assert run_cli(cli_app, "backup", "create", str(tmp_path / "b2")).exit_code == 0
    manifest = tmp_path / "b2" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"files"', '"files" ', 1))
    changed = run_cli(cli_app, "upgrade")
    assert changed.exit_code != 0 and "has changed since it was taken" in changed.output
    manifest.unlink()
    gone = run_cli(cli_app, "upgrade")
    assert gone.exit_code != 0 and "no longer there" in gone.output
    assert database_revisions(_engine(cli_app)) == {OLDER}

    assert run_cli(cli_app, "backup", "create", str(tmp_path / "b3")).exit_code == 0
    fresh = run_cli(cli_app, "upgrade")
    assert fresh.exit_code == 0, fresh.output
    [upgraded] = _events(cli_app, "system.upgraded")
    assert upgraded.data["backup_directory"] == str((tmp_path / "b3").resolve())


def test_without_backup_upgrades_and_keeps_the_reason(cli_app, tmp_path):
    _older_with_history(cli_app)
    both = run_cli(cli_app, "upgrade", "--backup", str(tmp_path / "x"),
                   "--without-backup", "why")
    assert both.exit_code != 0 and "exclude each other" in both.output
    done = run_cli(cli_app, "upgrade", "--without-backup", "snapshot taken by the hypervisor")
    assert done.exit_code == 0, done.output
    [upgraded] = _events(cli_app, "system.upgraded")
    assert upgraded.data["reason"] == "snapshot taken by the hypervisor"
    assert upgraded.data["backup"] == "none"

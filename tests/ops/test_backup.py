"""`flask backup create` / `flask backup restore`, on SQLite and on PostgreSQL: one walk.

Refused while a secret-ballot round is open; made once it closes; the live system then
changes; the backup restores into a new empty database and instance folder, verifies (audit
chain with its kept checkpoint, file hashes, row counts) and equals the state at backup
time; a second restore into the now full target, or of a damaged backup, is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import PG_ADMIN_URL, _pg_url
from tests.support.helpers import audit_events, run_cli
from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.audit.chain import record
from workflow_app.council.service import rounds
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.ops.service.backup import snapshot_facts


@pytest.fixture
def empty_target(database_url, tmp_path):
    """A new empty database of the test's kind and an empty instance folder."""
    instance = tmp_path / "restored-instance"
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}", instance
        return
    name = f"workflow_restore_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield _pg_url(name), instance
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _stored_files(instance: Path) -> dict[str, str]:
    return {p.relative_to(instance).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for kind in (ATTACHMENTS, DOCUMENTS) for p in (instance / kind).rglob("*")
            if p.is_file()}


def test_backup_refused_mid_round_then_restores_the_state_it_was_taken_at(
        app, config, session, tx, make_app, voted_session, empty_target, tmp_path):
    key = tmp_path / "audit.pem"
    signer = make_app(replace(config, audit_signing_key_path=str(key)))
    assert run_cli(signer, "audit", "keygen", str(key)).exit_code == 0
    kit, _meeting, voting_round = voted_session(close=False)
    app_storage(ATTACHMENTS).put(b"%PDF-1.4 to trinh")
    app_storage(DOCUMENTS).put(b"%PDF-1.4 quyet dinh")
    assert run_cli(signer, "audit", "checkpoint").exit_code == 0
    folder = tmp_path / "backup"

    refused = run_cli(app, "backup", "create", str(folder))
    assert refused.exit_code == 1
    assert "vòng bỏ phiếu kín" in refused.output and "secret-ballot round is open" in refused.output
    assert not folder.exists() or not any(folder.iterdir())

    rounds.close_round(tx, tx.merge(voting_round), actor=kit.secretary)
    tx.commit()
    with db.engine.connect() as conn:
        at_backup = snapshot_facts(conn)
    files_at_backup = _stored_files(config.instance_dir)
    made = run_cli(app, "backup", "create", str(folder))
    assert made.exit_code == 0, made.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["audit_head"] == at_backup["audit_head"]
    assert manifest["counts"] == at_backup["counts"] and manifest["counts"]["council_ballot"] == 5
    assert {k.removeprefix("instance/") for k in manifest["files"]} >= {
        *files_at_backup, "audit-checkpoints.jsonl"}
    [noted] = audit_events(session, "system.backup_created")
    assert noted.data["audit_seq"] == at_backup["audit_head"]["seq"]
    assert noted.data["manifest_sha256"] == hashlib.sha256(
        (folder / "manifest.json").read_bytes()).hexdigest()

    # Life goes on after the backup: more events, another file.
    record(session, "test.after_backup", "thing", 1, actor_label="tester")
    session.commit()
    app_storage(ATTACHMENTS).put(b"uploaded after the backup")

    url, instance = empty_target
    restored_app = make_app(replace(config, database_url=url, instance_dir=instance))
    restored = run_cli(restored_app, "backup", "restore", str(folder))
    assert restored.exit_code == 0, restored.output
    assert "audit verify: chain: OK" in restored.output
    assert "audit verify: checkpoints: 1 checked" in restored.output
    assert f"restore check: files: {len(files_at_backup)} of {len(files_at_backup)}" \
        in restored.output
    assert restored.output.rstrip().endswith("Result: OK")
    with restored_app.extensions["workflow_db_engine"].connect() as conn:
        facts = snapshot_facts(conn)  # counts, audit head and revision
    runs = facts["counts"].pop("audit_verification")
    assert runs == at_backup["counts"].pop("audit_verification") + 1  # the restore's own run
    assert facts == at_backup
    with restored_app.extensions["workflow_db_engine"].connect() as conn:
        actions = set(conn.scalars(select(AuditEvent.action)))
    assert "test.after_backup" not in actions and "system.backup_created" not in actions
    assert _stored_files(instance) == files_at_backup

    again = run_cli(restored_app, "backup", "restore", str(folder))
    assert again.exit_code == 1 and "the target is not empty" in again.output
    attachment = next(p for p in (folder / "instance" / ATTACHMENTS).rglob("*") if p.is_file())
    attachment.write_bytes(b"altered")
    damaged = run_cli(restored_app, "backup", "restore", str(folder))
    assert damaged.exit_code == 1 and "the backup is damaged" in damaged.output
    assert "SHA-256 differs from the manifest" in damaged.output

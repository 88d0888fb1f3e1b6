"""The chain head, the kept checkpoint copies and the append-only triggers, online and offline.

Attacks by someone who can write to the database (triggers dropped or bypassed):
- appending an event after the recorded head, with a correct prev_hash and hash;
- removing events at the end (with or without moving the head back);
- rewriting the whole chain consistently and deleting the database's checkpoint rows.
`flask audit verify` and the exported `standalone_verify.py` (given the kept checkpoint
copies) must name each one; verify also says when the triggers are missing or disabled.
"""

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, text

from tests.support.helpers import run_cli
from workflow_app.audit.canonical import event_hash
from workflow_app.audit.chain import record
from workflow_app.audit.verify import verify_chain
from workflow_app.extensions import db
from workflow_app.models import AuditEvent


def _events(session, n=5):
    for i in range(n):
        record(session, "test.event", "thing", i, actor_label="tester", data={"i": i})
    session.commit()


def _bypass(conn):
    """An attacker with owner rights on a copy of the database: the triggers do not fire."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
    else:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")


def _tamper(sql, **params):
    with db.engine.begin() as conn:
        _bypass(conn)
        conn.execute(text(sql), params)


def _append_after_head(session):
    """Insert seq H+1 with a correct prev_hash and hash, leaving audit_head alone."""
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    fields = {"seq": last.seq + 1, "occurred_at": datetime.now(UTC), "actor_id": None,
              "actor_label": "forger", "action": "test.event", "subject_type": "thing",
              "subject_id": "x", "from_state": None, "to_state": None, "data": {"i": 99}}
    with db.engine.begin() as conn:
        conn.execute(insert(AuditEvent.__table__).values(
            **fields, prev_hash=last.hash, hash=event_hash(last.hash, fields)))
    return fields["seq"]


def _rewrite_whole_chain():
    """Change event 2 and recompute every later hash and the head: the chain verifies."""
    _tamper("UPDATE audit_event SET actor_label = 'forger' WHERE seq = 2")
    table = AuditEvent.__table__
    with db.engine.begin() as conn:
        _bypass(conn)
        rows = conn.execute(select(*table.c).order_by(table.c.seq)).mappings().all()
        prev = "0" * 64
        for row in rows:
            new = event_hash(prev, dict(row))
            conn.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"p": prev, "h": new, "s": row["seq"]})
            prev = new
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


def _standalone(directory, *args, isolated=False):
    """Run the exported script as an auditor would; `isolated`: Python without site-packages
    (no `cryptography`), i.e. "Python 3 and nothing else"."""
    flags = ["-S", "-I"] if isolated else []
    return subprocess.run([sys.executable, *flags, str(directory / "standalone_verify.py"),
                           str(directory), *map(str, args)],
                          capture_output=True, text=True, check=False)


@pytest.fixture
def signing_app(config, tmp_path, make_app):
    key = tmp_path / "audit.pem"
    app = make_app(replace(config, audit_signing_key_path=str(key)))
    assert run_cli(app, "audit", "keygen", str(key)).exit_code == 0
    return app


def _checkpoint(app):
    made = run_cli(app, "audit", "checkpoint")
    assert made.exit_code == 0, made.output


def _kept_file(config):
    return config.instance_dir / "audit-checkpoints.jsonl"


# --- appending after the head -----------------------------------------------------------


def test_verify_names_an_event_appended_after_the_head(app, session):
    _events(session)
    seq = _append_after_head(session)
    assert seq == 6
    result = verify_chain(session)
    assert not result.ok and result.first_bad_seq == 6
    assert "after the recorded head" in result.reason
    cli = run_cli(app, "audit", "verify")
    assert cli.exit_code == 1
    assert "BROKEN at seq 6: event after the recorded head" in cli.output
    assert "removed at the end" not in cli.output


def test_offline_check_names_an_event_appended_after_the_head(app, session, tmp_path):
    _events(session)
    _append_after_head(session)
    out = tmp_path / "export"
    assert run_cli(app, "audit", "export", str(out)).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    head = session.scalars(select(AuditEvent).where(AuditEvent.seq == 5)).one()
    assert manifest["recorded_head"] == {"seq": 5, "hash": head.hash}
    check = _standalone(out)
    assert check.returncode == 1, check.stdout
    assert "seq 6: event after the recorded head" in check.stdout


# --- removing events at the end ---------------------------------------------------------


def test_offline_check_names_events_removed_at_the_end_through_the_head(app, session, tmp_path):
    _events(session, 6)
    _tamper("DELETE FROM audit_event WHERE seq >= 5")
    out = tmp_path / "export"
    assert run_cli(app, "audit", "export", str(out)).exit_code == 0
    check = _standalone(out)
    assert check.returncode == 1, check.stdout
    assert "seq 5: missing" in check.stdout and "removed at the end" in check.stdout


def test_removal_at_the_end_with_the_head_moved_back_is_caught_by_the_kept_checkpoint(
        signing_app, config, session, tmp_path):
    _events(session, 6)
    _checkpoint(signing_app)
    kept = tmp_path / "kept-off-server.jsonl"
    shutil.copyfile(_kept_file(config), kept)
    _tamper("DELETE FROM audit_event WHERE seq = 6")
    _tamper("UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_event WHERE seq = 5)")
    _tamper("DELETE FROM audit_checkpoint")
    _kept_file(config).unlink()
    online = run_cli(signing_app, "audit", "verify", "--checkpoints", str(kept))
    assert online.exit_code == 1
    assert "chain: OK, 5 events" in online.output
    assert "checkpoint at seq 6: the chain ends at seq 5 (events removed at the end?)" \
        in online.output
    out = tmp_path / "export"
    assert run_cli(signing_app, "audit", "export", str(out)).exit_code == 0
    check = _standalone(out, "--checkpoints", kept)
    assert check.returncode == 1, check.stdout
    assert "checkpoint at seq 6" in check.stdout and "ends at seq 5" in check.stdout


# --- rewriting the whole chain ----------------------------------------------------------


def test_export_carries_every_checkpoint_including_the_kept_copies(
        signing_app, config, session, tmp_path):
    _events(session, 3)
    _checkpoint(signing_app)
    _events(session, 3)
    _checkpoint(signing_app)
    _tamper("DELETE FROM audit_checkpoint WHERE seq = 3")
    out = tmp_path / "export"
    assert run_cli(signing_app, "audit", "export", str(out)).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [c["seq"] for c in manifest["checkpoints"]] == [3, 6]
    check = _standalone(out)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_consistent_rewrite_with_checkpoint_rows_deleted_fails_offline(
        signing_app, config, session, tmp_path):
    _events(session, 6)
    _checkpoint(signing_app)
    kept = tmp_path / "kept-off-server.jsonl"
    shutil.copyfile(_kept_file(config), kept)
    _rewrite_whole_chain()
    _tamper("DELETE FROM audit_checkpoint")
    # The copy still on the server travels in the export and catches the rewrite …
    out = tmp_path / "export"
    assert run_cli(signing_app, "audit", "export", str(out)).exit_code == 0
    check = _standalone(out)
    assert check.returncode == 1, check.stdout
    assert "checkpoint at seq 6" in check.stdout
    # … and when the attacker deletes that too, the copy kept off the server does.
    _kept_file(config).unlink()
    shutil.rmtree(out)
    assert run_cli(signing_app, "audit", "export", str(out)).exit_code == 0
    blind = _standalone(out)
    assert blind.returncode == 0 and "no kept checkpoint copies" in blind.stdout
    check = _standalone(out, "--checkpoints", kept)
    assert check.returncode == 1, check.stdout
    assert "kept checkpoint at seq 6: the chain differs from the signed hash" in check.stdout
    # Without `cryptography` the signatures go unchecked, but the position check still holds.
    bare = _standalone(out, "--checkpoints", kept, isolated=True)
    assert bare.returncode == 1, bare.stdout + bare.stderr
    assert "kept checkpoint at seq 6" in bare.stdout
    assert "signatures not checked" in bare.stdout
    online = run_cli(signing_app, "audit", "verify", "--checkpoints", str(kept))
    assert online.exit_code == 1 and "checkpoint at seq 6" in online.output


def test_offline_check_with_intact_kept_copies_passes(signing_app, config, session, tmp_path):
    _events(session, 4)
    _checkpoint(signing_app)
    _events(session, 2)
    out = tmp_path / "export"
    assert run_cli(signing_app, "audit", "export", str(out)).exit_code == 0
    check = _standalone(out, "--checkpoints", _kept_file(config))
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ĐẠT: ") and "\nOK: audit export verified" in check.stdout
    assert "1 kept checkpoint" in check.stdout


def test_a_forged_kept_copy_is_refused(signing_app, config, session, tmp_path):
    _events(session, 4)
    _checkpoint(signing_app)
    forged = json.loads(_kept_file(config).read_text().splitlines()[0])
    forged["seq"] = 3
    kept = tmp_path / "forged.jsonl"
    kept.write_text(json.dumps(forged) + "\n")
    out = tmp_path / "export"
    assert run_cli(signing_app, "audit", "export", str(out)).exit_code == 0
    check = _standalone(out, "--checkpoints", kept)
    assert check.returncode == 1
    assert "kept checkpoint at seq 3: bad signature" in check.stdout


def test_a_missing_kept_copy_file_is_an_error_not_a_pass(app, session, tmp_path):
    _events(session, 2)
    out = tmp_path / "export"
    assert run_cli(app, "audit", "export", str(out)).exit_code == 0
    check = _standalone(out, "--checkpoints", tmp_path / "nowhere.jsonl")
    assert check.returncode == 2 and "nowhere.jsonl" in check.stdout + check.stderr
    online = run_cli(app, "audit", "verify", "--checkpoints", str(tmp_path / "nowhere.jsonl"))
    assert online.exit_code != 0


# --- the append-only triggers -----------------------------------------------------------


@pytest.fixture
def restore_triggers(app):
    """PostgreSQL's test database is shared by the run: put its triggers back afterwards."""
    saved = None
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            saved = (
                conn.exec_driver_sql(
                    "SELECT pg_get_functiondef('audit_event_reject_change'::regproc)").scalar(),
                conn.exec_driver_sql(
                    "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                    "WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal").all(),
            )
    yield
    if saved is None:
        return
    function, triggers = saved
    with db.engine.begin() as conn:
        conn.exec_driver_sql(function)
        for name, definition in triggers:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON audit_event")
            conn.exec_driver_sql(definition)


def test_verify_says_the_triggers_are_in_place(app, session):
    _events(session, 1)
    result = run_cli(app, "audit", "verify")
    assert result.exit_code == 0
    assert "append-only triggers: OK" in result.output


def test_verify_reports_a_missing_append_only_trigger(app, session, restore_triggers):
    _events(session, 2)
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
            verb = "DELETE"
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_truncate ON audit_event")
            verb = "TRUNCATE"
    result = run_cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert "chain: OK, 2 events" in result.output
    assert f"append-only: nothing refuses {verb} on audit_event (trigger missing)" \
        in result.output


@pytest.mark.sqlite_only
def test_verify_reports_a_trigger_that_no_longer_refuses(app, session):
    _events(session, 2)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        conn.exec_driver_sql("CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
                             "WHEN 0 BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); "
                             "END")
    result = run_cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert "append-only: nothing refuses UPDATE on audit_event" in result.output


@pytest.mark.postgresql_only
@pytest.mark.parametrize(("statement", "expected"), [
    ("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change", "is disabled"),
    ("ALTER TABLE audit_event ENABLE REPLICA TRIGGER audit_event_no_change",
     "fires only in replica sessions"),
    ("CREATE OR REPLACE FUNCTION audit_event_reject_change() RETURNS trigger "
     "LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$", "does not raise"),
])
def test_verify_reports_disabled_postgresql_triggers(app, session, restore_triggers,
                                                     statement, expected):
    _events(session, 2)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    result = run_cli(app, "audit", "verify")
    assert result.exit_code == 1
    for verb in ("UPDATE", "DELETE"):
        assert f"append-only: {verb} on audit_event is not refused: trigger " \
               f"audit_event_no_change {expected}" in result.output


@pytest.mark.postgresql_only
def test_a_trigger_enabled_always_still_counts(app, session, restore_triggers):
    _events(session, 1)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE audit_event ENABLE ALWAYS TRIGGER audit_event_no_change")
    result = run_cli(app, "audit", "verify")
    assert result.exit_code == 0, result.output


@pytest.mark.postgresql_only
def test_verify_reports_triggers_off_for_its_own_session(app, session):
    from workflow_app.audit.append_only import append_only_problems

    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET session_replication_role = replica")
        try:
            problems = append_only_problems(conn)
        finally:
            conn.exec_driver_sql("RESET session_replication_role")
    assert any("session_replication_role is 'replica'" in p for p in problems)

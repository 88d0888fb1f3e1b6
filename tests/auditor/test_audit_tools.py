"""`flask audit verify/checkpoint/export`, the standalone verifier, and the auditor pages."""

import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from tests.support.helpers import login_as, post_form, run_cli
from workflow_app import downloads
from workflow_app.audit import export
from workflow_app.audit.canonical import event_hash
from workflow_app.audit.chain import record
from workflow_app.config import PROJECT_ROOT
from workflow_app.downloads import local_stamp
from workflow_app.extensions import db
from workflow_app.models import AuditEvent, AuditVerification


def _events(session, n=6):
    for i in range(n):
        record(session, "test.event", "thing", i, actor_label="tester", data={"i": i})
    session.commit()


def _tamper(sql):
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.execute(text(sql))


def test_cli_verify_passes_then_names_the_tampered_seq(app, session):
    _events(session)
    ok = run_cli(app, "audit", "verify")
    assert ok.exit_code == 0 and "chain: OK, 6 events" in ok.output
    _tamper("UPDATE audit_event SET data = '{\"i\": 99}' WHERE seq = 4")
    bad = run_cli(app, "audit", "verify")
    assert bad.exit_code == 1
    assert "BROKEN at seq 4" in bad.output
    # both runs kept for the auditor's home page, by "the system (command line)"
    runs = session.scalars(select(AuditVerification).order_by(AuditVerification.id)).all()
    assert [(r.intact, r.actor_label) for r in runs] == [(True, "cli"), (False, "cli")]
    assert runs[1].problems >= 1 and runs[0].events_checked == 6


def test_a_rewritten_chain_is_caught_by_a_signed_checkpoint(config, tmp_path, session, make_app):
    key = tmp_path / "audit.pem"
    app = make_app(replace(config, audit_signing_key_path=str(key)))
    assert run_cli(app, "audit", "keygen", str(key)).exit_code == 0
    _events(session)
    made = run_cli(app, "audit", "checkpoint")
    assert made.exit_code == 0, made.output
    # The attacker rewrites event 2 and recomputes every later hash: the chain verifies …
    _tamper("UPDATE audit_event SET actor_label = 'forger' WHERE seq = 2")
    table = AuditEvent.__table__
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        rows = conn.execute(select(*table.c).order_by(table.c.seq)).mappings().all()
        prev = "0" * 64
        for row in rows:
            fields = dict(row)
            new = event_hash(prev, fields)
            conn.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"p": prev, "h": new, "s": fields["seq"]})
            prev = new
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    result = run_cli(app, "audit", "verify")
    assert "chain: OK" in result.output  # … but the signed checkpoint no longer matches
    assert result.exit_code == 1
    assert "checkpoint at seq 6" in result.output


def test_checkpoint_without_a_key_is_a_clear_error(app, session):
    _events(session, 1)
    result = run_cli(app, "audit", "checkpoint")
    assert result.exit_code != 0 and "AUDIT_SIGNING_KEY" in result.output


def test_export_verifies_offline_and_tampering_is_named(app, session, tmp_path):
    _events(session)
    out = tmp_path / "export"
    result = run_cli(app, "audit", "export", str(out))
    assert result.exit_code == 0, result.output
    script = out / "standalone_verify.py"
    ok = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True)
    assert ok.returncode == 0 and "OK" in ok.stdout
    lines = (out / "events.jsonl").read_text().splitlines()
    event = json.loads(lines[2])
    event["actor_label"] = "someone else"
    lines[2] = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    (out / "events.jsonl").write_text("\n".join(lines) + "\n")
    bad = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "seq 3: hash does not match" in bad.stdout


def test_standalone_verifier_imports_nothing_from_the_app():

    source = (PROJECT_ROOT / "workflow_app/audit/standalone_verify.py").read_text()
    assert "workflow_app" not in source.replace("no imports from the app", "")


@pytest.fixture
def auditor_client(app, client, make_user):
    login_as(app, client, make_user("inspector", roles=["auditor"]))
    return client


def test_auditor_filters_the_log(auditor_client, session, make_user):
    root = make_user("root-admin", roles=["admin"])
    record(session, "user.role_granted", "user", 7, actor=root, data={"role": "chair"})
    record(session, "auth.login_failed", "account", "mallory", actor_label="mallory")
    session.commit()
    def table(query):
        page = auditor_client.get("/audit/" + query).get_data(as_text=True)
        return page.split('data-testid="audit-log"')[1]

    assert "root-admin" in table("?action=user.role_granted")
    assert "mallory" not in table("?action=user.")
    assert "mallory" in table("?action=auth.login_failed")
    assert "mallory" not in table(f"?actor_id={root.id}")
    assert auditor_client.get("/audit/?action=no.such").status_code == 400  # a choice


def test_bad_filter_input_is_a_400_with_a_message(auditor_client):
    response = auditor_client.get("/audit/?date_from=2026-13-45")
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)
    reversed_range = auditor_client.get("/audit/?date_from=2026-05-02&date_to=2026-05-01")
    assert reversed_range.status_code == 400
    us_order = auditor_client.get("/audit/?date_from=12/31/2026")  # month first: refused
    assert us_order.status_code == 400
    assert "ngày/tháng/năm, ví dụ 07/12/2026" in us_order.get_data(as_text=True)
    assert auditor_client.get("/audit/?date_from=02/05/2026&date_to=2026-05-02"
                              ).status_code == 200  # both forms, the same day


def test_log_pages_by_key(auditor_client, session):
    _events(session, 120)
    first = auditor_client.get("/audit/").get_data(as_text=True)
    assert "before=" in first
    older = auditor_client.get("/audit/?before=20").get_data(as_text=True)
    assert '">19</a>' in older and '">20</a>' not in older


def test_verify_now_reports_tampering_by_seq(auditor_client, session):
    _events(session)
    page = post_form(auditor_client, "/audit/verify", {}).get_data(as_text=True)
    assert 'alert-success' in page

    def result_on_home():
        home = auditor_client.get("/").get_data(as_text=True)
        return home.split('figure-auditor-last_verification_problems"')[1].split("</div>")[1]

    assert "Nguyên vẹn" in result_on_home()
    _tamper("DELETE FROM audit_event WHERE seq = 3")
    page = post_form(auditor_client, "/audit/verify", {}).get_data(as_text=True)
    assert 'alert-danger' in page
    assert "text-danger" in result_on_home() and "vấn đề" in result_on_home()
    problem = page.split('data-testid="verify-problem">')[1].split("</li>")[0]
    assert " 3" in problem and "seq" not in problem


def test_export_download_is_streamed_named_in_vietnam_time_and_verifies_offline(
        auditor_client, session, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_BATCH", 4)  # the events span several chunks
    monkeypatch.setattr(downloads, "SPOOL_IN_MEMORY", 1024)  # as a large export: on disk
    _events(session, 11)
    response = auditor_client.get("/audit/export.zip")
    assert response.is_streamed  # sent from the spooled file, not built whole in memory
    assert re.match(r'attachment; filename="audit-export-\d{8}-\d{4}\.zip"',
                    response.headers["Content-Disposition"])
    assert local_stamp(with_time=True, now=datetime(2025, 12, 31, 17, 30, tzinfo=UTC)) == \
        "20260101-0030"  # Vietnam time (UTC+7), not UTC
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    response.close()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    assert manifest["count"] == len(lines) >= 11
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
    check = subprocess.run([sys.executable, str(tmp_path / "standalone_verify.py"),
                            str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # Vietnamese first, then English, for every line the offline verifier prints
    out = check.stdout.splitlines()
    assert out[-2].startswith("ĐẠT: nhật ký xuất ra đã được kiểm tra:") and "sự kiện" in out[-2]
    assert out[-1].startswith("OK: audit export verified:")
    assert out[0].startswith("Lưu ý: ") and out[1].startswith("note: ")
    events = (tmp_path / "events.jsonl").read_text().replace('"i":3', '"i":33', 1)
    (tmp_path / "events.jsonl").write_text(events)
    bad = subprocess.run([sys.executable, str(tmp_path / "standalone_verify.py"),
                          str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "KHÔNG ĐẠT: events.jsonl không khớp mã băm SHA-256" in bad.stdout
    assert "KHÔNG ĐẠT: sự kiện số" in bad.stdout and "mã băm không khớp nội dung" in bad.stdout
    assert "FAIL: events.jsonl does not match the manifest's SHA-256" in bad.stdout


def test_audit_pages_are_for_auditors_only(app, client, make_user):
    login_as(app, client, make_user("boss", roles=["admin"]))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.zip").status_code == 403


def test_subject_history_shows_every_event_with_field_diffs(auditor_client, session):
    record(session, "unit.created", "unit", 42, actor_label="root", data={"name": "Cục A"})
    record(session, "unit.updated", "unit", 42, actor_label="root",
           data={"changes": {"name": ["Cục A", "Cục Bổ trợ tư pháp"]}})
    record(session, "unit.created", "unit", 43, actor_label="root")
    session.commit()
    page = auditor_client.get("/audit/subjects/unit/42").get_data(as_text=True)
    history = page.split('data-testid="history"')[1]
    assert history.count("list-group-item") == 2
    assert "Cục Bổ trợ tư pháp" in history and "<td>Tên</td>" in history
    assert auditor_client.get("/audit/subjects/unit/999").status_code == 404


def test_log_filters_by_unit_including_sub_units_and_their_dossiers(
        auditor_client, session, make_unit, make_user, make_dossier, tx):
    agency = make_unit("Cục A", code="CA")
    division = make_unit("Phòng 1", kind="division", parent=agency, code="CA-P1")
    elsewhere = make_unit("Cục B", code="CB")
    officer = make_user("officer-ca", roles=["submitter"], unit=agency)
    dossier = make_dossier(unit=division, creator=officer)
    dossier_id = dossier.id
    tx.commit()
    record(session, "unit.updated", "unit", division.id, actor_label="root")
    record(session, "unit.updated", "unit", elsewhere.id, actor_label="root")
    session.commit()
    table = auditor_client.get("/audit/?unit=CA").get_data(as_text=True) \
        .split('data-testid="audit-log"')[1]
    assert f"/dossier/{dossier_id}\"" in table and f"/unit/{division.id}\"" in table
    assert f"/unit/{elsewhere.id}\"" not in table


def test_a_dossier_state_changed_behind_the_engine_is_named(app, session, make_dossier, tx):
    dossier = make_dossier()
    dossier_id, state = dossier.id, dossier.state
    tx.commit()
    assert run_cli(app, "audit", "verify").exit_code == 0
    with db.engine.begin() as conn:  # a forger edits the row directly
        conn.execute(text("UPDATE dossier SET state = 'decided' WHERE id = :i"),
                     {"i": dossier_id})
    result = run_cli(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"dossier {dossier_id}: state 'decided'" in result.output
    assert f"says '{state}'" in result.output

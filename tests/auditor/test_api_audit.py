"""The audit trail over the API, for auditors only, as the auditor pages: the log with the
page's filters and keyset pagination by seq, one event, a subject's history with diffs,
verification naming the first bad seq, and the same export archive."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest
from sqlalchemy import func, select

from tests.auditor.test_audit_tools import _events, _tamper
from tests.support.api_fixtures import error_code
from workflow_app.audit.chain import record
from workflow_app.models.audit import AuditEvent, AuditVerification


@pytest.fixture
def auditor_api(call_as, make_user):
    return call_as(make_user("inspector", roles=["auditor"]), scope="read")


def _ok(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _seqs(body) -> list[int]:
    return [event["seq"] for event in body["items"]]


def test_the_log_filters_like_the_page_and_pages_by_seq(auditor_api, session):
    granted = record(session, "user.role_granted", "user", 7, actor_label="root",
                     data={"role": "chair"}).seq
    failed = record(session, "auth.login_failed", "account", "mallory",
                    actor_label="mallory").seq
    things = [record(session, "test.event", "thing", i, actor_label="tester").seq
              for i in range(5)]
    session.commit()
    by_action = _ok(auditor_api("GET", "/api/v1/audit/events?action=user.role&actor=root"))
    assert _seqs(by_action) == [granted] and by_action["items"][0]["data"] == {"role": "chair"}
    assert _seqs(_ok(auditor_api("GET", "/api/v1/audit/events?actor=MALLORY"))) == [failed]
    assert _seqs(_ok(auditor_api(
        "GET", "/api/v1/audit/events?subject_type=thing&subject_id=3"))) == [things[3]]
    first = _ok(auditor_api("GET", "/api/v1/audit/events?limit=3&actor=tester"))
    assert _seqs(first) == things[:1:-1]
    record(session, "test.event", "thing", 99, actor_label="tester")  # arrives meanwhile
    session.commit()
    second = _ok(auditor_api("GET", "/api/v1/audit/events?limit=3&actor=tester"
                                    f"&cursor={first['next_cursor']}"))
    assert _seqs(second) == things[1::-1] and second["next_cursor"] is None
    everything = _ok(auditor_api("GET", "/api/v1/audit/events?limit=200"))
    assert _seqs(everything) == sorted(_seqs(everything), reverse=True)
    assert _seqs(everything)[-1] == 1
    today = everything["items"][0]["occurred_at"][:10]
    assert len(_ok(auditor_api("GET", f"/api/v1/audit/events?date_from={today}"
                                      f"&date_to={today}"))["items"]) == len(everything["items"])
    reversed_range = _ok(auditor_api("GET", "/api/v1/audit/events?date_from=2026-05-02"
                                            "&date_to=2026-05-01"))
    assert reversed_range["items"] == []
    bad_day = auditor_api("GET", "/api/v1/audit/events?date_from=2026-13-45")
    assert bad_day.status_code == 400 and error_code(bad_day) == "invalid_query"


def test_the_log_filters_by_unit_with_sub_units_and_their_dossiers(
        auditor_api, session, make_unit, make_user, make_dossier, tx):
    agency = make_unit("Cục A", code="CA")
    division = make_unit("Phòng 1", kind="division", parent=agency, code="CA-P1")
    elsewhere = make_unit("Cục B", code="CB")
    dossier = make_dossier(unit=division, creator=make_user("officer-ca", roles=["submitter"],
                                                            unit=agency))
    dossier_id = dossier.id
    tx.commit()
    record(session, "unit.updated", "unit", division.id, actor_label="root")
    record(session, "unit.updated", "unit", elsewhere.id, actor_label="root")
    session.commit()
    items = _ok(auditor_api("GET", "/api/v1/audit/events?unit=ca&limit=200"))["items"]
    subjects = {(e["subject_type"], e["subject_id"]) for e in items}
    assert ("dossier", str(dossier_id)) in subjects and ("unit", str(division.id)) in subjects
    assert ("unit", str(elsewhere.id)) not in subjects


def test_one_event_and_a_subject_history_carry_their_diffs(auditor_api, session):
    created = record(session, "unit.created", "unit", 42, actor_label="root",
                     data={"name": "Cục A"}).seq
    updated = record(session, "unit.updated", "unit", 42, actor_label="root",
                     data={"changes": {"name": ["Cục A", "Cục Bổ trợ tư pháp"]}}).seq
    record(session, "unit.created", "unit", 43, actor_label="root")
    session.commit()
    event = _ok(auditor_api("GET", f"/api/v1/audit/events/{updated}"))
    assert event["action"] == "unit.updated" and len(event["hash"]) == 64
    assert event["changes"] == [{"field": "name", "old": "Cục A", "new": "Cục Bổ trợ tư pháp"}]
    history = _ok(auditor_api("GET", "/api/v1/audit/history?subject_type=unit&subject_id=42"))
    assert _seqs(history) == [created, updated] and history["items"][0]["changes"] == []
    paged = _ok(auditor_api("GET", "/api/v1/audit/history?subject_type=unit&subject_id=42"
                                   "&limit=1"))
    rest = _ok(auditor_api("GET", "/api/v1/audit/history?subject_type=unit&subject_id=42"
                                  f"&limit=1&cursor={paged['next_cursor']}"))
    assert _seqs(paged) + _seqs(rest) == [created, updated] and rest["next_cursor"] is None
    nothing = auditor_api("GET", "/api/v1/audit/history?subject_type=unit&subject_id=999")
    assert nothing.status_code == 404 and error_code(nothing) == "not_found"
    assert auditor_api("GET", "/api/v1/audit/events/999999").status_code == 404
    assert auditor_api("GET", "/api/v1/audit/history?subject_type=unit").status_code == 400


def test_verify_names_the_first_bad_seq(auditor_api, session):
    _events(session)
    good = _ok(auditor_api("GET", "/api/v1/audit/verify"))
    assert good["ok"] is True and good["chain"]["checked"] >= 6
    assert good["chain"]["first_bad_seq"] is None
    _tamper("UPDATE audit_event SET data = '{\"i\": 99}' WHERE seq = 4")
    bad = _ok(auditor_api("GET", "/api/v1/audit/verify"))
    assert bad["ok"] is False and bad["chain"]["first_bad_seq"] == 4
    assert bad["chain"]["reason"] == "hash does not match the event's contents"
    assert bad["chain"]["checked"] == 3
    assert any("BROKEN at seq 4" in line for line in bad["lines"])
    assert session.scalar(select(func.count()).select_from(AuditVerification)) == 0


def test_post_verify_keeps_the_run_beside_the_chain(auditor_api, call_as, make_user, session):
    _events(session)
    writer = call_as(make_user("verifier", roles=["auditor"]), scope="read-write")
    head = session.scalar(select(func.max(AuditEvent.seq)))
    session.rollback()
    assert auditor_api("POST", "/api/v1/audit/verify").status_code == 403  # a read token
    good = _ok(writer("POST", "/api/v1/audit/verify"))
    assert good["ok"] is True
    _tamper("UPDATE audit_event SET data = '{\"i\": 99}' WHERE seq = 4")
    bad = _ok(writer("POST", "/api/v1/audit/verify"))
    assert bad["ok"] is False and bad["chain"]["first_bad_seq"] == 4
    session.rollback()
    runs = session.scalars(select(AuditVerification).order_by(AuditVerification.id)).all()
    assert [(r.intact, r.actor_label) for r in runs] == [(True, "verifier"), (False, "verifier")]
    assert runs[0].events_checked == head and runs[1].problems >= 1
    assert session.scalar(select(func.max(AuditEvent.seq))) == head  # the chain is untouched


def test_export_is_the_pages_verifiable_archive(auditor_api, session, tmp_path):
    _events(session)
    response = auditor_api("GET", "/api/v1/audit/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-')
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    response.close()  # streamed from a spooled file (bounded memory)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["count"] >= 6
    assert manifest["last_seq"] == manifest["count"]
    check = subprocess.run([sys.executable, str(tmp_path / "standalone_verify.py"),
                            str(tmp_path)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout


def test_only_auditors_read_the_trail(call_as, make_user, session):
    _events(session, 2)
    boss = call_as(make_user("boss", roles=["admin", "reviewer", "chair"]))
    for path in ("/audit/events", "/audit/events/1", "/audit/history?subject_type=thing"
                 "&subject_id=1", "/audit/verify", "/audit/export"):
        response = boss("GET", "/api/v1" + path)
        assert response.status_code == 403 and error_code(response) == "role_required", path
        assert "test.event" not in response.get_data(as_text=True)

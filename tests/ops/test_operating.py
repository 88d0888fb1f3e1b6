"""Request logs and ids, /health and /ready, the admin status page."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace

import pyotp

from tests.support.council_api_helpers import body, cast_body
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.helpers import login, login_as, run_cli, totp_code
from workflow_app.audit.chain import record
from workflow_app.models.notification import OutboxMessage

CHOICES = ("agree", "disagree", "abstain")


def _request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records
            if r.name == "workflow_app.requests"]


def test_a_voting_round_logs_one_line_per_request_and_no_secret(
        app, client, caplog, make_council, council_dossier, meeting, make_token, tx):
    secret = pyotp.random_base32()
    kit = make_council(3, totp_secret=secret)
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    tx.commit()
    tokens = {m.user.id: make_token(m.user) for m in kit.members}
    tokens[kit.secretary.id] = make_token(kit.secretary)
    api = app.test_client()

    def call(user, method, url, **kw):
        return api.open(url, method=method, headers={
            "Authorization": f"Bearer {tokens[user.id]}", **kw.pop("headers", {})}, **kw)

    caplog.set_level(logging.INFO)
    round_id = body(call(kit.secretary, "POST", f"/api/v1/council/sessions/{meeting_.id}/rounds",
                         json={}), 201)["id"]
    receipts, codes = [], []
    for member, choice in zip(kit.members, CHOICES, strict=True):
        url = f"/api/v1/council/rounds/{round_id}/ballot"
        paper = body(call(member.user, "GET", url))
        code = totp_code(secret)
        cast = call(member.user, "POST", url, json=cast_body(paper, choice, code=code),
                    headers={"X-Request-ID": f"cast-{member.id}-0123456789"})
        receipts.append(body(cast, 201)["receipt"])
        codes.append(code)
        assert cast.headers["X-Request-ID"] == f"cast-{member.id}-0123456789"
    body(call(kit.secretary, "POST", f"/api/v1/council/rounds/{round_id}/close"))
    signed_in = login(client, kit.secretary.username, headers={"X-Request-ID": "bad id!"})

    lines = _request_lines(caplog)
    assert len(lines) == 2 + 2 * len(kit.members) + 2  # open, papers and casts, close, login
    casts = [line for line in lines if line["request_id"].startswith("cast-")]
    assert [c["user_id"] for c in casts] == [m.user.id for m in kit.members]
    assert {(c["method"], c["route"], c["status"]) for c in casts} == {
        ("POST", "/api/v1/council/rounds/<int:round_id>/ballot", 201)}
    assert all(isinstance(line["duration_ms"], float) and line["time"] for line in lines)
    # A malformed incoming id is replaced by a fresh one, echoed in the header.
    assert signed_in.headers["X-Request-ID"] != "bad id!"
    assert len(signed_in.headers["X-Request-ID"]) == 32
    assert lines[-1]["request_id"] == signed_in.headers["X-Request-ID"]
    missing = client.get("/no/such/page")  # the error page shows the code to quote
    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] in missing.get_data(as_text=True)
    # Nothing secret in any record of any logger.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret_text in (DEFAULT_PASSWORD, secret, *codes, *receipts, *CHOICES,
                        *tokens.values()):
        assert secret_text not in logged


def test_health_ready_and_an_unreachable_database(app, client, config, make_app, tmp_path):
    assert client.get("/health").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.get_json()["status"] == "ready"
    assert ready.get_json()["migration"] == ready.get_json()["head"] != []

    unreachable = (f"sqlite:///{tmp_path}/no/such/folder/app.db"
                   if config.database_url.startswith("sqlite")
                   else "postgresql://postgres@127.0.0.1:1/nowhere")
    down = make_app(replace(config, database_url=unreachable)).test_client()
    assert down.get("/health").status_code == 200  # liveness never asks the database
    answer = down.get("/ready")
    assert answer.status_code == 503
    assert answer.get_json()["reason"] == "database_unreachable"

    # Prometheus: off without a token, then only for the scraper holding it.
    assert client.get("/metrics").status_code == 404
    scraped = make_app(replace(config, metrics_token="scrape-secret")).test_client()
    assert scraped.get("/metrics").status_code == 401
    assert scraped.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    text = scraped.get("/metrics", headers={"Authorization": "Bearer scrape-secret"}).get_data(
        as_text=True)
    assert 'tdkt_http_requests_total{method="GET",route="/ready",status="200"}' in text
    assert 'tdkt_http_request_duration_seconds_count{method="GET",route="/ready"}' in text
    assert 'tdkt_outbox_messages{status="pending"} 0.0' in text
    assert "# TYPE tdkt_workflow_transitions_total counter" in text
    assert "tdkt_audit_last_verification_ok 0.0" in text

    empty = make_app(replace(config, database_url=f"sqlite:///{tmp_path}/empty.db"))
    answer = empty.test_client().get("/ready")
    assert answer.status_code == 503
    assert answer.get_json()["reason"] == "migrations_not_at_head"
    assert answer.get_json()["migration"] == []


def test_admin_status_page_in_both_languages(app, client, session, make_user):
    admin = make_user("sysadmin", roles=["admin"])
    officer = make_user("officer", roles=["submitter"])
    record(session, "system.backup_created", "system", "backup", actor_label="cli",
           data={"directory": "/srv/backup/2026-12-07", "audit_seq": 1, "files": 3})
    session.add_all([OutboxMessage(recipient="a@example.vn", subject="s", body="b"),
                     OutboxMessage(recipient="b@example.vn", subject="s", body="b",
                                   status="failed", attempts=3, last_error="Connection refused")])
    session.commit()
    assert run_cli(app, "audit", "verify").exit_code == 0

    login_as(app, client, officer)
    assert client.get("/admin/status").status_code == 403
    login_as(app, client, admin)
    users = client.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/status"' in users
    page = client.get("/admin/status")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Trạng thái hệ thống" in html and "/srv/backup/2026-12-07" in html
    assert "Sao lưu gần nhất" in html and "Connection refused" in html
    assert "Kiểm tra gần nhất" in html and "nguyên vẹn" in html
    assert "Đang chờ gửi: 1" in html and "Gửi lỗi: 1" in html
    assert "cập nhật" in html and " UTC" not in html
    # Sizes through the one formatter (workflow_app/sizes.py): "12,3 KB", never "12.3 KB".
    assert re.search(r"Thư mục dữ liệu \(instance\): \d[\d.]*(,\d)? (B|KB|MB|GB|TB)(<| ·)", html)
    session.merge(admin).locale = "en"
    session.commit()
    english = client.get("/admin/status").get_data(as_text=True)
    assert "System status" in english and "Waiting to be sent: 1" in english


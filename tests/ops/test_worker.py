"""The worker (`flask worker run`): two real worker processes on one database send every
e-mail and every webhook exactly once; heartbeats on the status page and in /metrics; failed
mail retried with back-off, then failed, then queued again from the status page."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.helpers import login_as, post_form, run_cli
from tests.support.smtp_server import LocalSMTP, free_port
from tests.support.webhook_receiver import Receiver
from workflow_app.config import PROJECT_ROOT
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.notification import OutboxMessage
from workflow_app.models.webhook import WebhookDelivery
from workflow_app.models.worker import WorkerHeartbeat
from workflow_app.notify.service.mailer import MAX_ATTEMPTS, send_pending
from workflow_app.webhooks.service import subscriptions
from workflow_app.workflow import fire

MESSAGES = 120


@pytest.fixture
def smtp():
    with LocalSMTP() as server:
        yield server


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def _worker_env(config, smtp_port: int, receiver_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DATABASE_"))}
    env.update(DATABASE_URL=config.database_url, WORKFLOW_INSTANCE_DIR=str(config.instance_dir),
               SECRET_KEY=config.secret_key, MAIL_HOST="127.0.0.1", MAIL_PORT=str(smtp_port),
               OUTBOUND_ALLOWED_HOSTS=f"127.0.0.1:{receiver_port}", SESSION_COOKIE_SECURE="0")
    return env


def test_two_worker_processes_send_nothing_twice(app, config, session, tx, make_user,
                                                  make_dossier, submitter, smtp, receiver):
    app.extensions["workflow_config"] = replace(
        config, outbound_allowed_hosts=(f"127.0.0.1:{receiver.port}",))
    admin = make_user("ops-admin", roles=["admin"])
    subscription = subscriptions.create_subscription(
        session, url=receiver.url, events=["dossier.state_changed"], actor=session.merge(admin))
    receiver.secret = subscription.secret
    session.add_all([OutboxMessage(recipient=f"officer{i}@example.vn", subject=f"Thư {i}",
                                   body="Nội dung") for i in range(MESSAGES)])
    session.commit()
    for _ in range(6):
        fire(tx, make_dossier(), "submit", submitter)
        tx.commit()
    tx.close()

    env = _worker_env(config, smtp.port, receiver.port)
    command = [sys.executable, "-m", "flask", "--app", "workflow_app", "worker", "run",
               "--once", "--no-reminders"]
    workers = [subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=240) for w in workers]
    sent_by_each = []
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "stopped" in out
        sent_by_each.append(int(out.split("mail sent ")[1].split(",")[0]))

    # Every queued message (these and the transitions' notices) reached the relay once.
    assert len(smtp.messages) == session.scalar(select(func.count()).select_from(OutboxMessage))
    ours = Counter(str(m["To"]) for m in smtp.messages if str(m["To"]).startswith("officer"))
    assert len(ours) == MESSAGES and set(ours.values()) == {1}
    ids = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(ids) == 6 and set(ids.values()) == {1}
    assert all(r.verified for r in receiver.received)
    session.expire_all()
    assert {row.status for row in session.scalars(select(OutboxMessage))} == {"sent"}
    assert {row.status for row in session.scalars(select(WebhookDelivery))} == {"delivered"}
    assert sum(sent_by_each) == len(smtp.messages)  # what each says it sent, no more
    # --once runs (cron) share one heartbeat row per host, kept "alive" until it ages.
    [beat] = session.scalars(select(WorkerHeartbeat)).all()
    assert beat.id.endswith(":once") and beat.stopped_at is None
    assert beat.pid in {w.pid for w in workers}


def test_heartbeat_on_the_status_page_and_in_metrics(app, config, client, session, make_user,
                                                      make_app, smtp):
    admin = make_user("ops-admin", roles=["admin"])
    login_as(app, client, admin)
    page = client.get("/admin/status").get_data(as_text=True)
    assert "Chưa có tiến trình nền nào chạy" in page

    worker_app = make_app(replace(config, mail_port=smtp.port))
    result = run_cli(worker_app, "worker", "run", "--once")
    assert result.exit_code == 0, result.output
    page = client.get("/admin/status").get_data(as_text=True)
    assert "Tiến trình nền đang chạy" in page and "1 tiến trình nền đang chạy" in page
    assert "Không có tiến trình nền" not in page

    beat = session.scalar(select(WorkerHeartbeat))
    beat.last_beat_at, beat.stopped_at = utcnow() - timedelta(minutes=12), None
    beat.last_error, beat.last_error_at = "OperationalError: the database is down", utcnow()
    session.commit()
    page = client.get("/admin/status").get_data(as_text=True)
    assert "Không có tiến trình nền nào đang chạy" in page
    assert "12 phút trước" in page and "the database is down" in page

    scraped = make_app(replace(config, metrics_token="scrape")).test_client()
    text = scraped.get("/metrics", headers={"Authorization": "Bearer scrape"}).get_data(
        as_text=True)
    assert "tdkt_workers_alive 0.0" in text
    assert 'tdkt_webhook_deliveries{status="failed"} 0.0' in text
    beat.last_beat_at = utcnow()
    session.commit()
    text = scraped.get("/metrics", headers={"Authorization": "Bearer scrape"}).get_data(
        as_text=True)
    assert "tdkt_workers_alive 1.0" in text


def test_failed_mail_backs_off_then_fails_and_is_queued_again_from_the_status_page(
        app, client, session, make_user, smtp):
    session.add(OutboxMessage(recipient="officer@example.vn", subject="Hồ sơ", body="b"))
    session.commit()
    dead = free_port()
    now = utcnow()
    delays = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert send_pending(session, host="127.0.0.1", port=dead, sender="a@b", now=now) == (0, 1)
        assert send_pending(session, host="127.0.0.1", port=dead, sender="a@b", now=now) == (0, 0)
        row = session.scalar(select(OutboxMessage))
        assert row.attempts == attempt and row.last_error.startswith("connect:")
        if row.next_attempt_at is not None:
            delays.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert row.status == "failed"

    admin = make_user("ops-admin", roles=["admin"])
    login_as(app, client, admin)
    page = client.get("/admin/status").get_data(as_text=True)
    assert "Gửi lại các thư lỗi" in page
    answer = post_form(client, "/admin/status/outbox/retry", {}, token_from="/admin/status")
    assert answer.status_code == 302
    session.expire_all()
    row = session.scalar(select(OutboxMessage))
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, None)
    assert session.scalar(select(AuditEvent.data).where(
        AuditEvent.action == "outbox.retried"))["messages"] == 1
    assert send_pending(session, host="127.0.0.1", port=smtp.port, sender="a@b") == (1, 0)
    assert len(smtp.messages) == 1


def test_a_sender_never_takes_a_message_another_holds(session):
    """The lease: a message claimed by one sender (whose lease runs) is not sent by another;
    once the lease has run out, it is."""
    from workflow_app import leases
    session.add(OutboxMessage(recipient="a@example.vn", subject="s", body="b"))
    session.commit()
    now = utcnow()
    due = [OutboxMessage.status == "pending"]
    first, got = leases.claim(session, OutboxMessage, due=due, order_by=OutboxMessage.id,
                              owner="w1", limit=10, lease=timedelta(minutes=10), now=now)
    assert len(got) == 1
    assert leases.claim(session, OutboxMessage, due=due, order_by=OutboxMessage.id,
                        owner="w2", limit=10, lease=timedelta(minutes=10), now=now)[1] == []
    later = now + timedelta(minutes=11)
    second, again = leases.claim(session, OutboxMessage, due=due, order_by=OutboxMessage.id,
                                 owner="w2", limit=10, lease=timedelta(minutes=10), now=later)
    assert again == got and second != first
    db.session.remove()


def test_a_running_worker_beats_and_stops_on_sigterm(config, session, smtp):
    """`flask worker run` (no --once): a heartbeat row of its own while it runs; SIGTERM ends
    it after the current round, marked stopped."""
    import signal
    import time

    env = _worker_env(config, smtp.port, free_port())
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "workflow_app", "worker",
                               "run", "--interval", "1"], cwd=PROJECT_ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        beat = None
        while time.monotonic() < deadline:
            # Read the row afresh each time: the session would otherwise hand back the object
            # it loaded before the first round ended (and wait out the whole deadline).
            beat = session.scalar(select(WorkerHeartbeat).execution_options(populate_existing=True))
            if beat is not None and beat.last_round:
                break
            time.sleep(0.2)
        assert beat is not None and beat.pid == worker.pid and not beat.id.endswith(":once")
        assert beat.stopped_at is None
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert "stopped" in out
    session.expire_all()
    assert session.scalar(select(WorkerHeartbeat.stopped_at)) is not None


def test_with_a_worker_no_request_waits_on_smtp(make_app, config, session, make_dossier,
                                                make_user, submitting_unit, reviewer, smtp):
    """SEND_MAIL_IN_REQUEST=false: the page's change queues the mail and answers at once; the
    worker's round sends it."""
    from tests.support.dossier_factories import post_action

    officer = make_user("submitter-mail", roles=["submitter"], unit=submitting_unit,
                        email="can.bo@example.vn")
    dossier = make_dossier("submitted", creator=officer)
    web = make_app(replace(config, mail_port=smtp.port, send_mail_in_request=False))
    client = web.test_client()
    login_as(web, client, reviewer)
    response = post_action(client, dossier.id, "return_for_supplement", dossier.version,
                           reason="Bổ sung xác nhận sáng kiến")
    assert response.status_code == 302
    assert smtp.messages == []
    session.expire_all()
    query = select(OutboxMessage.status).where(OutboxMessage.recipient == "can.bo@example.vn")
    assert session.scalar(query) == "pending"
    assert run_cli(web, "worker", "run", "--once").exit_code == 0
    assert [m["To"] for m in smtp.messages] == ["can.bo@example.vn"]
    session.expire_all()
    assert session.scalar(query) == "sent"


def test_one_long_lived_worker_sees_what_happens_between_its_rounds(
        app, config, session, tx, make_user, make_dossier, submitter, smtp, receiver):
    """The worker keeps one session for its whole life: each round reads the chain's head,
    the subscriptions and the outbox afresh (a changed address is used at once)."""
    from workflow_app.ops.service.worker import MailSettings, Worker

    app.extensions["workflow_config"] = replace(
        config, outbound_allowed_hosts=(f"127.0.0.1:{receiver.port}",))
    admin = make_user("ops-admin", roles=["admin"])
    subscription = subscriptions.create_subscription(
        session, url=receiver.url + "/old", events=["dossier.state_changed"],
        actor=session.merge(admin))
    receiver.secret = subscription.secret
    session.commit()
    worker_session = db.new_session()
    try:
        worker = Worker(worker_session, MailSettings("127.0.0.1", smtp.port, "a@b"))
        first = worker.run_round(reminders=False)
        assert (first.webhooks_written, first.errors) == (0, [])
        fire(tx, make_dossier(), "submit", submitter)
        tx.commit()
        row = session.get(type(subscription), subscription.id)
        row.url = receiver.url  # the administrator corrected the address meanwhile
        session.add(OutboxMessage(recipient="late@example.vn", subject="s", body="b"))
        session.commit()
        second = worker.run_round(reminders=False)
    finally:
        worker_session.close()
    assert (second.webhooks_written, second.webhooks_delivered, second.mail_sent) == (1, 1, 1)
    assert [r.path for r in receiver.received] == ["/hooks/tdkt"]
    assert [m["To"] for m in smtp.messages if m["To"] == "late@example.vn"]


def test_ready_can_require_a_live_worker(config, session, make_app, smtp):
    """READY_REQUIRES_WORKER: /ready is 503 `no_worker_alive` until a worker beats, and again
    once its beat is older than 5 minutes; off (the default), a worker is not asked for."""
    plain = make_app(config).test_client()
    assert plain.get("/ready").status_code == 200
    strict_app = make_app(replace(config, ready_requires_worker=True, mail_port=smtp.port))
    strict = strict_app.test_client()
    answer = strict.get("/ready")
    assert answer.status_code == 503
    assert answer.get_json()["reason"] == "no_worker_alive"
    assert answer.get_json()["worker_last_beat"] is None
    assert run_cli(strict_app, "worker", "run", "--once").exit_code == 0
    assert strict.get("/ready").status_code == 200
    beat = session.scalar(select(WorkerHeartbeat))
    beat.last_beat_at = utcnow() - timedelta(minutes=6)
    session.commit()
    assert strict.get("/ready").get_json()["reason"] == "no_worker_alive"
    assert plain.get("/ready").status_code == 200

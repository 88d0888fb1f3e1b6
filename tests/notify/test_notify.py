"""Notifications: in-app rows and e-mail through the outbox to a real SMTP server."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.support.helpers import run_cli
from tests.support.smtp_server import LocalSMTP, free_port
from workflow_app.extensions import db
from workflow_app.models import Notification, OutboxMessage
from workflow_app.models.base import utcnow
from workflow_app.notify.service import queue as service
from workflow_app.notify.service.mailer import MAX_ATTEMPTS, send_pending


@pytest.fixture
def smtp():
    with LocalSMTP() as server:
        yield server


def test_mail_is_sent_only_after_commit(session, make_user, smtp):
    user = make_user("officer", email="officer@example.vn")
    writer = db.new_session()
    service.notify(writer, writer.merge(user), "dossier.returned",
                   "Hồ sơ số 12 bị trả lại để bổ sung", link="/dossiers/12")
    writer.rollback()  # the change was rolled back: nothing may leave
    writer.close()
    assert send_pending(session, host="127.0.0.1", port=smtp.port, sender="a@b") == (0, 0)
    assert smtp.messages == []
    assert session.scalars(select(Notification)).all() == []


def test_committed_mail_reaches_the_smtp_server_once(session, make_user, smtp):
    user = make_user("officer", email="officer@example.vn")
    writer = db.new_session()
    service.notify(writer, writer.merge(user), "dossier.returned",
                   "Hồ sơ số 12 bị trả lại để bổ sung", link="/dossiers/12")
    writer.commit()
    writer.close()
    assert send_pending(session, host="127.0.0.1", port=smtp.port,
                        sender="khenthuong@localhost") == (1, 0)
    assert send_pending(session, host="127.0.0.1", port=smtp.port, sender="x@y") == (0, 0)
    [message] = smtp.messages
    assert message["To"] == "officer@example.vn"
    assert "bị trả lại" in message["Subject"]
    assert "/dossiers/12" in message.get_payload(decode=True).decode()
    assert session.scalar(select(OutboxMessage.status)) == "sent"


def test_unreachable_relay_leaves_mail_pending_then_failed(session, make_user):
    user = make_user("officer", email="officer@example.vn")
    service.notify(session, session.merge(user), "k", "message")
    dead = free_port()
    now = utcnow()
    for _ in range(MAX_ATTEMPTS - 1):
        assert send_pending(session, host="127.0.0.1", port=dead, sender="a@b", now=now) == (0, 1)
        assert session.scalar(select(OutboxMessage.status)) == "pending"
        now = session.scalar(select(OutboxMessage.next_attempt_at))  # the back-off's end
    send_pending(session, host="127.0.0.1", port=dead, sender="a@b", now=now)
    row = session.scalar(select(OutboxMessage))
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS and row.last_error


def test_user_without_address_gets_only_the_in_app_notification(session, make_user):
    user = make_user("officer")
    service.notify(session, session.merge(user), "k", "message")
    assert len(session.scalars(select(Notification)).all()) == 1
    assert session.scalars(select(OutboxMessage)).all() == []


def test_cli_sends_the_outbox(config, session, make_user, make_app, smtp):
    app = make_app(replace(config, mail_port=smtp.port))
    user = make_user("officer", email="officer@example.vn")
    service.notify(session, session.merge(user), "k", "Thông báo")
    result = run_cli(app, "notify", "send")
    assert "Sent 1" in result.output
    assert len(smtp.messages) == 1


def test_mailed_link_is_absolute_when_the_public_address_is_configured(app, make_user, smtp):
    user = make_user("officer", email="officer@example.vn")
    configured = replace(app.extensions["workflow_config"], public_base_url="https://tdkt.example.vn")
    with app.app_context():
        app.extensions["workflow_config"] = configured
        writer = db.new_session()
        service.notify(writer, writer.merge(user), "dossier.returned", "Hồ sơ số 12",
                       link="/dossiers/12")
        writer.commit()
        writer.close()
    reader = db.autocommit_session()
    send_pending(reader, host="127.0.0.1", port=smtp.port, sender="a@b")
    reader.close()
    [message] = smtp.messages
    assert "https://tdkt.example.vn/dossiers/12" in message.get_payload(decode=True).decode()


def test_in_app_link_stays_a_path_and_unconfigured_mail_keeps_the_path(session, make_user, smtp):
    user = make_user("officer", email="officer@example.vn")
    service.notify(session, session.merge(user), "k", "m", link="/dossiers/7")
    assert session.scalar(select(Notification.link)) == "/dossiers/7"
    assert session.scalar(select(OutboxMessage.body)).endswith("\n\n/dossiers/7")

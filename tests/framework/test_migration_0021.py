"""Revision 0021 (worker heartbeats, the outbox's lease and back-off, webhooks) up and down
with e-mail waiting in the outbox, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from workflow_app.migrate import downgrade, upgrade

NEW_TABLES = {"worker_heartbeat", "webhook_subscription", "webhook_delivery"}
NEW_COLUMNS = {"next_attempt_at", "claimed_by", "claimed_until"}


def _outbox(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, recipient, status, attempts, last_error FROM outbox_message ORDER BY id"))]


def test_0021_up_and_down_keeps_the_outbox(scratch_engine):
    upgrade(scratch_engine, "0020")
    with scratch_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO outbox_message (recipient, subject, body, status, attempts, last_error, "
            "created_at) VALUES ('a@example.vn', 's', 'b', 'pending', 2, 'timeout', "
            "CURRENT_TIMESTAMP), ('b@example.vn', 's', 'b', 'failed', 5, 'refused', "
            "CURRENT_TIMESTAMP)"))
    before = _outbox(scratch_engine)
    upgrade(scratch_engine, "0021")
    assert set(inspect(scratch_engine).get_table_names()) >= NEW_TABLES
    columns = {c["name"] for c in inspect(scratch_engine).get_columns("outbox_message")}
    assert columns >= NEW_COLUMNS
    assert _outbox(scratch_engine) == before
    with scratch_engine.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT claimed_by FROM outbox_message")).all() == [("",)]
    with pytest.raises(IntegrityError), scratch_engine.begin() as conn:
        conn.execute(text("UPDATE outbox_message SET status = 'lost'"))  # the check holds
    downgrade(scratch_engine, "0020")
    assert not NEW_TABLES & set(inspect(scratch_engine).get_table_names())
    columns = {c["name"] for c in inspect(scratch_engine).get_columns("outbox_message")}
    assert not NEW_COLUMNS & columns
    assert _outbox(scratch_engine) == before

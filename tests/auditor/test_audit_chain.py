"""The audit chain: append-only in the database, every kind of tampering detected."""

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from workflow_app.audit.chain import record
from workflow_app.audit.verify import verify_chain
from workflow_app.extensions import db
from workflow_app.models import AuditEvent


def _write_events(session, n=5):
    for i in range(n):
        record(session, "test.event", "thing", i, actor_label="tester",
               data={"n": i, "name": "Nguyễn Văn Ánh"})
    session.commit()


@pytest.fixture
def writer(app):
    s = db.new_session()
    yield s
    s.close()


def _bypass_triggers(conn):
    """What an attacker with database-owner rights could do: switch the triggers off."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
    else:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")


def _tamper(sql, **params):
    with db.engine.begin() as conn:
        _bypass_triggers(conn)
        conn.execute(text(sql), params)


def test_an_untouched_chain_verifies(writer, session):
    _write_events(writer)
    result = verify_chain(session)
    assert result.ok and result.checked == 5


def test_events_carry_a_linked_hash_chain(writer, session):
    _write_events(writer, 3)
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert events[0].data == {"n": 0, "name": "Nguyễn Văn Ánh"}


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET action = 'x' WHERE seq = 1",
    "DELETE FROM audit_event WHERE seq = 1",
])
def test_the_database_refuses_to_change_or_delete_events(writer, statement):
    _write_events(writer, 1)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))


def test_a_changed_event_is_named_by_its_seq(writer, session):
    _write_events(writer)
    _tamper("UPDATE audit_event SET actor_label = 'someone else' WHERE seq = 3")
    result = verify_chain(session)
    assert not result.ok and result.first_bad_seq == 3
    assert "hash" in result.reason


def test_a_deleted_event_is_named_by_its_seq(writer, session):
    _write_events(writer)
    _tamper("DELETE FROM audit_event WHERE seq = 2")
    result = verify_chain(session)
    assert not result.ok and result.first_bad_seq == 2


def test_an_inserted_event_is_named_by_its_seq(writer, session):
    _write_events(writer)
    # A forger renumbers the tail and slips an event in at seq 4, with a plausible hash.
    _tamper("UPDATE audit_event SET seq = seq + 100 WHERE seq >= 4")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_event (seq, occurred_at, actor_id, actor_label, action, "
            "subject_type, subject_id, from_state, to_state, data, prev_hash, hash) "
            "SELECT 4, occurred_at, actor_id, 'forger', action, subject_type, subject_id, "
            "from_state, to_state, data, hash, :fake FROM audit_event WHERE seq = 3"),
            {"fake": "f" * 64})
    result = verify_chain(session)
    assert not result.ok and result.first_bad_seq == 4


def test_events_removed_from_the_end_are_noticed_through_the_head(writer, session):
    _write_events(writer)
    _tamper("DELETE FROM audit_event WHERE seq = 5")
    result = verify_chain(session)
    assert not result.ok and result.first_bad_seq == 5


def test_concurrent_writers_extend_one_chain_without_forking(app, session):
    errors = []

    def work(worker):
        s = db.new_session()
        try:
            for i in range(10):
                record(s, "test.concurrent", "thing", f"{worker}-{i}", actor_label=str(worker))
                s.commit()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = verify_chain(session)
    assert result.ok and result.checked == 40

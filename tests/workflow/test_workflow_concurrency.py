"""Concurrent transitions on one dossier: exactly one wins, the others get a 409.

Each thread has its own session (`db.new_session()`), as concurrent requests do. SQLite
serialises the writers with BEGIN IMMEDIATE; PostgreSQL with the row lock (`FOR UPDATE`).
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from workflow_app.audit.verify import verify_chain
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User
from workflow_app.workflow import InvalidTransition, StaleVersion, WorkflowError, fire

THREADS = 6


def _race(app, dossier_id: int, user_id: int, attempts: list[tuple[str, dict]]) -> Counter:
    """Fire every attempt at once from its own thread and session; count the outcomes."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def attempt(trigger: str, kwargs: dict) -> None:
        with app.app_context():
            session = db.new_session()
            try:
                barrier.wait(timeout=10)
                dossier = session.get(Dossier, dossier_id)
                fire(session, dossier, trigger, session.get(User, user_id), **kwargs)
                session.commit()
                outcomes.append("ok")
            except WorkflowError as error:
                session.rollback()
                outcomes.append(f"{type(error).__name__}:{error.status}")
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                session.rollback()
                outcomes.append(f"unexpected {error!r}")
            finally:
                session.close()

    threads = [threading.Thread(target=attempt, args=a) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return Counter(outcomes)


def _events_for(session, dossier_id: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "dossier", AuditEvent.subject_id == str(dossier_id),
        AuditEvent.action != "dossier.created", AuditEvent.action != "dossier.test_placed")
        .order_by(AuditEvent.seq)))


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-race", roles=["reviewer"])


def test_racing_different_actions_with_the_same_version(app, session, make_dossier, reviewer):
    dossier = make_dossier("submitted")
    version = dossier.version
    attempts = [("accept", {"expected_version": version}) if i % 2 else
                ("return_for_supplement", {"expected_version": version, "reason": f"#{i}"})
                for i in range(THREADS)]
    outcomes = _race(app, dossier.id, reviewer.id, attempts)
    assert outcomes == Counter({"ok": 1, "StaleVersion:409": THREADS - 1}), outcomes
    stored = session.get(Dossier, dossier.id)
    assert stored.version == version + 1
    events = _events_for(session, dossier.id)
    assert len(events) == 1 and events[0].to_state == stored.state
    assert stored.state in {"in_appraisal", "returned"}
    assert verify_chain(session).ok


def test_racing_the_same_action_without_a_version(app, session, make_dossier, reviewer):
    dossier = make_dossier("submitted")
    outcomes = _race(app, dossier.id, reviewer.id, [("accept", {})] * THREADS)
    assert outcomes == Counter({"ok": 1, "InvalidTransition:409": THREADS - 1}), outcomes
    assert session.get(Dossier, dossier.id).state == "in_appraisal"
    assert len(_events_for(session, dossier.id)) == 1
    assert verify_chain(session).ok


def test_racing_dossiers_each_get_their_own_transition(app, session, make_dossier, reviewer):
    """Different dossiers do not block each other out: every one of them moves once."""
    ids = [make_dossier("submitted").id for _ in range(3)]
    barrier_outcomes = Counter()
    for dossier_id in ids:
        barrier_outcomes += _race(app, dossier_id, reviewer.id, [("accept", {})] * 2)
    assert barrier_outcomes == Counter({"ok": 3, "InvalidTransition:409": 3})
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "dossier.accept"))
    assert total == 3
    assert verify_chain(session).ok


def test_stale_and_invalid_are_conflicts():
    assert StaleVersion().status == InvalidTransition().status == 409

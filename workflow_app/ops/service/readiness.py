"""Readiness for load balancers: the database answers and its schema is at the code's head;
optionally (READY_REQUIRES_WORKER) a worker's heartbeat is recent."""

from __future__ import annotations

from datetime import UTC, timedelta

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from workflow_app.migrate import alembic_config
from workflow_app.models.base import utcnow
from workflow_app.models.worker import WorkerHeartbeat


def code_heads() -> set[str]:
    """The revisions the code's migrations end at."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def database_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (empty when never migrated)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def last_worker_beat(engine: Engine):
    """The latest heartbeat of a worker that has not stopped (None: none)."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(WorkerHeartbeat.last_beat_at))
                                  .where(WorkerHeartbeat.stopped_at.is_(None))).scalar()


def readiness(engine: Engine, *, require_worker: bool = False,
              worker_within: timedelta = timedelta(minutes=5)) -> tuple[bool, dict]:
    """(ready?, the JSON body): `reason` names what is wrong when not ready."""
    try:
        current = database_revisions(engine)
    except SQLAlchemyError as exc:
        return False, {"status": "not_ready", "reason": "database_unreachable",
                       "detail": type(exc.orig if getattr(exc, "orig", None) else exc).__name__}
    heads = code_heads()
    body = {"database": "ok", "migration": sorted(current), "head": sorted(heads)}
    if current != heads:
        return False, {"status": "not_ready", "reason": "migrations_not_at_head", **body}
    if require_worker:
        beat = last_worker_beat(engine)
        if beat is not None and beat.tzinfo is None:  # SQLite keeps naive UTC text
            beat = beat.replace(tzinfo=UTC)
        body["worker_last_beat"] = beat.isoformat() if beat else None
        if beat is None or utcnow() - beat > worker_within:
            return False, {"status": "not_ready", "reason": "no_worker_alive", **body}
    return True, {"status": "ready", **body}

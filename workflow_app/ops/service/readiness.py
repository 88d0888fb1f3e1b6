"""Readiness for load balancers: the database answers and its schema is at the code's head."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from workflow_app.migrate import alembic_config


def code_heads() -> set[str]:
    """The revisions the code's migrations end at."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def database_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (empty when never migrated)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def readiness(engine: Engine) -> tuple[bool, dict]:
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
    return True, {"status": "ready", **body}

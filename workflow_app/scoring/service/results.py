"""Approving and publishing the results. Locking stores each scored member's total, band and
rank (scores are frozen); publishing writes each band's registry rating (`UnitRating`) for
the year, which eligibility rules then read. Audited `scoring.locked`, `scoring.published`."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.base import utcnow
from workflow_app.models.registry import UnitRating
from workflow_app.models.scoring import ScoreResult, ScoreTable
from workflow_app.models.user import User
from workflow_app.scoring.service.access import ScoringError, may_organise
from workflow_app.scoring.service.ranking import ranking
from workflow_app.scoring.service.scores import lock_table
from workflow_app.workflow import Forbidden


def lock_results(session: Session, actor: User, table: ScoreTable, expected_version) -> None:
    """Approve the results: store each scored member's total, band and rank; scores are
    frozen. A member nobody scored gets no result (no band, no rating), and is named in the
    audit event; a table nobody scored cannot be approved."""
    if not may_organise(actor, table):
        raise Forbidden(_l("Only the organiser's standing agency approves the results."))
    lock_table(session, table, expected_version, actor)
    if table.status != "open":
        raise ScoringError(_l("The results are already locked."))
    everyone = ranking(session, table)
    rows = [row for row in everyone if row.scored]
    if not rows:
        raise ScoringError(_l("No member has been scored yet: there are no results to "
                              "approve."))
    for row in rows:
        session.add(ScoreResult(table_id=table.id, unit_id=row.unit_id, total_cp=row.total_cp,
                                band=row.band["code"] if row.band else "", rank=row.rank,
                                tied=row.tied))
    table.status, table.locked_at = "locked", utcnow()
    table.version += 1
    session.flush()
    record(session, "scoring.locked", "score_table", table.id, actor=actor,
           data={"version": table.version, "results": [
               {"unit_id": r.unit_id, "total_cp": r.total_cp, "rank": r.rank,
                "band": r.band["code"] if r.band else ""} for r in rows],
                 "not_scored": [r.unit_id for r in everyone if not r.scored]})


def publish_results(session: Session, actor: User, table: ScoreTable, expected_version,
                    *, now: datetime | None = None) -> list[UnitRating]:
    """Publish locked results to the members, and write each band's rating to the registry
    as the unit's rating for the table's year (replacing a rating typed in before)."""
    if not may_organise(actor, table):
        raise Forbidden(_l("Only the organiser's standing agency publishes the results."))
    lock_table(session, table, expected_version, actor)
    if table.status != "locked":
        raise ScoringError(_l("Lock the results before publishing them."))
    bands = {b["code"]: b for b in table.bands}
    written, replaced = [], []
    results = list(session.scalars(select(ScoreResult).where(ScoreResult.table_id == table.id)))
    for result in results:
        rating = (bands.get(result.band) or {}).get("rating")
        if not rating:
            continue
        row = session.scalar(select(UnitRating).where(UnitRating.unit_id == result.unit_id,
                                                      UnitRating.year == table.year))
        if row is None:
            row = UnitRating(unit_id=result.unit_id, year=table.year, rating=rating)
            session.add(row)
        elif row.rating != rating:
            replaced.append({"unit_id": result.unit_id, "was": row.rating})
            row.rating = rating
        written.append(row)
    table.status, table.published_at = "published", now or utcnow()
    table.version += 1
    session.flush()
    record(session, "scoring.published", "score_table", table.id, actor=actor,
           data={"version": table.version, "year": table.year,
                 "ratings": [{"unit_id": r.unit_id, "rating": r.rating} for r in written],
                 "replaced": replaced})
    return written

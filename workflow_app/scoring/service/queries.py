"""What the scoring pages and operations read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import NotFound

from workflow_app.models.scoring import ScoreCriterion, ScoreEntry, ScoreGroup, ScoreTable


def table_or_404(session: Session, table_id: int) -> ScoreTable:
    table = session.scalar(select(ScoreTable).where(ScoreTable.id == table_id).options(
        selectinload(ScoreTable.groups).selectinload(ScoreGroup.criteria)))
    if table is None:
        raise NotFound()
    return table


def tables_of_movement(session: Session, movement_id: int) -> list[ScoreTable]:
    return list(session.scalars(select(ScoreTable).where(ScoreTable.movement_id == movement_id)
                                .order_by(ScoreTable.id)))


def tables_of_cluster(session: Session, cluster_id: int) -> list[ScoreTable]:
    return list(session.scalars(select(ScoreTable).where(ScoreTable.cluster_id == cluster_id)
                                .order_by(ScoreTable.year.desc(), ScoreTable.id)))


def all_tables(session: Session) -> list[ScoreTable]:
    return list(session.scalars(select(ScoreTable).order_by(ScoreTable.year.desc(),
                                                            ScoreTable.id.desc()).limit(200)))


def entries_of(session: Session, table: ScoreTable, unit_id: int) -> dict[int, ScoreEntry]:
    return {e.criterion_id: e for e in session.scalars(
        select(ScoreEntry).where(ScoreEntry.table_id == table.id,
                                 ScoreEntry.unit_id == unit_id))}


def criteria_of(table: ScoreTable) -> list[ScoreCriterion]:
    return [c for g in table.groups for c in g.criteria]

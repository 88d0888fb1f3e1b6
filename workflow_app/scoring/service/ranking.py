"""Totals, classification and ranking (xếp loại, xếp hạng), computed in SQL, and the
recorded results eligibility rules read.

A member that nobody has scored yet (no own and no assessor's score on any criterion) is
"not scored yet": it has no total, no band and no rank, and comes after the ranked members.
The others are ranked by a window RANK over their totals (the assessor's score where given,
else the unit's own): tied members share a rank and are named.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from workflow_app.models.org import OrgUnit
from workflow_app.models.scoring import ScoreEntry, ScoreResult, ScoreTable
from workflow_app.scoring.service.access import member_ids_query


@dataclass(frozen=True)
class RankRow:
    unit_id: int
    unit_name: str
    self_cp: int
    total_cp: int
    rank: int | None  # None: not scored yet
    tied_with: tuple[str, ...]  # the other members sharing this rank
    band: dict | None

    @property
    def scored(self) -> bool:
        return self.rank is not None

    @property
    def tied(self) -> bool:
        return bool(self.tied_with)


def band_for(bands: list[dict], total_cp: int) -> dict | None:
    for band in sorted(bands or [], key=lambda b: -b["min_cp"]):
        if total_cp >= band["min_cp"]:
            return band
    return None


def ranking(session: Session, table: ScoreTable) -> list[RankRow]:
    """Every member's totals and rank, computed in SQL in one statement: the assessor's
    score where given, else the unit's own. Members not scored yet come last, unranked."""
    ids = member_ids_query(table).subquery()
    sums = (select(ScoreEntry.unit_id.label("unit_id"),
                   func.sum(func.coalesce(ScoreEntry.assessed_cp, ScoreEntry.self_cp, 0))
                   .label("total"),
                   func.sum(func.coalesce(ScoreEntry.self_cp, 0)).label("own"),
                   func.count(func.coalesce(ScoreEntry.assessed_cp, ScoreEntry.self_cp))
                   .label("scored"))
            .where(ScoreEntry.table_id == table.id).group_by(ScoreEntry.unit_id).subquery())
    total = func.coalesce(sums.c.total, 0)
    unscored = case((func.coalesce(sums.c.scored, 0) > 0, 0), else_=1)
    rank = func.rank().over(order_by=(unscored, total.desc()))
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.name, func.coalesce(sums.c.own, 0), total, rank, unscored)
        .select_from(ids).join(OrgUnit, OrgUnit.id == ids.c.unit_id)
        .outerjoin(sums, sums.c.unit_id == ids.c.unit_id)
        .order_by(rank, OrgUnit.name)).all()
    by_rank: dict[int, list[str]] = {}
    for row in rows:
        if not row[5]:
            by_rank.setdefault(row[4], []).append(row[1])
    return [RankRow(row[0], row[1], int(row[2]), int(row[3]), None, (), None) if row[5]
            else RankRow(row[0], row[1], int(row[2]), int(row[3]), int(row[4]),
                         tuple(n for n in by_rank[row[4]] if n != row[1]),
                         band_for(table.bands, int(row[3]))) for row in rows]


def leaders(session: Session, unit_id: int, year: int) -> list[tuple[ScoreTable, ScoreResult]]:
    """Published tables of `year` where the unit ranked first (alone or tied)."""
    return list(session.execute(
        select(ScoreTable, ScoreResult).join(ScoreResult, ScoreResult.table_id == ScoreTable.id)
        .where(ScoreResult.unit_id == unit_id, ScoreResult.rank == 1,
               ScoreTable.year == year, ScoreTable.status == "published")).all())


def results_of(session: Session, unit_id: int, year: int) -> list[tuple[ScoreTable, ScoreResult]]:
    return list(session.execute(
        select(ScoreTable, ScoreResult).join(ScoreResult, ScoreResult.table_id == ScoreTable.id)
        .where(ScoreResult.unit_id == unit_id, ScoreTable.year == year,
               ScoreTable.status == "published")).all())

"""Criteria tables, scores, classification and ranking (chấm điểm, xếp loại, xếp hạng).

Who:
- the organiser (reviewer over the movement's organising unit, or over the cluster's
  organising unit) creates a table, names its assessing unit, locks and publishes it;
- each member unit scores itself (submitter or reviewer over the member unit), with notes;
- the assessing unit (submitter or reviewer over it: the cluster head, or the standing
  agency) scores each member — never itself — and gives a reason where its score differs.

Rules: a standard or bonus item scores 0…max, a penalty item −max…0; nothing is scored on a
locked table; each save sends the table's `version` and bumps it (two assessors saving at
once: the second gets 409 "reload", nothing lost). The ranking is computed in SQL (a window
RANK over the members' totals: tied members share a rank and are named). Locking writes the
results (total, band, rank); publishing writes each band's registry rating (`UnitRating`)
for the year, which eligibility rules then read. Every write flushes, is audited, never
commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.base import utcnow
from workflow_app.models.movement import Movement, MovementParticipant
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit
from workflow_app.models.registry import RATINGS, UnitRating
from workflow_app.models.scoring import (
    CRITERION_KINDS,
    ScoreCriterion,
    ScoreEntry,
    ScoreGroup,
    ScoreResult,
    ScoreTable,
)
from workflow_app.models.user import User
from workflow_app.scoring.service.points import parse_points, show_points
from workflow_app.workflow import Forbidden, StaleVersion

ORGANISER_ROLES = ("reviewer",)
SCORER_ROLES = ("submitter", "reviewer")
READER_ROLES = ("submitter", "reviewer", "secretary", "chair", "council_member", "signer",
                "auditor")
MAX_CRITERIA = 500
MAX_BANDS = 10
NOTE_MAX = 4000


class ScoringError(ValueError):
    """A refused change; `message` is shown next to the form or as a 422 reason."""

    def __init__(self, message, field_name: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field_name


def stale() -> StaleVersion:
    return StaleVersion(_l("This score table was changed by someone else meanwhile. Reload "
                           "the page: nothing of yours was saved."))


# ------------------------------------------------------------------------- who may do what

def organising_unit(table: ScoreTable) -> OrgUnit:
    return table.movement.unit if table.movement is not None else table.cluster.organiser


def may_organise(user: User | None, table: ScoreTable) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(organising_unit(table), *ORGANISER_ROLES))


def may_assess(user: User | None, table: ScoreTable) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(table.assessor, *SCORER_ROLES))


def may_self_score(user: User | None, unit: OrgUnit) -> bool:
    return bool(user is not None and user.is_active and user.can_see_unit(unit, *SCORER_ROLES))


def may_read(user: User | None, table: ScoreTable, session: Session) -> bool:
    """Organisers, the assessor, auditors and every member unit read the table; a member
    reads every unit's scores only once the results are published."""
    if user is None or not user.is_active:
        return False
    if user.has_role("auditor") or may_organise(user, table) or may_assess(user, table):
        return True
    return any(user.can_see_unit(unit, *READER_ROLES) for unit in members(session, table))


def sees_all_units(user: User | None, table: ScoreTable) -> bool:
    return bool(user is not None and (table.status == "published" or user.has_role("auditor")
                                      or may_organise(user, table) or may_assess(user, table)))


# ------------------------------------------------------------------------------ members

def member_ids_query(table: ScoreTable):
    """The member units' ids, as a SELECT (the movement's participants, or the cluster's
    members of the table's year)."""
    if table.movement_id is not None:
        return select(MovementParticipant.unit_id.label("unit_id")).where(
            MovementParticipant.movement_id == table.movement_id)
    return select(ClusterMembership.unit_id.label("unit_id")).where(
        ClusterMembership.cluster_id == table.cluster_id, ClusterMembership.year == table.year)


def members(session: Session, table: ScoreTable) -> list[OrgUnit]:
    ids = member_ids_query(table).subquery()
    return list(session.scalars(select(OrgUnit).join(ids, OrgUnit.id == ids.c.unit_id)
                                .order_by(OrgUnit.name)))


# ------------------------------------------------------------------------------ creating

@dataclass
class CriterionSpec:
    title: str
    max_points: Any
    kind: str = "standard"
    code: str = ""
    guidance: str = ""


@dataclass
class GroupSpec:
    title: str
    criteria: list[CriterionSpec]
    code: str = ""


def _bands(raw: list[dict]) -> list[dict]:
    if not raw:
        raise ScoringError(_l("Give at least one band (e.g. A from 90 points)."), "bands")
    if len(raw) > MAX_BANDS:
        raise ScoringError(_l("At most %(max)d bands.", max=MAX_BANDS), "bands")
    bands, codes = [], set()
    for band in raw:
        code = str(band.get("code") or "").strip()[:20]
        label_vi = str(band.get("label_vi") or "").strip()[:120]
        label_en = str(band.get("label_en") or "").strip()[:120] or label_vi
        rating = band.get("rating") or None
        try:
            minimum = parse_points(band.get("min_points"))
        except ValueError:
            minimum = None
        if not code or not label_vi or minimum is None or code in codes:
            raise ScoringError(_l("Each band needs a distinct code, a name and its lowest "
                                  "total (e.g. A, Xuất sắc, 90)."), "bands")
        if rating is not None and rating not in RATINGS:
            raise ScoringError(_l("A band's registry rating must be one of the registry's "
                                  "ratings."), "bands")
        codes.add(code)
        bands.append({"code": code, "label_vi": label_vi, "label_en": label_en,
                      "min_cp": minimum, "rating": rating})
    return sorted(bands, key=lambda b: -b["min_cp"])


def create_table(session: Session, actor: User, *, title: str, year: int,
                 assessor: OrgUnit, groups: list[GroupSpec], bands: list[dict],
                 movement: Movement | None = None, cluster: Cluster | None = None) -> ScoreTable:
    if (movement is None) == (cluster is None):
        raise ScoringError(_l("A table belongs to one movement or to one cluster's year."))
    owner_unit = movement.unit if movement is not None else cluster.organiser
    if actor is None or not actor.can_see_unit(owner_unit, *ORGANISER_ROLES):
        raise Forbidden(_l("Only the organiser's standing agency sets the criteria table."))
    title = str(title or "").strip()
    if not title or len(title) > 255:
        raise ScoringError(_l("Give the table a name (at most 255 characters)."), "title")
    if not 1945 <= int(year or 0) <= 2200:
        raise ScoringError(_l("The year must be between 1945 and 2200."), "year")
    if not groups or not any(g.criteria for g in groups):
        raise ScoringError(_l("Give at least one group with one criterion."), "groups")
    if sum(len(g.criteria) for g in groups) > MAX_CRITERIA:
        raise ScoringError(_l("At most %(max)d criteria.", max=MAX_CRITERIA), "groups")
    table = ScoreTable(movement_id=getattr(movement, "id", None),
                       cluster_id=getattr(cluster, "id", None), year=year, title=title,
                       assessor_unit_id=assessor.id, bands=_bands(bands),
                       created_by_id=actor.id)
    session.add(table)
    session.flush()
    for g_index, spec in enumerate(groups, 1):
        group_title = str(spec.title or "").strip()[:500]
        if not group_title:
            raise ScoringError(_l("Group %(n)d has no title.", n=g_index), "groups")
        group = ScoreGroup(table_id=table.id, position=g_index, code=str(spec.code)[:20],
                           title=group_title)
        session.add(group)
        session.flush()
        for c_index, item in enumerate(spec.criteria, 1):
            session.add(_criterion(table, group, c_index, item))
    session.flush()
    record(session, "scoring.table_created", "score_table", table.id, actor=actor,
           data={"title": title, "year": year, "movement_id": table.movement_id,
                 "cluster_id": table.cluster_id, "assessor_unit_id": assessor.id,
                 "criteria": sum(len(g.criteria) for g in groups)})
    return table


def _criterion(table: ScoreTable, group: ScoreGroup, position: int,
               item: CriterionSpec) -> ScoreCriterion:
    where = f"{group.code or group.position}.{position}"
    title = str(item.title or "").strip()[:500]
    if not title:
        raise ScoringError(_l("Criterion %(where)s has no title.", where=where), "groups")
    if item.kind not in CRITERION_KINDS:
        raise ScoringError(_l("Criterion %(where)s: the kind is standard, bonus or penalty.",
                              where=where), "groups")
    try:
        maximum = parse_points(item.max_points)
    except ValueError:
        maximum = None
    if maximum is None or maximum <= 0:
        raise ScoringError(_l("Criterion %(where)s: the maximum must be a positive number of "
                              "points.", where=where), "groups")
    return ScoreCriterion(table_id=table.id, group_id=group.id, position=position,
                          code=str(item.code or "")[:20], title=title, kind=item.kind,
                          max_cp=maximum, guidance=str(item.guidance or "")[:4000])


# ------------------------------------------------------------------------------- scoring

def lock_table(session: Session, table: ScoreTable, expected_version) -> None:
    """Lock the table's row (PostgreSQL: FOR UPDATE; SQLite: the write transaction is
    exclusive), reload it and compare the version the client saw: 409 when it changed."""
    row = session.execute(
        select(ScoreTable).where(ScoreTable.id == table.id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None:
        raise ScoringError(_l("This score table no longer exists."))
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ScoringError(_l("The table version sent with the form is not valid.")) from None
    if expected != table.version:
        raise stale()


@dataclass
class ScoreInput:
    criterion_id: int
    points: Any  # text or number; empty clears the score
    note: str = ""  # self: the evidence note; assessor: the reason for a difference
    evidence: tuple[str, str] | None = None  # self: a stored file (sha256, file name)


def save_scores(session: Session, actor: User, table: ScoreTable, unit: OrgUnit, side: str,
                expected_version, inputs: list[ScoreInput]) -> int:
    """Save one unit's scores, its own (`side="self"`) or the assessor's (`"assessor"`).
    All or nothing: the first bad line refuses the whole save. Returns the new version."""
    if side not in ("self", "assessor"):
        raise ScoringError(_l("Unknown side."))
    if unit.id not in {u.id for u in members(session, table)}:
        raise ScoringError(_l("%(unit)s is not a member of this table.", unit=unit.name),
                           "unit_id")
    if side == "self" and not may_self_score(actor, unit):
        raise Forbidden(_l("Only the unit's own officers score it themselves."))
    if side == "assessor":
        if not may_assess(actor, table):
            raise Forbidden(_l("Only the assessing unit scores the members."))
        if unit.id == table.assessor_unit_id:
            raise ScoringError(_l("The assessing unit cannot assess itself: its own score is "
                                  "checked by the organiser."), "unit_id")
    lock_table(session, table, expected_version)
    if table.status != "open":
        raise ScoringError(_l("The table is locked: its scores can no longer change."))
    criteria = {c.id: c for c in session.scalars(
        select(ScoreCriterion).where(ScoreCriterion.table_id == table.id))}
    entries = {e.criterion_id: e for e in session.scalars(
        select(ScoreEntry).where(ScoreEntry.table_id == table.id,
                                 ScoreEntry.unit_id == unit.id))}
    changed = []
    for line, item in enumerate(inputs, 1):
        criterion = criteria.get(int(item.criterion_id))
        if criterion is None:
            raise ScoringError(_l("Line %(line)d: not a criterion of this table.", line=line),
                               "scores")
        points = _checked_points(criterion, item.points)
        note = str(item.note or "").replace("\x00", "").strip()[:NOTE_MAX]
        entry = entries.get(criterion.id)
        if entry is None:
            entry = ScoreEntry(table_id=table.id, criterion_id=criterion.id, unit_id=unit.id)
            session.add(entry)
            entries[criterion.id] = entry
        if side == "self":
            if (entry.self_cp, entry.self_note) != (points, note):
                entry.self_cp, entry.self_note = points, note
                changed.append(criterion.id)
            if item.evidence is not None:
                entry.evidence_sha256, entry.evidence_filename = item.evidence
                changed.append(criterion.id)
        else:
            if points is not None and points != entry.self_cp and not note:
                raise ScoringError(_l("%(code)s %(title)s: give the reason why your score "
                                      "differs from the unit's own (%(own)s).",
                                      code=criterion.code, title=criterion.title,
                                      own=show_points(entry.self_cp) or "—"), "scores")
            if (entry.assessed_cp, entry.reason) != (points, note):
                entry.assessed_cp, entry.reason = points, note
                changed.append(criterion.id)
        entry.updated_by_id, entry.updated_at = actor.id, utcnow()
    table.version += 1
    session.flush()
    record(session, f"scoring.{side}_scored", "score_table", table.id, actor=actor,
           data={"unit_id": unit.id, "criteria": changed, "version": table.version})
    return table.version


def _checked_points(criterion: ScoreCriterion, value) -> int | None:
    args = {"code": criterion.code, "title": criterion.title,
            "max": show_points(criterion.max_cp)}
    try:
        points = parse_points(value)
    except ValueError:
        raise ScoringError(_l("%(code)s %(title)s: write the points as a number with at most "
                              "two decimals.", **args), "scores") from None
    if points is None:
        return None
    if criterion.kind == "penalty":
        if not -criterion.max_cp <= points <= 0:
            raise ScoringError(_l("%(code)s %(title)s is a penalty: from -%(max)s to 0 "
                                  "points.", **args), "scores")
    elif points < 0:
        raise ScoringError(_l("%(code)s %(title)s: a negative score is allowed only on a "
                              "penalty item.", **args), "scores")
    elif points > criterion.max_cp:
        raise ScoringError(_l("%(code)s %(title)s: at most %(max)s points.", **args),
                           "scores")
    return points


# ------------------------------------------------------------------------------- ranking

@dataclass(frozen=True)
class RankRow:
    unit_id: int
    unit_name: str
    self_cp: int
    total_cp: int
    rank: int
    tied_with: tuple[str, ...]  # the other members sharing this rank
    band: dict | None

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
    score where given, else the unit's own; a member without scores totals 0."""
    ids = member_ids_query(table).subquery()
    sums = (select(ScoreEntry.unit_id.label("unit_id"),
                   func.sum(func.coalesce(ScoreEntry.assessed_cp, ScoreEntry.self_cp, 0))
                   .label("total"),
                   func.sum(func.coalesce(ScoreEntry.self_cp, 0)).label("own"))
            .where(ScoreEntry.table_id == table.id).group_by(ScoreEntry.unit_id).subquery())
    total = func.coalesce(sums.c.total, 0)
    rank = func.rank().over(order_by=total.desc())
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.name, func.coalesce(sums.c.own, 0), total, rank)
        .select_from(ids).join(OrgUnit, OrgUnit.id == ids.c.unit_id)
        .outerjoin(sums, sums.c.unit_id == ids.c.unit_id)
        .order_by(rank, OrgUnit.name)).all()
    by_rank: dict[int, list[str]] = {}
    for row in rows:
        by_rank.setdefault(row[4], []).append(row[1])
    return [RankRow(row[0], row[1], int(row[2]), int(row[3]), int(row[4]),
                    tuple(n for n in by_rank[row[4]] if n != row[1]),
                    band_for(table.bands, int(row[3]))) for row in rows]


# ------------------------------------------------------------------------ lock, publish

def lock_results(session: Session, actor: User, table: ScoreTable, expected_version) -> None:
    """Approve the results: store each member's total, band and rank; scores are frozen."""
    if not may_organise(actor, table):
        raise Forbidden(_l("Only the organiser's standing agency approves the results."))
    lock_table(session, table, expected_version)
    if table.status != "open":
        raise ScoringError(_l("The results are already locked."))
    rows = ranking(session, table)
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
                "band": r.band["code"] if r.band else ""} for r in rows]})


def publish_results(session: Session, actor: User, table: ScoreTable, expected_version,
                    *, now: datetime | None = None) -> list[UnitRating]:
    """Publish locked results to the members, and write each band's rating to the registry
    as the unit's rating for the table's year (replacing a rating typed in before)."""
    if not may_organise(actor, table):
        raise Forbidden(_l("Only the organiser's standing agency publishes the results."))
    lock_table(session, table, expected_version)
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


# ----------------------------------------------------------------------- recorded results

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



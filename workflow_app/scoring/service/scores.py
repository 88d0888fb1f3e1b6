"""Scores: each member's own (with evidence) and the assessor's (with a reason where it
differs). A standard or bonus item scores 0…max, a penalty item −max…0; nothing is scored on
a locked table; each save sends the table's `version` and bumps it (two assessors saving at
once: the second gets 409 "reload", nothing lost). A save is all or nothing, and a refused
save names every bad line at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import author_of_version, record
from workflow_app.models.base import utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.models.scoring import ScoreCriterion, ScoreEntry, ScoreTable
from workflow_app.models.user import User
from workflow_app.scoring.service.access import (
    ScoringError,
    may_assess,
    may_self_score,
    members,
    stale,
)
from workflow_app.scoring.service.points import parse_points, show_points
from workflow_app.workflow import Forbidden

NOTE_MAX = 4000


def lock_table(session: Session, table: ScoreTable, expected_version,
               actor: User | None = None) -> None:
    """Lock the table's row (PostgreSQL: FOR UPDATE; SQLite: the write transaction is
    exclusive), reload it and compare the version the client saw: 409 when it changed —
    worded for `actor` when they made the newer version themselves, in another tab."""
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
        raise stale(actor is not None and author_of_version(
            session, "score_table", table.id, table.version) == actor.id)


@dataclass
class ScoreInput:
    criterion_id: int
    points: Any  # text or number; empty clears the score
    note: str = ""  # self: the evidence note; assessor: the reason for a difference
    evidence: tuple[str, str] | None = None  # self: a stored file (sha256, file name)


def save_scores(session: Session, actor: User, table: ScoreTable, unit: OrgUnit, side: str,
                expected_version, inputs: list[ScoreInput]) -> int:
    """Save one unit's scores, its own (`side="self"`) or the assessor's (`"assessor"`).
    All or nothing: every line is checked first, and any bad line refuses the whole save
    with every problem named (`ScoringError.problems`). Returns the new version."""
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
    lock_table(session, table, expected_version, actor)
    if table.status != "open":
        raise ScoringError(_l("The table is locked: its scores can no longer change."))
    criteria = {c.id: c for c in session.scalars(
        select(ScoreCriterion).where(ScoreCriterion.table_id == table.id))}
    entries = {e.criterion_id: e for e in session.scalars(
        select(ScoreEntry).where(ScoreEntry.table_id == table.id,
                                 ScoreEntry.unit_id == unit.id))}
    checked = _checked_lines(criteria, entries, side, inputs)
    changed = []
    for criterion, points, note, evidence in checked:
        entry = entries.get(criterion.id)
        if entry is None:
            entry = ScoreEntry(table_id=table.id, criterion_id=criterion.id, unit_id=unit.id)
            session.add(entry)
            entries[criterion.id] = entry
        if side == "self":
            if (entry.self_cp, entry.self_note) != (points, note):
                entry.self_cp, entry.self_note = points, note
                changed.append(criterion.id)
            if evidence is not None:
                entry.evidence_sha256, entry.evidence_filename = evidence
                changed.append(criterion.id)
        elif (entry.assessed_cp, entry.reason) != (points, note):
            entry.assessed_cp, entry.reason = points, note
            changed.append(criterion.id)
        entry.updated_by_id, entry.updated_at = actor.id, utcnow()
    table.version += 1
    session.flush()
    record(session, f"scoring.{side}_scored", "score_table", table.id, actor=actor,
           data={"unit_id": unit.id, "criteria": changed, "version": table.version})
    return table.version


def _checked_lines(criteria: dict[int, ScoreCriterion], entries: dict[int, ScoreEntry],
                   side: str, inputs: list[ScoreInput]) -> list[tuple]:
    """(criterion, points, note, evidence) for every line, or ScoringError naming every bad
    line (criterion id, message) at once."""
    checked, problems = [], []
    for line, item in enumerate(inputs, 1):
        criterion = criteria.get(int(item.criterion_id))
        if criterion is None:
            problems.append((int(item.criterion_id), str(_l(
                "Line %(line)d: not a criterion of this table.", line=line))))
            continue
        try:
            points = _checked_points(criterion, item.points)
        except ScoringError as error:
            problems.append((criterion.id, str(error.message)))
            continue
        note = str(item.note or "").replace("\x00", "").strip()[:NOTE_MAX]
        own = entries[criterion.id].self_cp if criterion.id in entries else None
        if side == "assessor" and points is not None and points != own and not note:
            problems.append((criterion.id, str(_l(
                "%(code)s %(title)s: give the reason why your score differs from the unit's "
                "own (%(own)s).", code=criterion.code, title=criterion.title,
                own=show_points(own) or "—"))))
            continue
        checked.append((criterion, points, note, item.evidence if side == "self" else None))
    if len(problems) == 1:
        raise ScoringError(problems[0][1], "scores", problems)
    if problems:
        raise ScoringError(_l("%(count)d scores are not valid: each is named next to its "
                              "criterion. Nothing was saved.", count=len(problems)), "scores",
                           problems)
    return checked


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

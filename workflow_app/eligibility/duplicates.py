"""Duplicate detection for the reviewer: the same nomination twice, or the same achievement
used twice.

Flags (none of them blocks anything; the reviewer decides):
- `same_nomination`: another dossier (not withdrawn) nominates the same person or unit for
  the same award and year — from another unit or from the same one.
- `same_attachment`: a document with the same SHA-256 is attached to another dossier of the
  same nominee (documents shared through a batch, e.g. one tờ trình, do not count).
- `same_report`: another dossier of the same year has the identical achievement text
  (summary and report sections, compared after folding whitespace and case).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier, DossierDocument

IGNORED_STATES = ("withdrawn",)
MIN_REPORT_CHARS = 40  # shorter texts ("Hoàn thành tốt nhiệm vụ.") are too common to flag


@dataclass(frozen=True)
class DuplicateFlag:
    kind: str  # same_nomination | same_attachment | same_report
    other: Dossier
    explanation: str


def _same_nominee(dossier: Dossier):
    if dossier.nominee_person_id is not None:
        return Dossier.nominee_person_id == dossier.nominee_person_id
    return Dossier.nominee_unit_id == dossier.nominee_unit_id


def report_fingerprint(dossier: Dossier) -> str | None:
    """A hash of the achievement text, or None when it is too short to mean anything."""
    parts = [dossier.summary or ""]
    parts += [str(s.get("body", "")) for s in dossier.report_sections or []
              if isinstance(s, dict)]
    text = " ".join(" ".join(parts).casefold().split())
    if len(text) < MIN_REPORT_CHARS:
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def duplicates_for(session: Session, dossier: Dossier) -> list[DuplicateFlag]:
    flags: list[DuplicateFlag] = []
    others = session.scalars(
        select(Dossier).where(_same_nominee(dossier), Dossier.id != dossier.id,
                              Dossier.state.not_in(IGNORED_STATES))
        .options(selectinload(Dossier.unit), selectinload(Dossier.award))
        .order_by(Dossier.id)).all()
    for other in others:
        if other.award_id == dossier.award_id and other.year == dossier.year:
            text = (_("Dossier #%(id)d of %(unit)s nominates the same nominee for the same "
                      "award and year.", id=other.id, unit=other.unit.name)
                    if other.unit_id != dossier.unit_id else
                    _("Dossier #%(id)d of the same unit nominates the same nominee for the "
                      "same award and year.", id=other.id))
            flags.append(DuplicateFlag("same_nomination", other, text))
    flags += _shared_attachments(session, dossier, [o.id for o in others])
    flags += _same_report(session, dossier)
    return flags


def _shared_attachments(session: Session, dossier: Dossier,
                        other_ids: list[int]) -> list[DuplicateFlag]:
    mine = {d.sha256: d for d in dossier.documents
            if not d.is_removed and d.batch_document_id is None}
    if not mine or not other_ids:
        return []
    rows = session.scalars(
        select(DossierDocument).where(
            DossierDocument.dossier_id.in_(other_ids), DossierDocument.sha256.in_(list(mine)),
            DossierDocument.removed_at.is_(None), DossierDocument.batch_document_id.is_(None))
        .options(selectinload(DossierDocument.dossier)).order_by(DossierDocument.id)).all()
    return [DuplicateFlag("same_attachment", row.dossier, _(
        "“%(file)s” is also attached to dossier #%(id)d of the same nominee (same SHA-256).",
        file=mine[row.sha256].filename, id=row.dossier_id)) for row in rows]


def _same_report(session: Session, dossier: Dossier) -> list[DuplicateFlag]:
    fingerprint = report_fingerprint(dossier)
    if fingerprint is None:
        return []
    candidates = session.scalars(
        select(Dossier).join(Award, Dossier.award_id == Award.id)
        .where(Dossier.year.between(dossier.year - 1, dossier.year + 1),
               Dossier.id != dossier.id, Dossier.state.not_in(IGNORED_STATES))
        .order_by(Dossier.id)).all()
    return [DuplicateFlag("same_report", other, _(
        "Dossier #%(id)d (%(nominee)s) has the identical achievement text.",
        id=other.id, nominee=other.nominee_name))
        for other in candidates if report_fingerprint(other) == fingerprint]

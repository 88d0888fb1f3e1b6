"""Duplicate detection for the reviewer: the same nomination twice, or the same achievement
used twice.

Flags (none of them blocks anything; the reviewer decides):
- `same_nomination`: another dossier (not withdrawn) nominates the same person or unit for
  the same award and year — from another unit or from the same one.
- `same_attachment`: a document with the same SHA-256 is attached to another dossier of the
  same nominee (documents shared through a batch, e.g. one tờ trình, do not count).
- `same_report`: another dossier of the same year has the identical achievement text
  (summary and report sections, compared after folding whitespace and case).

Where an award is recorded, duplicates are refused, not flagged: `award_conflicts` names the
dossiers that would enter one award twice in the registry for a nominee and year — several
in one decision (or tờ trình), or one the registry already holds as an active record (the
XLSX import's rule). Decisions and the higher-decision path refuse on any conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.i18n import current_locale
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.dossier import report_fingerprint as fingerprint_of
from workflow_app.models.registry import AwardRecord

IGNORED_STATES = ("withdrawn",)


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
    """A hash of the achievement text, or None when it is too short to mean anything (the
    value stored in `Dossier.report_fingerprint` on every write)."""
    return fingerprint_of(dossier.summary, dossier.report_sections)


def duplicates_for(session: Session, dossier: Dossier) -> list[DuplicateFlag]:
    """The flags for `dossier`. The nominee's other dossiers are never all read: each flag
    is one query that returns only the dossiers it flags, however many the nominee holds."""
    others = _other_nominations(dossier)
    flags: list[DuplicateFlag] = []
    for other in session.scalars(
            select(Dossier).where(others, Dossier.award_id == dossier.award_id,
                                  Dossier.year == dossier.year)
            .options(selectinload(Dossier.unit)).order_by(Dossier.id)):
        text = (_("Dossier #%(id)d of %(unit)s nominates the same nominee for the same "
                  "award and year.", id=other.id, unit=other.unit.name)
                if other.unit_id != dossier.unit_id else
                _("Dossier #%(id)d of the same unit nominates the same nominee for the "
                  "same award and year.", id=other.id))
        flags.append(DuplicateFlag("same_nomination", other, text))
    flags += _shared_attachments(session, dossier, others)
    flags += _same_report(session, dossier)
    return flags


def _other_nominations(dossier: Dossier):
    """The nominee's other dossiers that count (not withdrawn), as a condition."""
    return and_(_same_nominee(dossier), Dossier.id != dossier.id,
                Dossier.state.not_in(IGNORED_STATES))


def _shared_attachments(session: Session, dossier: Dossier, others) -> list[DuplicateFlag]:
    mine = {d.sha256: d for d in dossier.documents
            if not d.is_removed and d.batch_document_id is None}
    if not mine:
        return []
    rows = session.scalars(
        select(DossierDocument).join(Dossier, DossierDocument.dossier_id == Dossier.id)
        .where(others, DossierDocument.sha256.in_(list(mine)),
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
        select(Dossier).where(Dossier.report_fingerprint == fingerprint,
                              Dossier.year.between(dossier.year - 1, dossier.year + 1),
                              Dossier.id != dossier.id, Dossier.state.not_in(IGNORED_STATES))
        .options(selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit))
        .order_by(Dossier.id)).all()
    return [DuplicateFlag("same_report", other, _(
        "Dossier #%(id)d (%(nominee)s) has the identical achievement text.",
        id=other.id, nominee=other.nominee_name)) for other in candidates]


@dataclass(frozen=True)
class AwardConflict:
    """One award that would be recorded twice for a nominee and year: `dossiers` (of the
    selection) confer it, `records` are the active registry rows already holding it."""

    nominee: str
    award_code: str
    award: str
    year: int
    dossiers: tuple[Dossier, ...]
    records: tuple[AwardRecord, ...]

    @property
    def message(self) -> str:
        refs = ", ".join(f"#{d.id}" for d in self.dossiers)
        args = {"nominee": self.nominee, "award": self.award, "year": self.year,
                "dossiers": refs}
        if self.records:
            numbers = ", ".join(r.decision_number for r in self.records)
            return ngettext(
                "%(nominee)s already holds %(award)s for %(year)d in the registry (decision "
                "%(numbers)s): dossier %(dossiers)s would record it a second time.",
                "%(nominee)s already holds %(award)s for %(year)d in the registry (decision "
                "%(numbers)s): dossiers %(dossiers)s would record it again.",
                len(self.dossiers), numbers=numbers, **args)
        return _("%(nominee)s is nominated for %(award)s for %(year)d more than once in this "
                 "selection: dossiers %(dossiers)s. Keep only one of them — an award is "
                 "recorded once per nominee and year.", **args)

    @property
    def detail(self) -> dict:
        """The conflict for an API error's `details`."""
        first = self.dossiers[0]
        return {"nominee": self.nominee, "person_id": first.nominee_person_id,
                "unit_id": first.nominee_unit_id, "award_code": self.award_code,
                "award": self.award, "year": self.year,
                "dossier_ids": [d.id for d in self.dossiers],
                "decision_numbers": [r.decision_number for r in self.records],
                "msg": self.message}


def _recipient_key(person_id: int | None, unit_id: int | None, code: str, year: int):
    return ("person", person_id, code, year) if person_id is not None else (
        "unit", unit_id, code, year)


def award_conflicts(session: Session, dossiers: list[Dossier]) -> list[AwardConflict]:
    """Awards the dossiers would record twice (see the module docstring), in selection
    order; empty when each dossier confers an award its nominee does not hold that year."""
    groups: dict[tuple, list[Dossier]] = {}
    for dossier in dossiers:
        key = _recipient_key(dossier.nominee_person_id, dossier.nominee_unit_id,
                             dossier.award.code, dossier.year)
        groups.setdefault(key, []).append(dossier)
    held: dict[tuple, list[AwardRecord]] = {}
    person_ids = sorted({k[1] for k in groups if k[0] == "person"})
    unit_ids = sorted({k[1] for k in groups if k[0] == "unit"})
    if groups:
        rows = session.scalars(select(AwardRecord).where(
            AwardRecord.revoked_at.is_(None),
            AwardRecord.award_code.in_(sorted({k[2] for k in groups})),
            AwardRecord.year.in_(sorted({k[3] for k in groups})),
            or_(AwardRecord.person_id.in_(person_ids), AwardRecord.unit_id.in_(unit_ids)))
            .order_by(AwardRecord.id))
        for row in rows:
            held.setdefault(_recipient_key(row.person_id, row.unit_id, row.award_code,
                                           row.year), []).append(row)
    names: dict[str, str] | None = None
    conflicts = []
    for key, group in groups.items():
        records = held.get(key, [])
        if len(group) < 2 and not records:
            continue
        if names is None:
            names = award_names(session, current_locale(), today_local())
        conflicts.append(AwardConflict(
            nominee=group[0].nominee_name, award_code=key[2], award=names.get(key[2], key[2]),
            year=key[3], dossiers=tuple(group), records=tuple(records)))
    return conflicts

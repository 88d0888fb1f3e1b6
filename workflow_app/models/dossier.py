"""Nomination dossiers (hồ sơ đề nghị khen thưởng) and their documents.

`Dossier.state` belongs to the workflow engine (`workflow_app.workflow.engine`): assigning it
anywhere else raises `StateWriteForbidden`, so no view or service can move a dossier without
the engine's checks and its audit event. The engine opens a permit for one dossier object
around the change (its permit, in `models/subject.py`); nothing else may use it.

`version` is the optimistic-lock counter a page sends back with an action; the engine bumps
it on every transition, and the dossier services bump it on every edit and document change.

Documents are never deleted: removing one stamps `removed_at`/`removed_by_id`, so the
dossier's history keeps every file it ever had. `Dossier.documents` holds the current ones
only (what the completeness guard and the pages read); `Dossier.document_history` all of them.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.catalogue import COMMENDATION_TYPES, WORKFLOWS, Award, AwardVersion
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.subject import (  # noqa: F401 - StateWriteForbidden re-exported
    EngineOwnedState,
    StateWriteForbidden,
)
from workflow_app.models.user import User

if TYPE_CHECKING:
    from workflow_app.models.batch import BatchDocument, DossierBatch

VOTE_OUTCOMES = ("approved", "rejected")


class Dossier(EngineOwnedState, Base):
    """One nominee proposed for one award, moving through one workflow definition."""

    __tablename__ = "dossier"
    __table_args__ = (
        CheckConstraint(f"workflow IN {WORKFLOWS}", name="workflow"),
        CheckConstraint(f"commendation_type IN {COMMENDATION_TYPES}", name="commendation_type"),
        # The nominee is a person or a unit (collective), never both, never neither.
        CheckConstraint(
            "(nominee_person_id IS NULL) <> (nominee_unit_id IS NULL)", name="one_nominee"
        ),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),
        # A period of years (e.g. 2021–2025 for a service-period reward) ends in `year`.
        CheckConstraint("year_from IS NULL OR (year_from >= 1945 AND year_from <= year)",
                        name="year_from"),
        CheckConstraint("step_days_carried >= 0", name="step_days_carried"),
        CheckConstraint("open_objection_count >= 0", name="open_objection_count"),
        CheckConstraint(
            "vote_outcome IS NULL OR vote_outcome IN ('approved', 'rejected')",
            name="vote_outcome",
        ),
        CheckConstraint(
            "disclosure_ends_on IS NULL OR disclosure_ends_on >= disclosure_started_on",
            name="disclosure_window",
        ),
        Index("ix_dossier_workflow_state", "workflow", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(default=1)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    nominee_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    nominee_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), index=True)
    # Fixed on the date of receipt (Award.version_on); NULL while the dossier is a draft.
    award_version_id: Mapped[int | None] = mapped_column(ForeignKey("award_version.id"))
    commendation_type: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    year_from: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(255))
    # Short achievement summary: the whole report in the simplified procedure (báo cáo tóm
    # tắt), the abstract shown to reviewers and on public disclosure otherwise.
    summary: Mapped[str] = mapped_column(Text, default="")
    # Structured achievement report: [{"heading": …, "body": …}, …] in order.
    report_sections: Mapped[list] = mapped_column(JSON, default=list)
    # The emulation movement or plan the proposal answers, e.g. "Kế hoạch số 16/KH-STP".
    movement_reference: Mapped[str] = mapped_column(String(160), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_batch.id"), index=True)
    # Nominee name, title and movement folded to lower-case ASCII, for accent-blind search.
    search_text: Mapped[str] = mapped_column(String(600), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Written by the engine on every transition; the step clock (workflow/clock.py) reads them.
    state_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    step_days_carried: Mapped[int] = mapped_column(default=0)
    # Public disclosure window (công khai): set when the window opens.
    disclosure_started_on: Mapped[date | None] = mapped_column(Date)
    disclosure_ends_on: Mapped[date | None] = mapped_column(Date)
    # Objections received during disclosure and not yet answered by a reviewer.
    open_objection_count: Mapped[int] = mapped_column(default=0)
    # Set when the dossier is put on a council session's agenda.
    council_scheduled_on: Mapped[date | None] = mapped_column(Date)
    # Outcome of the council vote, written by the tally.
    vote_outcome: Mapped[str | None] = mapped_column(String(10))
    # Tờ trình sending the dossier to the higher authority, e.g. "15/TTr-BTP".
    forward_reference: Mapped[str | None] = mapped_column(String(60))
    # Award decision, e.g. "2307/QĐ-BTP" (ours or the higher authority's).
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None] = mapped_column(Date)
    # sha256 of the achievement text (summary and report sections, whitespace and case
    # folded), None when too short to mean anything; kept on every write (`_fingerprint`),
    # so that the duplicate check finds identical texts by index instead of reading them all.
    report_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)

    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    nominee_person: Mapped[Person | None] = relationship()
    nominee_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[nominee_unit_id])
    award: Mapped[Award] = relationship()
    award_version: Mapped[AwardVersion | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    batch: Mapped[DossierBatch | None] = relationship()
    # Current documents only; appending works as usual (a new row is not removed).
    documents: Mapped[list[DossierDocument]] = relationship(
        primaryjoin="and_(DossierDocument.dossier_id == Dossier.id, "
                    "DossierDocument.removed_at.is_(None))",
        cascade="all", order_by="DossierDocument.id", overlaps="dossier",
    )
    # Every document ever attached, removed ones included (read-only).
    document_history: Mapped[list[DossierDocument]] = relationship(
        viewonly=True, order_by="DossierDocument.id"
    )

    @property
    def nominee_name(self) -> str:
        if self.nominee_person is not None:
            return self.nominee_person.full_name
        return self.nominee_unit.name if self.nominee_unit is not None else ""

    @property
    def document_types(self) -> set[str]:
        return {document.doc_type for document in self.documents}

    def rule_version(self, on: date) -> AwardVersion | None:
        """The rule version fixed at receipt, or the one that would apply if received `on`."""
        if self.award_version is not None:
            return self.award_version
        return self.award.version_on(on) if self.award is not None else None


MIN_REPORT_CHARS = 40  # shorter texts ("Hoàn thành tốt nhiệm vụ.") are too common to flag


def report_fingerprint(summary: str | None, sections: list | None) -> str | None:
    """A hash of the achievement text, or None when it is too short to mean anything."""
    parts = [summary or ""]
    parts += [str(s.get("body", "")) for s in sections or [] if isinstance(s, dict)]
    text = " ".join(" ".join(parts).casefold().split())
    if len(text) < MIN_REPORT_CHARS:
        return None
    return hashlib.sha256(text.encode()).hexdigest()


@event.listens_for(Dossier, "before_insert")
@event.listens_for(Dossier, "before_update")
def _fingerprint(_mapper, _connection, dossier: Dossier) -> None:
    dossier.report_fingerprint = report_fingerprint(dossier.summary, dossier.report_sections)


class DossierDocument(Base):
    """A typed document of a dossier (tờ trình, báo cáo thành tích …), stored by its hash.

    Uploads are checked by content and stored by `workflow_app.dossiers.service.documents`; the
    file lives outside the web root under its SHA-256. A document copied from the batch's
    shared documents points at it with `batch_document_id`.
    """

    __tablename__ = "dossier_document"
    __table_args__ = (
        CheckConstraint("size >= 0", name="size"),
        CheckConstraint("removed_at IS NOT NULL OR removed_by_id IS NULL", name="removed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    doc_type: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    mimetype: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    batch_document_id: Mapped[int | None] = mapped_column(ForeignKey("batch_document.id"))

    dossier: Mapped[Dossier] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])
    batch_document: Mapped[BatchDocument | None] = relationship()

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

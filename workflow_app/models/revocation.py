"""Revocation of a conferred award (hủy bỏ, thu hồi — Law 2022 Art. 93 k2; LEGAL_FACTS §4.3).

A `Revocation` is proposed by a reviewer against one registry entry (`AwardRecord`, and its
dossier when the award was decided through one), on one of the four grounds of Art. 93 k2.
The signer then either revokes — issuing a numbered decision of its own (`RevocationDecision`,
QĐ series of the issuer) or, for awards conferred above this body, recording the higher
authority's decision — or dismisses it with a reason.

Guarantees held by the database itself:
- at most one live revocation (proposed or revoked) per registry entry — a partial UNIQUE
  index; dismissed proposals stay for the record;
- a revocation decision belongs to one revocation, and its number is used once per
  (issuer, type, year) — the series counter in `decisions.service.numbering`, backed by UNIQUE
  (issuer, type, year, number); its printed reference repeats from year to year and is not
  unique on its own (revision 0007).
Rows are never deleted; issued documents are stored by SHA-256 and never re-rendered.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.decision import _NumberedDocument
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User

# Law 2022 Art. 93 k2 a–d [P hethongphapluat.vn chương 7].
GROUNDS = ("fraudulent_declaration", "false_papers", "unlawful_procedure", "later_violation")
STATUSES = ("proposed", "revoked", "dismissed")
LIVE_STATUSES = ("proposed", "revoked")
# Who decides: this body (a numbered QĐ of its own) or a higher authority (recorded).
LEVELS = ("own", "higher")


class Revocation(Base):
    """A proposal to revoke one conferred award, and what became of it."""

    __tablename__ = "revocation"
    __table_args__ = (
        CheckConstraint(f"ground IN {GROUNDS}", name="ground"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint(f"level IN {LEVELS}", name="level"),
        CheckConstraint("status <> 'revoked' OR decision_reference IS NOT NULL",
                        name="revoked_has_decision"),
        Index("uq_revocation_live_record", "award_record_id", unique=True,
              sqlite_where=text("status IN ('proposed', 'revoked')"),
              postgresql_where=text("status IN ('proposed', 'revoked')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_record_id: Mapped[int] = mapped_column(ForeignKey("award_record.id"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    ground: Mapped[str] = mapped_column(String(30))
    explanation: Mapped[str] = mapped_column(Text)
    # The finding the proposal rests on, e.g. "Kết luận thanh tra số 12/KL-TTr ngày …".
    evidence_reference: Mapped[str] = mapped_column(String(255), default="")
    # When the proposing level received the competent body's conclusion (07-day limit).
    conclusion_received_on: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(10), default="own")
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The revoking decision: ours ("05/QĐ-BTP") or the higher authority's ("12/QĐ-TTg").
    decision_reference: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None] = mapped_column(Date)
    dismissal_reason: Mapped[str] = mapped_column(Text, default="")
    # Art. 93 k2: the award items and money are recovered (thu hồi).
    recovery_required: Mapped[bool] = mapped_column(default=True)
    recovered_on: Mapped[date | None] = mapped_column(Date)
    recovery_note: Mapped[str] = mapped_column(String(500), default="")

    award_record: Mapped[AwardRecord] = relationship()
    dossier: Mapped[Dossier | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    document: Mapped[RevocationDecision | None] = relationship(back_populates="revocation")

    @property
    def is_open(self) -> bool:
        return self.status == "proposed"


class RevocationDecision(_NumberedDocument, Base):
    """The numbered decision (Quyết định) by which this body revokes an award it conferred.

    Its number comes from the issuer's QĐ series, shared with award decisions."""

    __tablename__ = "revocation_decision"
    __table_args__ = (
        UniqueConstraint("issuer_unit_id", "doc_type", "year", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    revocation_id: Mapped[int] = mapped_column(ForeignKey("revocation.id"), unique=True)

    revocation: Mapped[Revocation] = relationship(back_populates="document")

"""Comments and objections from the public on a dossier under disclosure (công khai).

Anyone may write, without an account, while the dossier's disclosure window is open.
Personal details stay here, never in the audit trail: the audit event of a comment carries
hashes only. `client_hash` is a keyed hash of the sender's network address, kept so that
the rate limit holds across worker processes without storing the address itself.

An objection (`kind = 'objection'`) must be answered by a reviewer before the dossier may
move on (guard `objections_answered`, which reads `Dossier.open_objection_count`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.user import User

COMMENT_KINDS = ("comment", "objection")
MAX_COMMENT_TEXT = 2000
MAX_AUTHOR_FIELD = 120


class DisclosureComment(Base):
    __tablename__ = "disclosure_comment"
    __table_args__ = (
        CheckConstraint(f"kind IN {COMMENT_KINDS}", name="kind"),
        CheckConstraint(f"length(body) BETWEEN 1 AND {MAX_COMMENT_TEXT}", name="body_length"),
        # Only objections are answered, and an answer always has its time and author.
        CheckConstraint("answer IS NULL OR kind = 'objection'", name="answer_kind"),
        CheckConstraint("(answer IS NULL) = (answered_at IS NULL)", name="answer_time"),
        Index("ix_disclosure_comment_client_at", "client_hash", "created_at"),
        Index("ix_disclosure_comment_dossier", "dossier_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(String(MAX_AUTHOR_FIELD), default="")
    author_contact: Mapped[str] = mapped_column(String(MAX_AUTHOR_FIELD), default="")
    client_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answered_by: Mapped[User | None] = relationship()

    @property
    def is_objection(self) -> bool:
        return self.kind == "objection"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

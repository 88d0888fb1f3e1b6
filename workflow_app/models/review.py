"""The reviewer's checklist (phiếu thẩm định): one row per dossier and checklist item.

Items are identified by a code: a required document type of the award's rule
(`DOC:TO_TRINH` …) or a general item (`GEN:authority` …) — see `review/service/checklist.py`. A row
exists once the item was first saved; who changed it last and when is kept on the row, and
every change is also in the audit trail (`review.checklist_saved`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.user import User

MAX_CHECK_NOTE = 1000


class ReviewCheck(Base):
    """One checklist item of one dossier: checked or not, with the reviewer's note."""

    __tablename__ = "review_check"
    __table_args__ = (UniqueConstraint("dossier_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(60))
    checked: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updated_by: Mapped[User | None] = relationship()

"""The signed minutes (biên bản) of a council session, frozen at sign-off.

One row per session at most (the unique `session_id` is what refuses a second sign-off even
in a race). `content` is the minutes' content as built by `council/minutes.py` at sign-off;
the DOCX and PDF rendered from it are stored by SHA-256 (content-addressed storage) and
never re-rendered. `audit_seq`/`audit_hash` are the audit-chain head when the minutes were
generated, before the sign-off event itself was written.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.council import CouncilSession


class CouncilMinutes(Base):
    __tablename__ = "council_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), unique=True)
    content: Mapped[dict] = mapped_column(JSON)
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    audit_seq: Mapped[int]
    audit_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))

    session: Mapped[CouncilSession] = relationship()

"""The signed minutes (biên bản) of a council session, frozen at sign-off.

One row per session at most (the unique `session_id` is what refuses a second sign-off even
in a race). `content` is the minutes' content as built by `council/service/minutes.py` at sign-off;
the DOCX and PDF rendered from it are stored by SHA-256 (content-addressed storage) and
never re-rendered. `audit_seq`/`audit_hash` are the audit-chain head when the minutes were
generated, before the sign-off event itself was written.

The number and symbol (e.g. `01/BB-HĐTĐKT`) come from the BB series of the council's unit
(`decisions/service/numbering.py`), allocated at sign-off; (issuer, year, number) is UNIQUE, the
backstop behind the locked counter (the table holds the BB series only, so this is the
(issuer, series, year, number) rule of every numbered series). The printed reference
repeats every year (the series restarts on 1 January, Vietnam date) and is deliberately not
unique. Minutes signed before numbering existed have none.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.council import CouncilSession


class CouncilMinutes(Base):
    __tablename__ = "council_minutes"
    __table_args__ = (UniqueConstraint("issuer_unit_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), unique=True)
    content: Mapped[dict] = mapped_column(JSON)
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    audit_seq: Mapped[int]
    audit_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    issuer_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int | None]
    number: Mapped[int | None]
    # Number and symbol as printed, e.g. "01/BB-HĐTĐKT" (not unique: it repeats each year).
    reference: Mapped[str | None] = mapped_column(String(60))

    session: Mapped[CouncilSession] = relationship()

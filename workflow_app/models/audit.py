"""The append-only audit trail and its chain head.

`AuditEvent` rows are never updated or deleted: database triggers reject both (see the
migration). `AuditHead` is a single row holding the latest `seq` and hash; appending locks
it so that concurrent writers extend the chain one at a time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow_app.models.base import Base, UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject", "subject_type", "subject_id"),
        # The auditor's log filters, each with seq for keyset pages (migration 0012).
        Index("ix_audit_event_actor_seq", "actor_id", "seq"),
        Index("ix_audit_event_action_seq", "action", "seq"),
        Index("ix_audit_event_subject_seq", "subject_type", "subject_id", "seq"),
        Index("ix_audit_event_action_time", "action", "occurred_at"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditCheckpoint(Base):
    """A signed statement "the chain had `seq` events ending in `head_hash`" (Ed25519).

    Copies are also written outside the database, so that a rewrite of the whole chain
    (every hash recomputed) still fails verification against a kept checkpoint.
    """

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    head_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))


class AuditHead(Base):
    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class AuditVerification(Base):
    """One run of the verification (the auditor's "verify now", `flask audit verify`): when,
    by whom, and what it found. Kept beside the chain, never in it: verifying must not change
    what it verifies (an event appended to a damaged chain would cover the damage at its
    end), and a run is an observation, not a change of the records."""

    __tablename__ = "audit_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    intact: Mapped[bool]
    events_checked: Mapped[int]
    problems: Mapped[int]

"""Deadline reminders already sent (`flask notify deadlines`), so a daily run repeats none.

One row per dossier, step and due date: a step's reminder goes out once; if the deadline
itself moves (the dossier was returned and came back, so the paused clock shifted the due
date), the new deadline gets its own reminder.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow_app.models.base import Base, UTCDateTime, utcnow


class DeadlineReminder(Base):
    __tablename__ = "deadline_reminder"
    __table_args__ = (UniqueConstraint("dossier_id", "step", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

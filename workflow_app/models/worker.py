"""Worker processes (`flask worker run`): one heartbeat row per process, so the admin status
page, /metrics and the readiness check can tell whether a worker is alive and what went
wrong last."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow_app.models.base import Base, UTCDateTime, utcnow


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeat"

    # "host:pid:started" — unique per process, also the owner name of its claims.
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_beat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the last round did ("mail 2 sent, 0 failed; webhooks 1 delivered …").
    last_round: Mapped[str] = mapped_column(String(255), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""What the admin status page shows: last backup and verification, checkpoints, the e-mail
outbox, the workers and webhooks, the database and the instance folder's disk use.
Read-only."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.report import last_run
from workflow_app.models.audit import AuditCheckpoint, AuditEvent, AuditHead, AuditVerification
from workflow_app.models.notification import OutboxMessage
from workflow_app.ops.service.readiness import code_heads, database_revisions
from workflow_app.ops.service.worker import WorkerState, workers
from workflow_app.webhooks.service.subscriptions import failed_count, pending_count

FAILURES_SHOWN = 10


@dataclass
class DiskUse:
    total: int
    parts: dict[str, int]
    free: int | None


@dataclass
class Status:
    last_backup: AuditEvent | None
    last_verification: AuditVerification | None  # audit/report.py record_run
    last_checkpoint: AuditCheckpoint | None
    audit_seq: int
    outbox_pending: int
    outbox_failed: int
    oldest_pending_at: datetime | None
    failures: list[OutboxMessage]
    retrying: int  # pending messages that failed at least once (waiting for their next try)
    workers: list[WorkerState]
    webhooks_pending: int
    webhooks_failed: int
    database_kind: str
    database_version: str
    revisions: list[str]
    heads: list[str]
    disk: DiskUse

    @property
    def at_head(self) -> bool:
        return set(self.revisions) == set(self.heads)

    @property
    def alive_workers(self) -> list[WorkerState]:
        return [w for w in self.workers if w.alive]

    @property
    def last_worker(self) -> WorkerState | None:
        return self.workers[0] if self.workers else None

    @property
    def last_verified_at(self) -> datetime | None:
        return self.last_verification.ran_at if self.last_verification else None


def _last_event(session: Session, action: str) -> AuditEvent | None:
    return session.scalar(select(AuditEvent).where(AuditEvent.action == action)
                          .order_by(AuditEvent.seq.desc()).limit(1))


def disk_use(instance_dir: Path) -> DiskUse:
    parts: dict[str, int] = {}
    total = 0
    if instance_dir.exists():
        for path in instance_dir.rglob("*"):
            if path.is_file() and not path.is_symlink():
                size = path.stat().st_size
                total += size
                top = path.relative_to(instance_dir).parts[0]
                key = top if path.parent != instance_dir else "."
                parts[key] = parts.get(key, 0) + size
    free = shutil.disk_usage(instance_dir).free if instance_dir.exists() else None
    return DiskUse(total=total, parts=dict(sorted(parts.items())), free=free)


def database_version(session: Session) -> str:
    dialect = session.get_bind().dialect
    info = dialect.server_version_info or ()
    return ".".join(str(part) for part in info)


def gather(session: Session, instance_dir: Path) -> Status:
    outbox = dict(session.execute(select(OutboxMessage.status, func.count())
                                  .group_by(OutboxMessage.status)).all())
    head = session.get(AuditHead, 1)
    engine = session.get_bind()
    return Status(
        last_backup=_last_event(session, "system.backup_created"),
        last_verification=last_run(session),
        last_checkpoint=session.scalar(select(AuditCheckpoint)
                                       .order_by(AuditCheckpoint.seq.desc()).limit(1)),
        audit_seq=head.seq if head else 0,
        outbox_pending=outbox.get("pending", 0),
        outbox_failed=outbox.get("failed", 0),
        oldest_pending_at=session.scalar(select(func.min(OutboxMessage.created_at))
                                         .where(OutboxMessage.status == "pending")),
        failures=list(session.scalars(select(OutboxMessage)
                                      .where(OutboxMessage.status == "failed")
                                      .order_by(OutboxMessage.id.desc())
                                      .limit(FAILURES_SHOWN))),
        retrying=session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.attempts > 0)) or 0,
        workers=workers(session),
        webhooks_pending=pending_count(session),
        webhooks_failed=failed_count(session),
        database_kind=engine.dialect.name,
        database_version=database_version(session),
        revisions=sorted(database_revisions(engine)),
        heads=sorted(code_heads()),
        disk=disk_use(instance_dir),
    )

"""`flask upgrade`: the README's upgrade procedure as one command.

An upgrade changes the schema of every record, so it runs only after a backup from which the
state just before it can be restored. "Fresh" is decided from the audit trail, not a clock: the
last event of the chain is the `system.backup_created` of that backup (nothing was recorded since
it was taken, so it holds everything) and its manifest is still on disk, unchanged. Anything else
is refused, with the way out: `--backup DIR` (take it now) or `--without-backup REASON` (recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from workflow_app.models.audit import AuditEvent
from workflow_app.ops.service.backup import MANIFEST, file_sha256
from workflow_app.ops.service.readiness import code_heads, database_revisions


@dataclass(frozen=True)
class Plan:
    current: tuple[str, ...]
    heads: tuple[str, ...]
    empty: bool  # no table at all: a new installation, nothing to lose

    @property
    def needed(self) -> bool:
        return set(self.current) != set(self.heads)


def plan(engine: Engine) -> Plan:
    empty = not inspect(engine).get_table_names()
    current = () if empty else tuple(sorted(database_revisions(engine)))
    return Plan(current=current, heads=tuple(sorted(code_heads())), empty=empty)


@dataclass(frozen=True)
class Freshness:
    ok: bool
    reason: str
    directory: str = ""


def fresh_backup(session: Session) -> Freshness:
    """Is there a backup holding the database exactly as it is now, still intact on disk?"""
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    backup = session.scalar(select(AuditEvent)
                            .where(AuditEvent.action == "system.backup_created")
                            .order_by(AuditEvent.seq.desc()).limit(1))
    if backup is None:
        return Freshness(False, "Chưa có bản sao lưu nào / no backup was ever taken")
    directory = str((backup.data or {}).get("directory", ""))
    if last is not None and last.seq != backup.seq:
        later = last.seq - backup.seq
        return Freshness(False, f"Bản sao lưu gần nhất ({directory}) được tạo trước {later} thay "
                                f"đổi sau đó / the last backup ({directory}) was taken before "
                                f"{later} later change(s)", directory)
    manifest = Path(directory) / MANIFEST
    if not manifest.is_file():
        return Freshness(False, f"Không còn thấy bản sao lưu {directory} / the last backup "
                                f"{directory} is no longer there", directory)
    if file_sha256(manifest) != (backup.data or {}).get("manifest_sha256"):
        return Freshness(False, f"Bản sao lưu {directory} đã bị thay đổi / the manifest of the "
                                f"last backup {directory} has changed since it was taken",
                         directory)
    return Freshness(True, f"Bản sao lưu {directory} còn nguyên / the backup {directory} holds "
                           f"the database as it is now", directory)

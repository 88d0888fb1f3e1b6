"""A note of each verification run, kept beside the checkpoint copies in the instance folder
(`audit-verifications.jsonl`, one JSON object a line), for the admin status page.

Kept outside the database on purpose: verifying only reads, so it can run against a
restored copy or a read-only replica, and never moves the chain it checks.
"""

from __future__ import annotations

import json
from pathlib import Path

from workflow_app.audit.report import AuditReport
from workflow_app.models.base import utcnow

FILE_NAME = "audit-verifications.jsonl"


def note_verification(instance_dir: Path, report: AuditReport, source: str) -> None:
    """Append the outcome of one run (`source`: "cli", "restore" …)."""
    entry = {"at": utcnow().isoformat(), "ok": report.ok, "events": report.chain.checked,
             "head": report.chain.head_hash, "source": source}
    instance_dir.mkdir(parents=True, exist_ok=True)
    with (instance_dir / FILE_NAME).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")


def last_verification(instance_dir: Path) -> dict | None:
    """The latest readable note, or None."""
    path = instance_dir / FILE_NAME
    if not path.exists():
        return None
    for line in reversed(path.read_text(encoding="utf-8").splitlines()):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("at"), str):
            return entry
    return None

"""Export the audit trail as JSON Lines plus a manifest, for offline verification.

events.jsonl: one canonical JSON object per event, in seq order, with `prev_hash` and `hash`.
manifest.json: count, first/last seq, head hash, the SHA-256 of events.jsonl, the signed
checkpoints, and the hashing rule. `standalone_verify.py` (stdlib only) checks both.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.canonical import canonical_json, event_body
from workflow_app.audit.checkpoint import as_dict
from workflow_app.models.audit import AuditCheckpoint, AuditEvent
from workflow_app.models.base import utcnow

FORMAT = "tdkt-audit-export/1"
HASH_RULE = ("hash = sha256(prev_hash as ASCII hex + canonical JSON of the event without "
             "prev_hash and hash: keys sorted, separators ',' ':', UTF-8, "
             "occurred_at as YYYY-MM-DDTHH:MM:SS.ffffffZ); first prev_hash = 64 zeros")
STANDALONE = Path(__file__).with_name("standalone_verify.py")


def iter_lines(session: Session, batch: int = 2000) -> Iterator[bytes]:
    table = AuditEvent.__table__
    last = 0
    while True:
        rows = session.execute(
            select(*table.c).where(table.c.seq > last).order_by(table.c.seq).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            fields = dict(row._mapping)
            body = event_body(fields)
            body.update(prev_hash=fields["prev_hash"], hash=fields["hash"])
            yield canonical_json(body) + b"\n"
        last = rows[-1].seq


def write_export(session: Session, events_out) -> dict:
    """Write events to the binary stream `events_out`; return the manifest."""
    digest = hashlib.sha256()
    count, first, last, head = 0, None, None, "0" * 64
    for line in iter_lines(session):
        events_out.write(line)
        digest.update(line)
        event = json.loads(line)
        first = event["seq"] if first is None else first
        last, head = event["seq"], event["hash"]
        count += 1
    return {
        "format": FORMAT,
        "created_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "count": count,
        "first_seq": first,
        "last_seq": last,
        "head_hash": head,
        "events_file": "events.jsonl",
        "events_sha256": digest.hexdigest(),
        "hash_rule": HASH_RULE,
        "checkpoints": [as_dict(c) for c in
                        session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq))],
    }


def export_to_directory(session: Session, directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "events.jsonl").open("wb") as handle:
        manifest = write_export(session, handle)
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                             encoding="utf-8")
    (directory / "standalone_verify.py").write_bytes(STANDALONE.read_bytes())
    return manifest


def export_zip(session: Session) -> bytes:
    buffer = io.BytesIO()
    events = io.BytesIO()
    manifest = write_export(session, events)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.jsonl", events.getvalue())
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("standalone_verify.py", STANDALONE.read_bytes())
    return buffer.getvalue()

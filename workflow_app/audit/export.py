"""Export the audit trail as JSON Lines plus a manifest, for offline verification.

events.jsonl: one canonical JSON object per event, in seq order, with `prev_hash` and `hash`.
manifest.json: count, first/last seq, the last event's hash (`head_hash`), the chain head
the database records (`recorded_head`: seq and hash, updated with every legitimate append),
the SHA-256 of events.jsonl, every signed checkpoint (the database's and the kept copies in
instance/audit-checkpoints.jsonl, each once, with where it was found), and the hashing rule.
`standalone_verify.py` (stdlib only) checks both, and the kept copies given to it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.canonical import canonical_json, event_body
from workflow_app.audit.checkpoint import as_dict, kept_copies_path, read_kept_copies
from workflow_app.models.audit import GENESIS_HASH, AuditCheckpoint, AuditEvent, AuditHead
from workflow_app.models.base import utcnow

FORMAT = "tdkt-audit-export/2"
HASH_RULE = ("hash = sha256(prev_hash as ASCII hex + canonical JSON of the event without "
             "prev_hash and hash: keys sorted, separators ',' ':', UTF-8, "
             "occurred_at as YYYY-MM-DDTHH:MM:SS.ffffffZ); first prev_hash = 64 zeros")
STANDALONE = Path(__file__).with_name("standalone_verify.py")


EXPORT_BATCH = 2000  # events read per query while exporting


def iter_lines(session: Session, batch: int | None = None, after: int = 0) -> Iterator[bytes]:
    batch = batch or EXPORT_BATCH
    table = AuditEvent.__table__
    last = after
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


def _checkpoints(session: Session, kept_copies: Path | None) -> list[dict]:
    """Every checkpoint once, by seq, with `sources`: "database" and/or "kept copy"."""
    found: dict[tuple, dict] = {}

    def add(data: dict, source: str) -> None:
        key = (data["seq"], data["head_hash"], data["signature"])
        entry = found.setdefault(key, {**data, "sources": []})
        if source not in entry["sources"]:
            entry["sources"].append(source)

    for row in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)):
        add(as_dict(row), "database")
    if kept_copies is not None:
        for data in read_kept_copies(kept_copies)[0]:
            add({name: data[name] for name in
                 ("seq", "head_hash", "created_at", "public_key", "signature")}, "kept copy")
    return sorted(found.values(), key=lambda data: (data["seq"], data["created_at"]))


def write_export(session: Session, events_out, kept_copies: Path | None = None) -> dict:
    """Write events to the binary stream `events_out`; return the manifest.

    `kept_copies`: the kept-copies file of checkpoints (default: the instance's)."""
    if kept_copies is None:
        kept_copies = kept_copies_path()
    digest = hashlib.sha256()
    count, first, last, last_hash = 0, None, None, GENESIS_HASH
    while True:
        for line in iter_lines(session, after=last or 0):
            events_out.write(line)
            digest.update(line)
            event = json.loads(line)
            first = event["seq"] if first is None else first
            last, last_hash = event["seq"], event["hash"]
            count += 1
        # Read after the events, as verify does: a legitimate append commits its event and
        # the head together, so a head beyond them means events committed meanwhile (export
        # those too) or removed at the end (left for the verifier to name).
        head = session.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
        if head is None or head.seq <= (last or 0) or session.scalar(
                select(AuditEvent.seq).where(AuditEvent.seq > (last or 0)).limit(1)) is None:
            break
    return {
        "format": FORMAT,
        "created_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "count": count,
        "first_seq": first,
        "last_seq": last,
        "head_hash": last_hash,
        "recorded_head": {"seq": head.seq, "hash": head.hash} if head is not None else None,
        "events_file": "events.jsonl",
        "events_sha256": digest.hexdigest(),
        "hash_rule": HASH_RULE,
        "checkpoints": _checkpoints(session, kept_copies),
    }


def export_to_directory(session: Session, directory: Path,
                        kept_copies: Path | None = None) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "events.jsonl").open("wb") as handle:
        manifest = write_export(session, handle, kept_copies)
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                             encoding="utf-8")
    (directory / "standalone_verify.py").write_bytes(STANDALONE.read_bytes())
    return manifest


def write_zip(session: Session, out, kept_copies: Path | None = None) -> dict:
    """The export as a ZIP written to the binary file `out` (seekable: a spooled temporary
    file): events.jsonl is compressed into the archive as the events are read, a batch at a
    time, so memory stays bounded whatever the number of events. Returns the manifest."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("events.jsonl", "w", force_zip64=True) as events:
            manifest = write_export(session, events, kept_copies)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("standalone_verify.py", STANDALONE.read_bytes())
    return manifest

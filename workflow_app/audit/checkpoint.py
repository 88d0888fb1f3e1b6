"""Signed checkpoints of the chain head (Ed25519, key from configuration).

The signed message is `tdkt-audit-checkpoint|<seq>|<head_hash>|<created_at>`; the standalone
verifier (standalone_verify.py) checks the same message.

Each checkpoint is stored in the database and a copy appended to the kept-copies file
(`instance/audit-checkpoints.jsonl`, one JSON object a line). Copies of that file kept off the
server are what catch a rewrite of the whole chain by someone who can also delete the
database's checkpoint rows: a checkpoint's (seq, head_hash) must match the chain at that seq.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.canonical import format_time
from workflow_app.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from workflow_app.models.base import utcnow


class CheckpointError(RuntimeError):
    pass


def kept_copies_path() -> Path:
    """Where checkpoint copies are appended; copy this file off the server regularly."""
    return current_app.extensions["workflow_config"].instance_dir / "audit-checkpoints.jsonl"


def read_kept_copies(path: Path) -> tuple[list[dict], list[str]]:
    """The checkpoints in a kept-copies file (JSON Lines), and the lines that are not one."""
    found, problems = [], []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict) or not isinstance(data.get("seq"), int):
                raise ValueError(line)
            for name in ("head_hash", "created_at", "public_key", "signature"):
                if not isinstance(data.get(name), str):
                    raise ValueError(name)
        except ValueError:
            problems.append(f"{path} line {number}: not a checkpoint")
            continue
        found.append(data)
    return found, problems


def unique(checkpoints: list[dict]) -> list[dict]:
    """Each checkpoint once (the database row and its kept copy are the same), by seq."""
    seen: dict[tuple, dict] = {}
    for data in checkpoints:
        seen.setdefault((data["seq"], data["head_hash"], data["signature"]), data)
    return sorted(seen.values(), key=lambda data: (data["seq"], data["created_at"]))


def message(seq: int, head_hash: str, created_at: str) -> bytes:
    return f"tdkt-audit-checkpoint|{seq}|{head_hash}|{created_at}".encode()


def generate_key(path: Path) -> str:
    """Write a new private key (PEM, mode 600) and return its public key (base64)."""
    if path.exists():
        raise CheckpointError(f"{path} exists; refusing to overwrite a signing key")
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    return public_key_b64(key)


def load_key(path: str) -> Ed25519PrivateKey:
    if not path:
        raise CheckpointError("no signing key configured (set AUDIT_SIGNING_KEY to a PEM file; "
                              "create one with `flask audit keygen PATH`)")
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def create_checkpoint(session: Session, key: Ed25519PrivateKey,
                      outside_copy: Path | None = None) -> AuditCheckpoint:
    """Sign the current head; store it, and append a copy to `outside_copy` (JSON Lines)."""
    head = session.get(AuditHead, 1)
    if head is None or head.seq == 0:
        raise CheckpointError("the audit trail is empty; nothing to sign")
    created_at = utcnow()
    signature = key.sign(message(head.seq, head.hash, format_time(created_at)))
    checkpoint = AuditCheckpoint(seq=head.seq, head_hash=head.hash, created_at=created_at,
                                 public_key=public_key_b64(key),
                                 signature=base64.b64encode(signature).decode())
    session.add(checkpoint)
    session.flush()
    if outside_copy is not None:
        outside_copy.parent.mkdir(parents=True, exist_ok=True)
        with outside_copy.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(as_dict(checkpoint), sort_keys=True) + "\n")
    return checkpoint


def as_dict(checkpoint: AuditCheckpoint) -> dict:
    return {"seq": checkpoint.seq, "head_hash": checkpoint.head_hash,
            "created_at": format_time(checkpoint.created_at),
            "public_key": checkpoint.public_key, "signature": checkpoint.signature}


def check_checkpoint(session: Session, data: dict) -> str | None:
    """None when the checkpoint is validly signed and matches the chain; else the problem."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(data["public_key"]))
        public.verify(base64.b64decode(data["signature"]),
                      message(data["seq"], data["head_hash"], data["created_at"]))
    except Exception:  # noqa: BLE001 - any failure means the signature does not hold
        return f"checkpoint at seq {data.get('seq')}: signature is not valid"
    stored = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == data["seq"]))
    if stored is None:
        last = session.scalar(select(func.max(AuditEvent.seq))) or 0
        if last < data["seq"]:
            return (f"checkpoint at seq {data['seq']}: the chain ends at seq {last} "
                    f"(events removed at the end?)")
    if stored != data["head_hash"]:
        return (f"checkpoint at seq {data['seq']}: the chain no longer has the signed hash "
                f"there (rewritten history)")
    return None

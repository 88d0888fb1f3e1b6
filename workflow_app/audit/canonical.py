"""Canonical JSON and the event hash.

This module is the specification the standalone verifier (`tools/verify_audit_export.py`)
follows: keep the two in step.

canonical(event) = JSON of the object
  {"seq", "occurred_at", "actor_id", "actor_label", "action", "subject_type", "subject_id",
   "from_state", "to_state", "data"}
with keys sorted, no whitespace (separators "," and ":"), UTF-8, non-ASCII kept as is;
`occurred_at` as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds).

hash = sha256(prev_hash_hex_ascii + canonical_bytes), lower-case hex.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "subject_type",
    "subject_id",
    "from_state",
    "to_state",
    "data",
)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_body(fields: dict[str, Any]) -> dict[str, Any]:
    body = {name: fields[name] for name in HASHED_FIELDS}
    if isinstance(body["occurred_at"], datetime):
        body["occurred_at"] = format_time(body["occurred_at"])
    return body


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_json(event_body(fields)))
    return digest.hexdigest()

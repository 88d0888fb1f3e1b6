"""`Idempotency-Key` on mutations: a retry gets the first answer, and runs nothing again.

Per caller (`auth.principal()`) and key, the first *successful* response (status and JSON
body) is stored in `api_idempotency_key`, in the same transaction as the action itself, so
the record exists exactly when the action's effects do. A later request with the same key:
- and the same method, path and body → the stored response again, with the header
  `Idempotent-Replayed: true`; nothing runs;
- and a different request → 422 `idempotency_key_reused`.
Refused requests (4xx) are not stored: they wrote nothing, and may be retried as they are.

Concurrent retries: the claim is an INSERT under the UNIQUE (principal, key) constraint at
the start of the transaction. On PostgreSQL the second INSERT waits for the first
transaction and then fails, and the request replays what the first one committed; on SQLite
write transactions are serialised (BEGIN IMMEDIATE), so the second request finds the row.
Keys expire after `TTL`; an expired key is deleted when it is met again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from flask import Response, current_app, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.api.auth import principal
from workflow_app.api.errors import ApiError
from workflow_app.models.api_token import ApiIdempotencyKey
from workflow_app.models.base import utcnow

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _multipart_parts() -> bytes:
    """A multipart body by its content: the text fields, and each file's name and SHA-256
    (a client's retry draws a new boundary, so the raw bytes would differ). The file
    streams are rewound for the view."""
    files = []
    for name, upload in request.files.items(multi=True):
        digest = hashlib.sha256(upload.stream.read()).hexdigest()
        upload.stream.seek(0)
        files.append([name, upload.filename or "", digest])
    parts = {"form": sorted(request.form.items(multi=True)), "files": sorted(files)}
    return json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()


def _fingerprint() -> str:
    """SHA-256 of method, path, query and body (JSON bodies canonicalised: key order and
    whitespace do not make two requests different; multipart bodies by their parts)."""
    if request.mimetype == "multipart/form-data":
        body = _multipart_parts()
    else:
        raw = request.get_data(cache=True)
        try:
            body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            body = raw
    head = f"{request.method}\n{request.path}\n{request.query_string.decode('latin-1')}\n"
    return hashlib.sha256(head.encode() + body).hexdigest()


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(ch) <= 126 for ch in key):
        raise ApiError(400, "invalid_idempotency_key", _(
            "The Idempotency-Key must be 1 to %(max)d visible ASCII characters (a UUID is "
            "a good choice).", max=MAX_KEY_LENGTH))
    return key


def _replay(row: ApiIdempotencyKey, fingerprint: str) -> Response:
    if row.request_hash != fingerprint:
        raise ApiError(422, "idempotency_key_reused", _(
            "This Idempotency-Key was already used with a different request. Use a new key "
            "for a new request."))
    response = current_app.response_class(
        current_app.json.dumps(row.response_body), status=row.status_code,
        mimetype="application/json")
    response.headers[REPLAY_HEADER] = "true"
    return response


def _find(session: Session, who: str, key: str) -> ApiIdempotencyKey | None:
    return session.scalar(select(ApiIdempotencyKey).where(
        ApiIdempotencyKey.principal == who, ApiIdempotencyKey.key == key))


def claim(session: Session) -> ApiIdempotencyKey | Response | None:
    """Claim the request's key: None without a key, the stored response for a retry, or the
    new (still empty) record to `complete` once the action has succeeded."""
    key = _key()
    if key is None:
        return None
    who, fingerprint, now = principal(), _fingerprint(), utcnow()
    session.execute(delete(ApiIdempotencyKey).where(
        ApiIdempotencyKey.principal == who, ApiIdempotencyKey.expires_at <= now))
    existing = _find(session, who, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    row = ApiIdempotencyKey(principal=who, key=key, request_hash=fingerprint,
                            created_at=now, expires_at=now + TTL)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # A concurrent request with this key committed first (this INSERT waited for it).
        existing = _find(session, who, key)
        if existing is None:  # it was deleted meanwhile: an expired key, or a bug
            raise
        return _replay(existing, fingerprint)
    return row


def complete(session: Session, row: ApiIdempotencyKey, status: int, body: dict) -> None:
    """Store the successful response; the caller commits it together with the action."""
    row.status_code = status
    row.response_body = body
    session.flush()

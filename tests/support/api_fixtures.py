"""Fixtures for the JSON API tests: tokens made through the real service, and a client
helper that sends them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from workflow_app.api import tokens
from workflow_app.extensions import db
from workflow_app.models.api_token import ApiToken
from workflow_app.models.base import utcnow


@pytest.fixture
def make_token(app, session):
    """`make_token(user, scope="read-write", days=30)` → the plaintext Bearer token."""

    def make(user, scope: str = "read-write", days: int = 30, name: str = "tests") -> str:
        with app.test_request_context():
            owner = db.session.merge(user)
            _row, plaintext = tokens.create_token(db.session, owner, name, scope, days)
            db.session.commit()
        return plaintext

    return make


@pytest.fixture
def as_user(app, session, make_token, bearer):
    """`as_user(user, scope="read-write", locale=None)` → `call(method, url, **kwargs)`, a test
    client sending `user`'s Bearer token. `locale="en"` first sets the user's language (for
    tests that read messages)."""

    def client_for(user, scope: str = "read-write", locale: str | None = None):
        if locale is not None:
            session.merge(user).locale = locale
            session.commit()
        headers = bearer(make_token(user, scope=scope))
        client = app.test_client()
        return lambda method, url, **kw: client.open(
            url, method=method, headers={**headers, **kw.pop("headers", {})}, **kw)

    return client_for


@pytest.fixture
def bearer():
    def headers(token: str, **extra) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", **extra}

    return headers


def expire(session, plaintext: str) -> None:
    row = session.query(ApiToken).filter_by(token_hash=tokens.hash_token(plaintext)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()


def error_code(response) -> str:
    """The `error.code` of a JSON error answer (and a check that it is one)."""
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])
    assert body["error"]["message"]
    return body["error"]["code"]


@pytest.fixture
def call_as(app, make_token, bearer):
    """`call_as(user, scope="read-write")` → `call(method, url, **kw)` with that user's token."""

    def client_for(user, scope: str = "read-write"):
        headers = bearer(make_token(user, scope=scope))
        client = app.test_client()
        return lambda method, url, **kw: client.open(url, method=method, headers=headers, **kw)

    return client_for

"""Personal access tokens: made and revoked on the profile page, shown once, stored hashed,
expiring, acting as their owner, read vs read-write, and for /api/ only."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.support.api_fixtures import error_code, expire
from tests.support.helpers import csrf_token, login_as, recording
from workflow_app.api.tokens import hash_token
from workflow_app.extensions import db
from workflow_app.models.api_token import ApiToken
from workflow_app.models.audit import AuditEvent
from workflow_app.models.user import User

TOKEN_RE = re.compile(r'data-testid="new-token-value">(tdkt_[A-Za-z0-9_-]+)<')


def _create_on_page(client, **fields):
    data = {"name": "Personnel sync", "scope": "read", "days": "30", **fields}
    return client.post("/account/tokens", data={**data, "csrf_token": csrf_token(client,
                                                                                  "/account")})


def test_token_made_on_the_profile_page_is_shown_once_and_stored_hashed(app, client, session,
                                                                        make_user):
    user = make_user("integrator", roles=["submitter"])
    login_as(app, client, user)
    response = _create_on_page(client)
    assert response.status_code == 201
    plaintext = TOKEN_RE.search(response.get_data(as_text=True)).group(1)
    [row] = session.scalars(select(ApiToken)).all()
    assert row.token_hash == hash_token(plaintext) and plaintext not in row.token_hash
    assert row.prefix == plaintext[:12] and row.scope == "read" and row.user_id == user.id
    again = client.get("/account").get_data(as_text=True)
    assert plaintext not in again and row.prefix in again  # never shown again, recognisable
    assert not TOKEN_RE.search(again)
    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert me.status_code == 200 and me.get_json()["username"] == "integrator"
    assert me.get_json()["authenticated_by"] == "token"
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.created"))


def test_token_lifetime_is_bounded(app, client, make_user, session):
    login_as(app, client, make_user("integrator"))
    for days in ("0", "366", "", "abc"):
        response = _create_on_page(client, days=days)
        assert response.status_code == 400, days
    assert session.scalars(select(ApiToken)).all() == []


def test_revoked_token_stops_working_and_only_its_owner_may_revoke_it(
        app, client, session, make_user, make_token, bearer):
    owner = make_user("owner")
    other = make_user("other")
    token = make_token(owner)
    row = session.scalar(select(ApiToken))
    login_as(app, client, other)
    refused = client.post(f"/account/tokens/{row.id}/revoke",
                          data={"csrf_token": csrf_token(client, "/account")})
    assert refused.status_code == 404
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200
    owner_client = app.test_client()
    login_as(app, owner_client, owner)
    done = owner_client.post(f"/account/tokens/{row.id}/revoke",
                             data={"csrf_token": csrf_token(owner_client, "/account")})
    assert done.status_code == 303
    response = app.test_client().get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401 and error_code(response) == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.revoked"))


def test_expired_token_and_disabled_owner_get_401(app, session, make_user, make_token, bearer):
    client = app.test_client()
    expiring = make_token(make_user("owner-a"))
    expire(session, expiring)
    assert error_code(client.get("/api/v1/me", headers=bearer(expiring))) == "invalid_token"
    owner = make_user("owner-b")
    token = make_token(owner)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    session.get(User, owner.id).is_active = False
    session.commit()
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401 and error_code(response) == "invalid_token"


def test_malformed_and_unknown_credentials_get_401(app, make_user):
    client = app.test_client()
    for header in ("Bearer tdkt_nope", "Bearer ", "Basic dXNlcjpwYXNz", "tdkt_x"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert error_code(response) == "invalid_token"
    assert error_code(client.get("/api/v1/me")) == "unauthenticated"


def test_read_token_cannot_call_a_write_operation(app, make_user, make_token, bearer,
                                                  make_dossier, submitter):
    dossier = make_dossier()
    token = make_token(submitter, scope="read")
    client = app.test_client()
    assert client.get(f"/api/v1/dossiers/{dossier.id}", headers=bearer(token)).status_code == 200
    response = client.post(f"/api/v1/dossiers/{dossier.id}/transitions/submit",
                           json={"version": dossier.version}, headers=bearer(token))
    assert response.status_code == 403 and error_code(response) == "insufficient_scope"


def test_token_is_not_accepted_on_html_pages(app, make_user, make_token, bearer):
    token = make_token(make_user("integrator", roles=["submitter"]))
    response = app.test_client().get("/dossiers/", headers=bearer(token))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_token_acts_with_its_owners_roles_and_records_last_use(app, session, make_user,
                                                               make_token, bearer):
    admin = make_user("admin-only", roles=["admin"])
    token = make_token(admin)
    response = app.test_client().get("/api/v1/dossiers", headers=bearer(token))
    assert response.status_code == 403 and error_code(response) == "role_required"
    row = session.scalar(select(ApiToken))
    session.refresh(row)
    assert row.last_used_at is not None


def test_a_token_its_owner_and_their_grants_are_one_statement_and_the_log_adds_none(
        app, session, make_user, make_token, bearer):
    token = make_token(make_user("reader"))
    client = app.test_client()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200  # last use
    with recording(db.engine) as log:
        response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200 and response.get_json()["username"] == "reader"
    # One statement reads the token with its owner (whether the account is active) and their
    # role grants with units (what they may reach): `/me` needs nothing else. The request log
    # names the user from what is loaded, never by reading the row again.
    [read] = log.touching("api_token")
    assert log.touching("app_user") == [read], log
    assert log.touching("role_grant") == [read], log
    assert [s.split()[0] for s in log if not s.startswith("BEGIN")] == ["SELECT"], log

"""Deny by default, CSRF, security headers, cookies, request size."""

import re

import pytest

from tests.support.helpers import csrf_token, login, login_as
from workflow_app.security import is_public_endpoint

# The explicit allow-list: every other endpoint needs a signed-in user.
PUBLIC_ENDPOINTS = {
    "static",
    "ops.health",
    "ops.ready",
    "ops.metrics",  # 404 unless METRICS_TOKEN is set, then only with that token
    "main.set_language",
    "auth.login",
    "auth.login_code",
    "auth.totp_setup",
    "public.index",
    "public.detail",
    # The API's description (it describes the API and exposes no data).
    "api.openapi_document",
    "api.docs_page",
}


def _url_for_rule(rule) -> str:
    """The rule with every variable filled: `any(a, b)` by its first option, others by 1."""
    def value(match: re.Match) -> str:
        options = match.group(1)
        return options.split(",")[0].strip() if options else "1"

    return re.sub(r"<(?:any\(([^)]*)\):|[a-z]+(?:\([^)]*\))?:)?[a-z_]+>", value, rule.rule)


def test_only_the_allow_list_is_public(app):
    public = {r.endpoint for r in app.url_map.iter_rules() if is_public_endpoint(app, r.endpoint)}
    assert public == PUBLIC_ENDPOINTS


def _protected_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS]


def test_every_protected_route_sends_an_anonymous_visitor_to_login(app, client):
    rules = _protected_rules(app)
    assert len(rules) > 10
    for rule in rules:
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        response = client.open(_url_for_rule(rule), method=method)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, rule.rule
        elif method == "GET":
            assert response.status_code == 302, rule.rule
            assert "/login" in response.headers["Location"], rule.rule
        else:
            # unsafe methods without a CSRF token are refused before anything else runs
            assert response.status_code in (302, 400), rule.rule


def test_admin_routes_are_forbidden_to_every_other_role(app, client, make_user):
    roles = ["submitter", "reviewer", "council_member", "secretary", "chair", "signer", "auditor"]
    user = make_user("everything-but-admin", roles=roles)
    login_as(app, client, user)
    admin_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert admin_rules
    for rule in admin_rules:
        if "GET" in rule.methods:
            assert client.get(_url_for_rule(rule)).status_code == 403, rule.rule


def test_form_post_without_csrf_token_is_refused_clearly(client, make_user):
    make_user("officer")
    response = client.post("/login", data={"username": "officer",
                                           "password": "correct-horse-battery"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not signed in


def test_form_post_with_a_forged_csrf_token_is_refused(client, make_user):
    make_user("officer")
    csrf_token(client)
    response = client.post("/login", data={"username": "officer", "csrf_token": "forged",
                                           "password": "correct-horse-battery"})
    assert response.status_code == 400


def test_pages_carry_security_headers_and_are_not_cached(client):
    response = client.get("/login")
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    with client.get("/static/vendor/bootstrap/bootstrap.min.css") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"


def test_no_inline_script_in_pages(app, client, make_user):
    user = make_user("officer", roles=["admin"])
    login_as(app, client, user)
    for path in ("/login", "/", "/account", "/admin/users"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert " style=" not in page, path
        assert " on" + "click=" not in page, path


@pytest.mark.sqlite_only
def test_session_cookie_is_secure_httponly_and_samesite_by_default(config, make_user,
                                                                  make_app):
    from dataclasses import replace

    secure_app = make_app(replace(config, cookie_secure=True))
    client = secure_app.test_client()
    make_user("officer")
    response = client.get("https://localhost/login")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_oversized_request_gets_413_not_500(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413


def test_health_needs_no_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}  # readiness: tests/ops


def test_unknown_page_is_a_friendly_404(client, make_user):
    make_user("officer")
    login(client, "officer")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert 'data-testid="error-page"' in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/dossiers/?q=a%00b", "/audit/?actor=%00", "/registry/?q=%00"])
def test_nul_in_a_query_is_a_clear_400_on_every_database(app, client, make_user, url):
    user = make_user("officer", roles=["submitter", "auditor"], locale="en")
    login_as(app, client, user)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_nul_in_a_form_field_is_a_clear_400_not_a_database_error(client, make_user):
    make_user("officer", locale="en")
    response = login(client, "offi\x00cer", "x")
    assert response.status_code == 400
    assert "ký tự NUL" in response.get_data(as_text=True)  # anonymous: the default language


def test_nul_in_an_api_query_is_a_json_400(app, client, make_user):
    user = make_user("officer", roles=["submitter"], locale="en")
    login_as(app, client, user)
    response = client.get("/api/v1/dossiers?q=%00")
    assert response.status_code == 400
    assert "NUL character" in response.get_json()["error"]["message"]

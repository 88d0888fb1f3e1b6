"""Every error under /api/ is JSON with a code — Flask's own, the engine's, ours — and bad
input never gives a 500."""

from __future__ import annotations

import pytest

from tests.support.api_fixtures import error_code
from tests.support.helpers import login_as


@pytest.fixture
def api(app, submitter, make_token, bearer):
    client = app.test_client()
    token = make_token(submitter)
    return client, bearer(token)


def test_flask_404_and_405_are_json(api):
    client, headers = api
    missing = client.get("/api/v1/no/such/thing", headers=headers)
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    wrong_method = client.delete("/api/v1/me", headers=headers)
    assert wrong_method.status_code == 405 and error_code(wrong_method) == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    huge_id = client.get("/api/v1/dossiers/99999999999999999999", headers=headers)
    assert huge_id.status_code == 404 and error_code(huge_id) == "not_found"


def test_anonymous_gets_json_401_even_for_unknown_methods(app):
    response = app.test_client().get("/api/v1/dossiers")
    assert response.status_code == 401 and error_code(response) == "unauthenticated"


def test_body_errors_are_400_415_422_with_field_details(api, make_dossier):
    client, headers = api
    dossier = make_dossier()
    url = f"/api/v1/dossiers/{dossier.id}/transitions/submit"
    malformed = client.post(url, data="{not json", content_type="application/json",
                            headers=headers)
    assert malformed.status_code == 400 and error_code(malformed) == "malformed_json"
    form = client.post(url, data={"version": "1"}, headers=headers)
    assert form.status_code == 415 and error_code(form) == "unsupported_media_type"
    invalid = client.post(url, json={"version": "one", "colour": "red"}, headers=headers)
    assert invalid.status_code == 422 and error_code(invalid) == "validation_failed"
    locations = {tuple(d["loc"]) for d in invalid.get_json()["error"]["details"]}
    assert locations == {("version",), ("colour",)}
    not_object = client.post(url, json=[1, 2], headers=headers)
    assert not_object.status_code == 422


def test_field_problems_read_in_the_callers_language(as_user, submitter, make_dossier):
    dossier = make_dossier()
    url = f"/api/v1/dossiers/{dossier.id}/transitions/submit"
    body = {"version": "one", "colour": "red", "reason": "x" * 5000,
            "document_date": "2026-13-01"}

    def problems(call) -> dict[str, str]:
        response = call("POST", url, json=body)
        assert response.status_code == 422 and error_code(response) == "validation_failed"
        return {d["loc"][0]: d["msg"] for d in response.get_json()["error"]["details"]}

    vietnamese = problems(as_user(submitter))
    assert vietnamese["version"] == "Nhập một số nguyên."
    assert vietnamese["colour"] == "Trường này không được gửi ở đây."
    assert "ký tự" in vietnamese["reason"] and "4000" in vietnamese["reason"]
    assert vietnamese["document_date"] == "Ngày này không tồn tại (2026-13-01)."
    english = problems(as_user(submitter, locale="en"))
    assert english["version"] == "Enter a whole number."
    assert english["reason"] == "Enter at most 4000 characters."
    assert english["document_date"] == "This date does not exist (2026-13-01)."
    year = as_user(submitter, locale="vi")("GET", "/api/v1/dossiers?year=20x6")
    assert year.status_code == 400
    assert [d["msg"] for d in year.get_json()["error"]["details"]] == [
        "Nhập một số nguyên: chỉ gồm chữ số, tối đa 18 chữ số."]


def test_too_large_body_is_json_413(app, api, make_dossier):
    client, headers = api
    app.config["MAX_CONTENT_LENGTH"] = 512
    dossier = make_dossier()
    response = client.post(f"/api/v1/dossiers/{dossier.id}/transitions/submit",
                           json={"version": 1, "reason": "x" * 2000}, headers=headers)
    assert response.status_code == 413 and error_code(response) == "too_large"


def test_bad_query_and_cursor_are_400(api):
    client, headers = api
    bad_limit = client.get("/api/v1/dossiers?limit=1000", headers=headers)
    assert bad_limit.status_code == 400 and error_code(bad_limit) == "invalid_query"
    assert bad_limit.get_json()["error"]["details"][0]["loc"] == ["limit"]
    for cursor in ("garbage", "djE6YWJj", "djE6LTE"):  # …, "v1:abc", "v1:-1"
        response = client.get("/api/v1/dossiers", query_string={"cursor": cursor},
                              headers=headers)
        assert response.status_code == 400 and error_code(response) == "invalid_cursor"
    not_even_base64 = client.get("/api/v1/dossiers?cursor=%25%25", headers=headers)
    assert error_code(not_even_base64) == "invalid_query"


def test_engine_refusals_keep_their_status_and_name_their_code(api, app, make_dossier,
                                                               make_token, bearer, reviewer):
    client, headers = api
    dossier = make_dossier("submitted")
    url = f"/api/v1/dossiers/{dossier.id}/transitions"
    stale = client.post(f"{url}/withdraw", json={"version": dossier.version + 5,
                                                 "reason": "x"}, headers=headers)
    assert stale.status_code == 409 and error_code(stale) == "stale_version"
    role = client.post(f"{url}/accept", json={"version": dossier.version}, headers=headers)
    assert role.status_code == 403 and error_code(role) == "forbidden"
    state = client.post(f"{url}/submit", json={"version": dossier.version}, headers=headers)
    assert state.status_code == 409 and error_code(state) == "invalid_transition"
    unknown = client.post(f"{url}/fly_away", json={"version": dossier.version},
                          headers=headers)
    assert unknown.status_code == 404 and error_code(unknown) == "unknown_action"
    review = bearer(make_token(reviewer))
    no_reason = client.post(f"{url}/return_for_supplement", json={"version": dossier.version},
                            headers=review)
    assert no_reason.status_code == 422 and error_code(no_reason) == "reason_required"


def test_a_guard_refusal_is_409_with_the_guard_named(api, make_dossier):
    client, headers = api
    dossier = make_dossier(documents=[])  # a draft without its documents cannot be submitted
    response = client.post(f"/api/v1/dossiers/{dossier.id}/transitions/submit",
                           json={"version": dossier.version}, headers=headers)
    assert response.status_code == 409 and error_code(response) == "guard_failed"
    assert response.get_json()["error"]["details"] == {"guard": "dossier_complete"}


def test_an_unexpected_error_is_a_json_500(app, api, monkeypatch):
    client, headers = api
    from workflow_app.accounts.api import routes as routes_me

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(routes_me, "MeOut", lambda **_: broken())
    app.logger.disabled = True
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 500 and error_code(response) == "internal_error"
    assert "boom" not in response.get_data(as_text=True)


def test_cookie_mutation_needs_the_csrf_header_bearer_does_not(app, client, make_dossier,
                                                              submitter, make_token, bearer):
    dossier = make_dossier()
    login_as(app, client, submitter)
    url = f"/api/v1/dossiers/{dossier.id}/transitions/withdraw"
    body = {"version": dossier.version, "reason": "duplicate"}
    assert client.get("/api/v1/me").get_json()["authenticated_by"] == "session"
    refused = client.post(url, json=body)
    assert refused.status_code == 400 and error_code(refused) == "csrf_failed"
    forged = client.post(url, json=body, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400 and error_code(forged) == "csrf_failed"
    page = client.get("/account").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    accepted = client.post(url, json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "withdrawn"


def test_bearer_wins_over_a_cookie_and_needs_no_csrf(app, client, make_dossier, submitter,
                                                     make_user, make_token, bearer):
    dossier = make_dossier()
    login_as(app, client, make_user("someone-else"))
    response = client.post(f"/api/v1/dossiers/{dossier.id}/transitions/withdraw",
                           json={"version": dossier.version, "reason": "duplicate"},
                           headers=bearer(make_token(submitter)))
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(make_token(submitter))).get_json()[
        "username"] == submitter.username


def test_an_undeliverable_email_is_refused_in_the_callers_language(as_user, make_user):
    admin = make_user("admin-mail", roles=["admin"])
    response = as_user(admin)("POST", "/api/v1/users", json={
        "username": "principal", "password": "a-long-enough-password-1", "person_id": None,
        "email": "someone@example.test"})
    assert response.status_code == 422
    problems = {d["loc"][0]: d for d in response.get_json()["error"]["details"]}
    assert problems["email"]["msg"] == "Nhập một địa chỉ thư điện tử hợp lệ, nhận được thư."
    assert "special-use" in problems["email"]["msg_en"]

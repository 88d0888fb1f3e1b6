"""The read endpoints beside dossiers: the caller, units (key-paginated), the catalogue."""

from __future__ import annotations

from datetime import date

from tests.support.api_fixtures import error_code


def test_me_lists_roles_with_their_units_and_the_token(app, make_token, bearer, submitter,
                                                       submitting_unit):
    body = app.test_client().get("/api/v1/me", headers=bearer(make_token(
        submitter, scope="read"))).get_json()
    assert body["username"] == submitter.username
    assert body["roles"] == [{"role": "submitter", "unit_id": submitting_unit.id,
                              "unit_code": submitting_unit.code,
                              "unit_name": submitting_unit.name}]
    assert body["token"]["scope"] == "read" and body["token"]["prefix"].startswith("tdkt_")


def test_units_are_paginated_by_id_and_filtered_by_parent(app, make_token, bearer, make_user,
                                                          root_unit, make_unit):
    children = [make_unit(parent=root_unit).id for _ in range(3)]
    headers = bearer(make_token(make_user("reader")))
    client = app.test_client()
    first = client.get("/api/v1/units?limit=2", headers=headers).get_json()
    second = client.get(f"/api/v1/units?limit=2&cursor={first['next_cursor']}",
                        headers=headers).get_json()
    ids = [u["id"] for u in first["items"] + second["items"]]
    assert ids == sorted(ids) == [root_unit.id, *children] and second["next_cursor"] is None
    only = client.get(f"/api/v1/units?parent_id={root_unit.id}", headers=headers).get_json()
    assert [u["id"] for u in only["items"]] == children


def test_catalogue_lists_awards_in_force_and_one_award_by_code(app, make_token, bearer,
                                                               make_user, make_award):
    award = make_award("LDTT_TEST", effective_from=date(2024, 1, 1))
    headers = bearer(make_token(make_user("reader")))
    client = app.test_client()
    listed = client.get("/api/v1/catalogue/awards?on=2025-06-01", headers=headers).get_json()
    assert [a["code"] for a in listed["items"]] == ["LDTT_TEST"] and listed["on"] == "2025-06-01"
    before = client.get("/api/v1/catalogue/awards?on=2023-06-01", headers=headers).get_json()
    assert before["items"] == []
    one = client.get("/api/v1/catalogue/awards/LDTT_TEST", headers=headers).get_json()
    assert one["id"] == award.id and one["current_version_id"] == one["versions"][0]["id"]
    missing = client.get("/api/v1/catalogue/awards/NOPE", headers=headers)
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    bad_day = client.get("/api/v1/catalogue/awards?on=yesterday", headers=headers)
    assert bad_day.status_code == 400 and error_code(bad_day) == "invalid_query"

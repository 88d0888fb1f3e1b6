"""Councils over the API, as the council management pages: admins over the council's unit
create it and change its seats and quorum rule (each change audited, with its basis); its
secretary, chair and auditors read it; another unit's council is a 404 with no data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.council_api_helpers import assert_hidden, body, count, events, make_outsider
from workflow_app.models.audit import AuditEvent
from workflow_app.models.council import Council, CouncilMember


@pytest.fixture
def outsider(make_user, other_unit):
    return make_outsider(make_user, other_unit)


@pytest.fixture
def admin(make_user):
    return make_user("council-admin", roles=["admin"], locale="en")


def test_an_admin_creates_a_council_seats_changes_and_ends_terms(
        call_as, session, admin, make_user, make_person, root_unit):
    api = call_as(admin)
    made = body(api("POST", "/api/v1/councils", json={
        "unit_id": root_unit.id, "code": "HDTDKT-BTP", "name": "Hội đồng TĐKT Bộ",
        "quorum_comparator": ">=", "quorum_ratio": "2/3",
        "basis": "Quyết định số 123/QĐ-BTP"}), 201)
    assert made["code"] == "HDTDKT-BTP" and made["members"] == [] and made["can_manage"]
    [created] = events(session, "council.created")
    assert created.actor_id == admin.id and created.data["basis"] == "Quyết định số 123/QĐ-BTP"

    chair = make_user("chair-x", roles=["chair"], person=make_person("Lê Văn Chủ"))
    seated = body(api("POST", f"/api/v1/councils/{made['id']}/members", json={
        "user_id": chair.id, "role": "chair", "term_from": "2024-01-01"}), 201)
    [seat] = seated["members"]
    assert (seat["name"], seat["role"], seat["voting"], seat["term_to"]) == \
        ("Lê Văn Chủ", "chair", True, None)
    assert seat["missing_grant"] is None and seat["serving_today"]
    assert events(session, "council.member_added")[0].data["user_id"] == chair.id

    changed = body(api("PUT", f"/api/v1/councils/members/{seat['id']}/role",
                       json={"role": "vice_chair"}))
    assert changed["members"][0]["role"] == "vice_chair"
    assert events(session, "council.member_role_changed")[0].data["role"] == \
        ["chair", "vice_chair"]
    ended = body(api("POST", f"/api/v1/councils/members/{seat['id']}/end-term",
                     json={"last_day": "2024-12-31", "basis": "QĐ 5/QĐ-BTP"}))
    assert ended["members"][0]["term_to"] == "2024-12-31"
    assert session.get(CouncilMember, seat["id"]).term_to == date(2024, 12, 31)

    rules = body(api("PUT", f"/api/v1/councils/{made['id']}/rules", json={
        "quorum_comparator": ">", "quorum_ratio": "1/2", "recuse_nominee_unit": True}))
    assert (rules["quorum_comparator"], rules["recuse_nominee_unit"]) == (">", True)
    assert len(events(session, "council.rules_changed")) == 1
    listed = body(api("GET", "/api/v1/councils"))
    assert [c["id"] for c in listed["items"]] == [made["id"]]


def test_readers_read_and_only_admins_change(call_as, make_council):
    kit = make_council(3)
    secretary = call_as(kit.secretary)
    one = body(secretary("GET", f"/api/v1/councils/{kit.council.id}"))
    assert one["can_manage"] is False and len(one["members"]) == 4
    assert {m["role"] for m in one["members"]} == {"chair", "secretary", "member"}
    refused = secretary("PUT", f"/api/v1/councils/{kit.council.id}/rules", json={
        "quorum_comparator": ">", "quorum_ratio": "1/2", "recuse_nominee_unit": False})
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    member = call_as(kit.members[1].user)
    assert member("GET", f"/api/v1/councils/{kit.council.id}").status_code == 403


def test_another_units_council_is_hidden_from_its_admin(tx, call_as, make_council, outsider):
    kit = make_council(3)
    seat_id, seat_name = kit.members[1].id, kit.members[1].name
    tx.commit()  # end the transaction the lazy loads above opened (SQLite would wait on it)
    api = call_as(outsider)
    assert body(api("GET", "/api/v1/councils"))["items"] == []
    assert_hidden(api("GET", f"/api/v1/councils/{kit.council.id}"), kit.council.name)
    assert_hidden(api("PUT", f"/api/v1/councils/members/{seat_id}/role",
                      json={"role": "chair"}), seat_name)
    assert_hidden(api("PUT", f"/api/v1/councils/{kit.council.id}/rules", json={
        "quorum_comparator": ">", "quorum_ratio": "1/2", "recuse_nominee_unit": False}))


@pytest.mark.parametrize("fields, code", [
    ({"quorum_ratio": "half"}, "invalid_input"),
    ({"code": "with space"}, "invalid_input"),
    ({"quorum_comparator": "<"}, "validation_failed"),
    ({"name": ""}, "validation_failed"),
    ({"unit_id": 999999}, "invalid_input"),
    ({"extra": True}, "validation_failed"),
])
def test_bad_council_input_is_refused_and_nothing_written(call_as, session, admin, root_unit,
                                                          fields, code):
    api = call_as(admin)
    before = count(session, Council), count(session, AuditEvent)
    response = api("POST", "/api/v1/councils", json={
        "unit_id": root_unit.id, "code": "HD-1", "name": "Hội đồng", **fields})
    assert response.status_code == 422 and error_code(response) == code
    assert (count(session, Council), count(session, AuditEvent)) == before


def test_a_second_chair_or_an_overlapping_seat_is_refused(call_as, session, make_council,
                                                         make_user):
    kit = make_council(3)
    admin = make_user("admin-c", roles=["admin"], locale="en")
    api = call_as(admin)
    url = f"/api/v1/councils/{kit.council.id}/members"
    second = api("POST", url, json={"user_id": kit.members[1].user_id, "role": "member",
                                    "term_from": "2024-01-01"})
    assert second.status_code == 422 and error_code(second) == "invalid_input"
    assert "already has a seat" in second.get_json()["error"]["message"]
    stranger = api("POST", url, json={"user_id": admin.id, "role": "member",
                                      "term_from": "2024-01-01"})
    assert stranger.status_code == 422  # no person of the council's unit
    assert count(session, CouncilMember) == 4


def test_a_read_token_cannot_change_a_council(call_as, session, make_council, make_user):
    kit = make_council(3)
    admin = make_user("admin-r", roles=["admin"])
    reader = call_as(admin, scope="read")
    refused = reader("PUT", f"/api/v1/councils/members/{kit.members[1].id}/role",
                     json={"role": "vice_chair"})
    assert refused.status_code == 403 and error_code(refused) == "insufficient_scope"
    assert session.scalar(select(CouncilMember.role).where(
        CouncilMember.id == kit.members[1].id)) == "member"
    assert [c["id"] for c in body(reader("GET", "/api/v1/councils"))["items"]] == \
        [kit.council.id]

"""Administration over the API, through the admin pages' services: accounts and roles, units,
clusters, and the catalogue reload — each change audited, refused for non-admins and read
tokens, bad input a 4xx with a reason and nothing written."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from tests.support.catalogue_helpers import ND152, copy_catalogue, database_state, edit
from tests.support.helpers import audit_events
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.models import AuditEvent, ClusterMembership, OrgUnit, RoleGrant, User
from workflow_app.models.org import Cluster


@pytest.fixture
def admin(make_user):
    return make_user("root", roles=["admin"], locale="en")


@pytest.fixture
def api(call_as, admin):
    return call_as(admin)




def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _body(response, status=200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_admin_creates_an_account_grants_and_revokes_a_role(api, admin, session, make_person,
                                                            root_unit):
    person = make_person("Trần Thị Lan")
    made = _body(api("POST", "/api/v1/users", json={
        "username": "lan.tt", "password": "a-good-password", "email": "lan@example.vn",
        "person_id": person.id}), 201)
    assert made["username"] == "lan.tt" and made["person"]["name"] == "Trần Thị Lan"
    assert made["grants"] == [] and made["is_active"] is True
    created = audit_events(session, "user.created")[-1]
    assert created.actor_id == admin.id and created.subject_id == str(made["id"])

    granted = _body(api("POST", f"/api/v1/users/{made['id']}/grants",
                        json={"role": "reviewer", "unit_id": root_unit.id}), 201)
    [grant] = granted["grants"]
    assert (grant["role"], grant["unit"]["code"]) == ("reviewer", "BTP")
    assert audit_events(session, "user.role_granted")[-1].data["role"] == "reviewer"

    revoked = _body(api("DELETE", f"/api/v1/users/{made['id']}/grants/{grant['id']}"))
    assert revoked["grants"] == []
    assert audit_events(session, "user.role_revoked")[-1].data["unit_code"] == "BTP"
    assert session.scalar(select(RoleGrant).where(RoleGrant.id == grant["id"])) is None
    again = api("DELETE", f"/api/v1/users/{made['id']}/grants/{grant['id']}")
    assert again.status_code == 404

    listed = _body(api("GET", "/api/v1/users?role=admin"))
    assert [u["username"] for u in listed["items"]] == ["root"]
    one = _body(api("GET", f"/api/v1/users/{made['id']}"))
    assert one["email"] == "lan@example.vn"


@pytest.mark.parametrize("fields, status, code", [
    ({"username": "Bad Name!"}, 422, "validation_failed"),
    ({"username": "x" * 65}, 422, "validation_failed"),
    ({"password": "short"}, 422, "validation_failed"),
    ({"email": "not-an-email"}, 422, "validation_failed"),
    ({"person_id": "1"}, 422, "validation_failed"),
    ({"person_id": 999999}, 404, "unknown_reference"),
    ({"extra": 1}, 422, "validation_failed"),
    ({"username": "root"}, 409, "rule_broken"),
])
def test_bad_new_account_input_is_refused_with_a_reason_and_nothing_written(
        api, session, fields, status, code):
    before = _count(session, User), _count(session, AuditEvent)
    response = api("POST", "/api/v1/users", json={
        "username": "newbie", "password": "a-good-password", **fields})
    assert response.status_code == status and error_code(response) == code
    assert (_count(session, User), _count(session, AuditEvent)) == before


def test_an_admin_cannot_remove_their_own_admin_role_or_disable_themselves(api, admin,
                                                                           session):
    own = session.scalar(select(RoleGrant).where(RoleGrant.user_id == admin.id))
    refused = api("DELETE", f"/api/v1/users/{admin.id}/grants/{own.id}")
    assert refused.status_code == 409 and error_code(refused) == "rule_broken"
    assert "your own administrator role" in refused.get_json()["error"]["message"]
    disabled = api("PUT", f"/api/v1/users/{admin.id}/active", json={"active": False})
    assert disabled.status_code == 409 and error_code(disabled) == "rule_broken"
    session.expire_all()
    assert session.get(User, admin.id).is_active and session.get(RoleGrant, own.id)


def test_disabling_an_account_stops_its_token_and_totp_reset_is_audited(
        api, call_as, make_user, session):
    other = make_user("other", roles=["submitter"], totp_secret=pyotp.random_base32())
    other_api = call_as(other)
    assert other_api("GET", "/api/v1/me").status_code == 200
    off = _body(api("PUT", f"/api/v1/users/{other.id}/active", json={"active": False}))
    assert off["is_active"] is False
    assert other_api("GET", "/api/v1/me").status_code == 401
    assert audit_events(session, "user.disabled")[-1].subject_id == str(other.id)
    assert _body(api("PUT", f"/api/v1/users/{other.id}/active",
                     json={"active": True}))["is_active"] is True
    reset = _body(api("POST", f"/api/v1/users/{other.id}/totp-reset"))
    assert reset["totp_enabled"] is False
    assert audit_events(session, "user.totp_reset")[-1].subject_id == str(other.id)
    assert api("PUT", f"/api/v1/users/{other.id}/active",
               json={"active": "no"}).status_code == 422


def test_admin_creates_and_edits_units_keeping_paths_right(api, session, root_unit):
    made = _body(api("POST", "/api/v1/units", json={
        "code": "CA", "name": "Cục A", "kind": "agency", "parent_id": root_unit.id,
        "symbol": "CA"}), 201)
    assert made["path"] == f"{root_unit.path}{made['id']}/"
    child = _body(api("POST", "/api/v1/units", json={
        "code": "CA-P1", "name": "Phòng 1", "kind": "division", "parent_id": made["id"]}), 201)
    moved = _body(api("PATCH", f"/api/v1/units/{made['id']}",
                      json={"parent_id": None, "name_en": "Agency A"}))
    assert moved["path"] == f"/{made['id']}/" and moved["parent_id"] is None
    assert moved["name_en"] == "Agency A" and moved["name"] == "Cục A"
    session.expire_all()
    assert session.get(OrgUnit, child["id"]).path == f"/{made['id']}/{child['id']}/"
    [event] = audit_events(session, "unit.updated")
    assert event.data["changes"]["name_en"] == ["", "Agency A"]
    loop = api("PATCH", f"/api/v1/units/{made['id']}", json={"parent_id": child["id"]})
    assert loop.status_code == 409 and error_code(loop) == "rule_broken"
    taken = api("POST", "/api/v1/units", json={"code": "ca", "name": "X", "kind": "agency"})
    assert taken.status_code == 409 and "taken" in taken.get_json()["error"]["message"]
    blank = api("POST", "/api/v1/units", json={"code": "X1", "name": "  ", "kind": "agency"})
    assert blank.status_code == 422
    no_parent = api("PATCH", f"/api/v1/units/{made['id']}", json={"parent_id": 999999})
    assert no_parent.status_code == 404 and error_code(no_parent) == "unknown_reference"
    assert api("PATCH", "/api/v1/units/999999", json={"name": "Y"}).status_code == 404
    # The document settings a decision needs (issue 18): audited; a placeholder is refused.
    line = "Căn cứ Quyết định số 12/QĐ-TEST ngày 02 tháng 01 năm 2024 của Bộ trưởng;"
    settings = _body(api("PATCH", f"/api/v1/units/{made['id']}", json={
        "founding_ground": line, "head_title": "Cục trưởng Cục A"}))
    assert (settings["founding_ground"], settings["head_title"]) == (line, "Cục trưởng Cục A")
    [*_, event] = audit_events(session, "unit.updated")
    assert event.data["changes"]["founding_ground"] == ["", line]
    for bad in ("Căn cứ Nghị định số …;", "Căn cứ Luật TĐKT 2022, Điều 74 (k1: cá nhân).;",
                "Nghị định số 12/2024/NĐ-CP"):
        refused = api("PATCH", f"/api/v1/units/{made['id']}", json={"founding_ground": bad})
        assert refused.status_code == 409 and error_code(refused) == "rule_broken", bad
    session.expire_all()
    assert session.get(OrgUnit, made["id"]).founding_ground == line


def test_admin_creates_a_cluster_and_sets_and_removes_members(api, session, root_unit,
                                                              make_unit):
    a, b = make_unit("Cục A", code="CA"), make_unit("Cục B", code="CB")
    cluster = _body(api("POST", "/api/v1/clusters", json={
        "code": "K1", "name": "Khối 1", "kind": "block", "organiser_unit_id": root_unit.id}),
        201)
    assert cluster["kind"] == "block" and cluster["members_by_year"] == []
    path = f"/api/v1/clusters/{cluster['id']}/memberships"
    _body(api("POST", path, json={"unit_id": a.id, "year": 2025, "role": "head"}), 201)
    after = _body(api("POST", path, json={"unit_id": b.id, "year": 2025}), 201)
    [year] = after["members_by_year"]
    assert year["head"]["code"] == "CA"
    assert [(m["unit"]["code"], m["role"]) for m in year["members"]] == \
        [("CA", "head"), ("CB", "member")]
    second_head = api("POST", path, json={"unit_id": b.id, "year": 2025, "role": "head"})
    assert second_head.status_code == 409 and error_code(second_head) == "rule_broken"
    member_b = next(m["id"] for m in year["members"] if m["unit"]["code"] == "CB")
    left = _body(api("DELETE", f"{path}/{member_b}"))
    assert [m["unit"]["code"] for m in left["members_by_year"][0]["members"]] == ["CA"]
    assert _count(session, ClusterMembership) == 1
    assert [e.action for e in session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "cluster").order_by(AuditEvent.seq))] == [
        "cluster.created", "cluster.membership_set", "cluster.membership_set",
        "cluster.membership_removed"]
    assert api("DELETE", f"{path}/{member_b}").status_code == 404
    assert api("POST", path, json={"unit_id": a.id, "year": 1900}).status_code == 422
    assert api("POST", "/api/v1/clusters/999999/memberships",
               json={"unit_id": a.id, "year": 2025}).status_code == 404
    assert _count(session, Cluster) == 1


def test_catalogue_reload_reports_changes_and_a_broken_file_changes_nothing(
        api, app, session, tmp_path):
    load_catalogue(session)
    session.commit()
    same = _body(api("POST", "/api/v1/catalogue/reload"))
    assert same["counts"] == {"added": 0, "changed": 0, "restored": 0, "withdrawn": 0,
                              "unchanged": 33}
    directory = copy_catalogue(tmp_path)
    edit(directory, ND152, 'ratio = "9/10"', 'ratio = "4/5"')
    app.config["CATALOGUE_DIR"] = directory
    changed = _body(api("POST", "/api/v1/catalogue/reload"))
    assert changed["counts"]["changed"] == 1
    assert [c["code"] for c in changed["changes"] if c["action"] == "changed"] == ["CSTD_BO"]
    assert audit_events(session, "catalogue.version_changed")[-1].actor_label == "root"

    before = database_state(session)
    edit(directory, ND152, 'method = "secret_ballot"', 'method = "show_of_hands"')
    broken = api("POST", "/api/v1/catalogue/reload")
    assert broken.status_code == 409 and error_code(broken) == "catalogue_invalid"
    assert any("show_of_hands" in problem for problem in broken.get_json()["error"]["details"])
    assert database_state(session) == before


def test_administration_is_for_admins_with_a_read_write_token(call_as, make_user, admin,
                                                              session, root_unit):
    auditor = call_as(make_user("nosy", roles=["auditor", "reviewer", "chair"]))
    read_only = call_as(admin, scope="read")
    before = _count(session, AuditEvent)
    calls = [("GET", "/api/v1/users", None), ("GET", f"/api/v1/users/{admin.id}", None),
             ("POST", "/api/v1/users", {"username": "x-user", "password": "a-good-password"}),
             ("POST", f"/api/v1/users/{admin.id}/grants",
              {"role": "auditor", "unit_id": root_unit.id}),
             ("PUT", f"/api/v1/users/{admin.id}/active", {"active": False}),
             ("POST", f"/api/v1/users/{admin.id}/totp-reset", None),
             ("POST", "/api/v1/units", {"code": "Z", "name": "Z", "kind": "agency"}),
             ("PATCH", f"/api/v1/units/{root_unit.id}", {"name": "Z"}),
             ("POST", "/api/v1/clusters", {"code": "Z", "name": "Z", "kind": "cluster",
                                           "organiser_unit_id": root_unit.id}),
             ("POST", "/api/v1/catalogue/reload", None)]
    for method, url, body in calls:
        refused = auditor(method, url, json=body) if body else auditor(method, url)
        assert refused.status_code == 403 and error_code(refused) == "role_required", url
        assert "root" not in refused.get_data(as_text=True)
        if method != "GET":
            scoped = read_only(method, url, json=body) if body else read_only(method, url)
            assert scoped.status_code == 403, url
            assert error_code(scoped) == "insufficient_scope"
    assert _count(session, AuditEvent) == before  # nothing was done

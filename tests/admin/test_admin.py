"""Administration: users, roles, units, clusters — with bad input and audit events."""

import pytest
from sqlalchemy import func, select

from tests.support.helpers import login_as, post_form
from workflow_app.models import AuditEvent, ClusterMembership, OrgUnit, RoleGrant, User


@pytest.fixture
def admin_client(app, client, make_user):
    admin = make_user("root", roles=["admin"])
    login_as(app, client, admin)
    return client


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def _actions(session):
    return session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()


def test_admin_creates_a_user_linked_to_a_person(admin_client, session, make_person):
    person = make_person("Trần Thị Lan")
    response = post_form(admin_client, "/admin/users/new", {
        "username": "lan.tt", "email": "lan@example.vn", "password": "a-good-password",
        "person_id": str(person.id)})
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.username == "lan.tt"))
    assert user.person_id == person.id
    assert "user.created" in _actions(session)


@pytest.mark.parametrize("fields, message", [
    ({"username": ""}, "username"),
    ({"username": "x" * 65}, "username"),
    ({"username": "Bad Name!"}, "username"),
    ({"password": "short"}, "password"),
    ({"email": "not-an-email"}, "email"),
    ({"person_id": "999999"}, "person_id"),
    ({"person_id": "abc"}, "person_id"),
])
def test_bad_new_user_input_gets_a_form_error_and_creates_nothing(
        admin_client, session, fields, message):
    data = {"username": "newbie", "email": "", "password": "a-good-password", "person_id": "0"}
    data.update(fields)
    before = _count(session, User)
    response = post_form(admin_client, "/admin/users/new", data)
    assert response.status_code == 400
    assert f'id="{message}"' in response.get_data(as_text=True)
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert _count(session, User) == before


def test_duplicate_username_is_a_clear_422(admin_client, session, make_user):
    make_user("taken")
    response = post_form(admin_client, "/admin/users/new", {
        "username": "taken", "password": "a-good-password", "person_id": "0"})
    assert response.status_code == 422
    assert "taken" in response.get_data(as_text=True)


def test_grant_and_revoke_a_role_are_audited(admin_client, session, make_user, make_unit):
    user = make_user("officer")
    unit = make_unit("Cục Con nuôi")
    path = f"/admin/users/{user.id}"
    response = post_form(admin_client, f"{path}/grants", {"role": "submitter",
                                                          "unit_id": str(unit.id)},
                         token_from=path)
    assert response.status_code == 302
    grant = session.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id))
    assert (grant.role, grant.unit_id) == ("submitter", unit.id)
    response = post_form(admin_client, f"{path}/grants/{grant.id}/revoke", {}, token_from=path)
    assert response.status_code == 302
    assert session.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id)) is None
    actions = _actions(session)
    assert actions.index("user.role_granted") < actions.index("user.role_revoked")


@pytest.mark.parametrize("role, unit_id", [("emperor", None), ("submitter", "999999"),
                                           ("submitter", "x")])
def test_forged_role_or_unit_is_refused(admin_client, session, make_user, role, unit_id):
    user = make_user("officer")
    path = f"/admin/users/{user.id}"
    response = post_form(admin_client, f"{path}/grants", {
        "role": role, "unit_id": unit_id or str(user.id)}, token_from=path)
    assert response.status_code == 400
    assert session.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id)) is None


def test_admin_cannot_disable_themself(admin_client, session):
    me = session.scalar(select(User).where(User.username == "root"))
    response = post_form(admin_client, f"/admin/users/{me.id}/active", {"active": "0"},
                         token_from=f"/admin/users/{me.id}")
    assert response.status_code == 302
    session.refresh(me)
    assert me.is_active


def test_unknown_user_page_is_404(admin_client):
    assert admin_client.get("/admin/users/424242").status_code == 404


def test_moving_a_unit_updates_the_paths_of_its_subtree(admin_client, session, make_unit):
    ministry = make_unit("Bộ", kind="ministry")
    agency = make_unit("Cục A", parent=ministry)
    division = make_unit("Phòng 1", kind="division", parent=agency)
    other = make_unit("Cục B", parent=ministry)
    response = post_form(admin_client, f"/admin/units/{agency.id}/edit", {
        "code": agency.code, "name": "Cục A", "name_en": "", "kind": "agency", "symbol": "",
        "parent_id": str(other.id)})
    assert response.status_code == 302
    session.expire_all()
    moved = session.get(OrgUnit, division.id)
    assert moved.path == f"{ministry.path}{other.id}/{agency.id}/{division.id}/"
    assert "unit.updated" in _actions(session)


def test_a_unit_cannot_be_moved_under_its_own_child(admin_client, session, make_unit):
    parent = make_unit("Cục A")
    child = make_unit("Phòng 1", kind="division", parent=parent)
    response = post_form(admin_client, f"/admin/units/{parent.id}/edit", {
        "code": parent.code, "name": parent.name, "kind": "agency",
        "parent_id": str(child.id)})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(OrgUnit, parent.id).parent_id is None


def test_a_cluster_year_has_one_head(admin_client, session, make_unit):
    organiser = make_unit("Bộ Tư pháp", kind="ministry")
    a, b = make_unit("Cục A"), make_unit("Cục B")
    response = post_form(admin_client, "/admin/clusters", {
        "code": "CUM3", "name": "Cụm thi đua số III", "kind": "cluster",
        "organiser_unit_id": str(organiser.id)})
    assert response.status_code == 302
    path = response.headers["Location"]
    assert post_form(admin_client, path, {"unit_id": str(a.id), "year": "2018",
                                          "role": "head"}).status_code == 302
    second = post_form(admin_client, path, {"unit_id": str(b.id), "year": "2018",
                                            "role": "head"})
    assert second.status_code == 422
    assert _count(session, ClusterMembership) == 1


@pytest.mark.parametrize("year", ["", "abc", "1800", "99999"])
def test_bad_membership_year_is_a_form_error(admin_client, session, make_unit, year):
    organiser = make_unit("Bộ", kind="ministry")
    response = post_form(admin_client, "/admin/clusters", {
        "code": "K1", "name": "Khối 1", "kind": "block",
        "organiser_unit_id": str(organiser.id)})
    path = response.headers["Location"]
    response = post_form(admin_client, path, {"unit_id": str(organiser.id), "year": year,
                                              "role": "member"})
    assert response.status_code == 400
    assert _count(session, ClusterMembership) == 0


def test_a_cluster_year_may_have_several_deputies(admin_client, session, make_unit):
    organiser = make_unit("Bộ", kind="ministry")
    a, b = make_unit("Sở Tư pháp Đồng Nai"), make_unit("Cục THADS Ninh Thuận")
    path = post_form(admin_client, "/admin/clusters", {
        "code": "DNB", "name": "Khối Đông Nam bộ", "kind": "block",
        "organiser_unit_id": str(organiser.id)}).headers["Location"]
    for unit in (a, b):
        assert post_form(admin_client, path, {"unit_id": str(unit.id), "year": "2018",
                                              "role": "deputy"}).status_code == 302
    assert _count(session, ClusterMembership) == 2


def test_the_administration_start_page_is_the_account_list(app, client, make_user):
    from tests.support.helpers import login_as

    login_as(app, client, make_user("root.admin", roles=["admin"]))
    response = client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")

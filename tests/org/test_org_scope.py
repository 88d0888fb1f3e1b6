"""Who sees which persons and whose national ID in full (workflow_app/org/service/scope.py)."""

from workflow_app.models.org import Person
from workflow_app.org.service import scope

NATIONAL_ID = "044187900126"


def _tree(make_unit, root_unit):
    """root ─┬─ agency A ── division A1
             └─ agency B"""
    a = make_unit("Cục A", parent=root_unit)
    a1 = make_unit("Phòng A1", kind="division", parent=a)
    b = make_unit("Cục B", parent=root_unit)
    return a, a1, b


def _names(session, user):
    return sorted(session.scalars(scope.visible_persons(user).with_only_columns(Person.full_name)))


def test_grant_covers_its_unit_and_sub_units_only_in_sql(session, make_unit, make_person,
                                                         make_user, root_unit):
    a, a1, b = _tree(make_unit, root_unit)
    make_person("Người A", unit=a)
    make_person("Người A1", unit=a1)
    make_person("Người B", unit=b)
    make_person("Người Bộ", unit=root_unit)
    officer = make_user(roles=["submitter"], unit=a)
    assert _names(session, officer) == ["Người A", "Người A1"]


def test_several_grants_add_up_and_nested_grants_collapse(session, make_unit, make_person,
                                                          make_user, root_unit):
    a, a1, b = _tree(make_unit, root_unit)
    for unit in (a, a1, b, root_unit):
        make_person(f"Người {unit.id}", unit=unit)
    user = make_user(roles=["submitter"], unit=a1)
    from workflow_app.accounts.service.users import grant_role

    grant_role(session, user, "reviewer", a, actor=None)
    grant_role(session, user, "council_member", b, actor=None)
    session.commit()
    assert scope.scope_paths(user) in ([a.path, b.path], [b.path, a.path])
    assert len(_names(session, user)) == 3  # a, a1 and b; not the ministry itself


def test_user_without_grants_sees_no_person(session, make_person, make_user):
    make_person("Ai đó")
    assert _names(session, make_user()) == []


def test_admin_and_auditor_see_every_person(session, make_unit, make_person, make_user,
                                            root_unit):
    a, _a1, b = _tree(make_unit, root_unit)
    make_person("Người A", unit=a)
    make_person("Người B", unit=b)
    for role in ("admin", "auditor"):
        user = make_user(roles=[role], unit=a)  # even when granted on a small unit
        assert _names(session, user) == ["Người A", "Người B"]


def test_full_national_id_only_for_admin_and_submitter_or_reviewer_in_scope(
        make_unit, make_person, make_user, root_unit):
    a, a1, b = _tree(make_unit, root_unit)
    person = make_person("Người A1", unit=a1, national_id=NATIONAL_ID)
    masked = person.masked_national_id
    assert masked.endswith("0126") and NATIONAL_ID not in masked
    expectations = {
        ("admin", b): NATIONAL_ID,
        ("submitter", a): NATIONAL_ID,
        ("reviewer", root_unit): NATIONAL_ID,
        ("submitter", b): masked,  # not their unit (and cannot see the person at all)
        ("council_member", root_unit): masked,
        ("auditor", root_unit): masked,
        ("secretary", a): masked,
    }
    for (role, unit), shown in expectations.items():
        user = make_user(roles=[role], unit=unit)
        assert scope.national_id_for(user, person) == shown, role


def test_person_without_national_id_shows_nothing(make_person, make_user):
    person = make_person("Không số")
    assert scope.national_id_for(make_user(roles=["admin"]), person) == ""


def test_names_sort_in_vietnamese_alphabetical_order():
    from workflow_app.org.service.collation import vi_sort_key

    names = ["Cục Trợ giúp pháp lý", "Cục Đăng ký", "Cục Dân số", "Cục Ân", "Cục An", "Cục Ư",
             "Cục Uy", "cục bồi thường", "Cục Ăn"]
    assert sorted(names, key=vi_sort_key) == [
        "Cục An", "Cục Ăn", "Cục Ân", "cục bồi thường", "Cục Dân số", "Cục Đăng ký",
        "Cục Trợ giúp pháp lý", "Cục Uy", "Cục Ư"]

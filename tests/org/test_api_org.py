"""Organisation over the API, scoped as its pages: one unit (persons only within the caller's
scope), persons (key-paginated, accent-blind search, national ID masked unless entitled,
another unit's person → 404), clusters with their members per year."""

from __future__ import annotations

import pytest

from tests.support.api_fixtures import error_code
from workflow_app.org.service import clusters as cluster_service

NATIONAL_ID = "001188900119"


@pytest.fixture
def org(make_unit, make_person, root_unit):
    a = make_unit("Cục Hộ tịch, quốc tịch, chứng thực", code="CHT", parent=root_unit)
    a1 = make_unit("Phòng Hộ tịch", kind="division", code="CHT-PHT", parent=a)
    b = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice", code="STP-QB",
                  parent=root_unit)
    return {
        "a": a, "a1": a1, "b": b,
        "pa": make_person("Lý Thị Thu Trang", unit=a, national_id=NATIONAL_ID),
        "pa_leader": make_person("Tô Văn Nam", unit=a, is_leader=True),
        "pa1": make_person("Nguyễn Văn Hùng", unit=a1),
        "pb": make_person("Phạm Thị Ngọc Lan", unit=b, position="Chuyên viên"),
    }


def _ok(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_one_unit_shows_its_tree_and_only_the_persons_the_caller_covers(call_as, make_user,
                                                                       org, root_unit):
    officer = call_as(make_user("officer-a", roles=["submitter"], unit=org["a"]))
    body = _ok(officer("GET", f"/api/v1/units/{org['a'].id}"))
    assert body["code"] == "CHT" and body["persons_visible"] is True
    assert [u["id"] for u in body["ancestors"]] == [root_unit.id]
    assert [u["code"] for u in body["sub_units"]] == ["CHT-PHT"]
    # Leaders first, as on the page; a submitter over the unit sees the full national ID.
    assert [p["full_name"] for p in body["persons"]] == ["Tô Văn Nam", "Lý Thị Thu Trang"]
    assert body["persons"][1]["national_id"] == NATIONAL_ID
    assert body["persons"][1]["national_id_is_full"] is True

    other = _ok(officer("GET", f"/api/v1/units/{org['b'].id}"))
    assert other["code"] == "STP-QB"  # the tree is open to every signed-in user …
    assert other["persons_visible"] is False and other["persons"] == []  # … its people not
    assert "Phạm Thị Ngọc Lan" not in str(other)
    missing = officer("GET", "/api/v1/units/999999")
    assert missing.status_code == 404 and error_code(missing) == "not_found"


def test_persons_are_scoped_like_the_person_page(call_as, make_user, org):
    officer = call_as(make_user("officer-a", roles=["council_member"], unit=org["a"]))
    listed = _ok(officer("GET", "/api/v1/persons"))
    assert {p["id"] for p in listed["items"]} == {org["pa"].id, org["pa_leader"].id,
                                                   org["pa1"].id}
    masked = next(p for p in listed["items"] if p["id"] == org["pa"].id)
    assert masked["national_id"] == "••••••••0119" and masked["national_id_is_full"] is False
    hidden = officer("GET", f"/api/v1/persons/{org['pb'].id}")
    missing = officer("GET", "/api/v1/persons/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()  # existence is not disclosed
    assert "Phạm" not in hidden.get_data(as_text=True)
    one = _ok(officer("GET", f"/api/v1/persons/{org['pa1'].id}"))
    assert one["unit"]["code"] == "CHT-PHT" and one["full_name"] == "Nguyễn Văn Hùng"

    auditor = call_as(make_user("auditor-x", roles=["auditor"], unit=org["a1"]))
    assert _ok(auditor("GET", f"/api/v1/persons/{org['pb'].id}"))["full_name"] == \
        "Phạm Thị Ngọc Lan"


def test_person_search_ignores_case_and_accents_and_pages_by_id(call_as, make_user, org,
                                                               make_person):
    more = [make_person(f"Nguyễn Thị Hoa {i}", unit=org["a1"]).id for i in range(3)]
    admin = call_as(make_user("admin-x", roles=["admin"]))
    found = _ok(admin("GET", "/api/v1/persons", query_string={"q": "NGUYEN"}))
    assert [p["id"] for p in found["items"]] == [org["pa1"].id, *more]
    first = _ok(admin("GET", "/api/v1/persons", query_string={"q": "nguyen thi", "limit": 2}))
    second = _ok(admin("GET", "/api/v1/persons", query_string={
        "q": "nguyen thi", "limit": 2, "cursor": first["next_cursor"]}))
    assert [p["id"] for p in first["items"] + second["items"]] == more
    assert second["next_cursor"] is None
    in_unit = _ok(admin("GET", f"/api/v1/persons?unit_id={org['b'].id}"))
    assert [p["full_name"] for p in in_unit["items"]] == ["Phạm Thị Ngọc Lan"]
    bad = admin("GET", "/api/v1/persons?unit_id=abc")
    assert bad.status_code == 400 and error_code(bad) == "invalid_query"


def test_a_search_is_answered_by_the_index_in_one_full_page(call_as, make_user, org,
                                                              make_person):
    """No scan budget any more: the index answers, so a match after many non-matching
    persons comes back on the first page with no cursor."""
    for i in range(5):
        make_person(f"Đỗ Minh Tâm {i}", unit=org["b"])
    target = make_person("Đỗ Minh Châu", unit=org["b"])
    admin = call_as(make_user("admin-x", roles=["admin"]))
    page = _ok(admin("GET", "/api/v1/persons", query_string={"q": "do minh chau"}))
    assert [p["id"] for p in page["items"]] == [target.id] and page["next_cursor"] is None


def test_clusters_list_and_members_per_year(call_as, make_user, org, root_unit, session):
    cluster = cluster_service.create_cluster(session, code="C1", name="Cụm thi đua số 1",
                                             kind="cluster", organiser=root_unit)
    cluster_service.set_membership(session, cluster, org["a"], 2025, "head")
    cluster_service.set_membership(session, cluster, org["b"], 2025, "member")
    cluster_service.set_membership(session, cluster, org["b"], 2024, "head")
    session.commit()
    reader = call_as(make_user("reader", roles=["submitter"], unit=org["a1"], locale="en"))
    listed = _ok(reader("GET", "/api/v1/clusters"))
    assert [(c["code"], c["years"]) for c in listed["items"]] == [("C1", [2025, 2024])]
    assert _ok(reader("GET", "/api/v1/clusters?kind=block"))["items"] == []
    body = _ok(reader("GET", f"/api/v1/clusters/{cluster.id}"))
    latest = body["members_by_year"][0]
    assert latest["year"] == 2025 and latest["head"]["code"] == "CHT"
    assert [(m["unit"]["code"], m["role"]) for m in latest["members"]] == \
        [("CHT", "head"), ("STP-QB", "member")]
    only = _ok(reader("GET", f"/api/v1/clusters/{cluster.id}?year=2024"))
    assert [y["year"] for y in only["members_by_year"]] == [2024]
    assert reader("GET", f"/api/v1/clusters/{cluster.id}?year=20x").status_code == 400
    assert reader("GET", "/api/v1/clusters/999999").status_code == 404
    assert _ok(reader("GET", f"/api/v1/units/{org['a'].id}"))["clusters"] == [{
        "year": 2025, "cluster": {"id": cluster.id, "code": "C1", "name": "Cụm thi đua số 1"},
        "role": "head", "role_label": "Head (trưởng cụm)"}]

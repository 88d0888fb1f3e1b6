"""Organisation pages: unit tree, unit, person (scoped), clusters by year."""

from html.parser import HTMLParser

import pytest

from tests.support.helpers import login_as
from workflow_app.org.service import clusters as cluster_service

NATIONAL_ID = "001188900119"


class _UnitNesting(HTMLParser):
    """Records, for each `data-testid="unit-<code>"` item, the codes of its enclosing items."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.parents: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        testid = dict(attrs).get("data-testid") or ""
        code = testid[len("unit-"):] if tag == "li" and testid.startswith("unit-") else None
        if code:
            self.parents[code] = [c for _t, c in self.stack if c]
        self.stack.append((tag, code))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


@pytest.fixture
def org(make_unit, make_person, root_unit):
    a = make_unit("Cục Hộ tịch, quốc tịch, chứng thực", code="CHT", parent=root_unit)
    a1 = make_unit("Phòng Hộ tịch", kind="division", code="CHT-PHT", parent=a)
    b = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice", code="STP-QB",
                  parent=root_unit)
    return {
        "a": a, "a1": a1, "b": b,
        "pa": make_person("Lý Thị Thu Trang", unit=a, national_id=NATIONAL_ID),
        "pa1": make_person("Tô Văn Nam", unit=a1, is_leader=True),
        "pb": make_person("Phạm Thị Ngọc Lan", unit=b, position="Chuyên viên"),
    }


def _page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_unit_tree_nests_sub_units_under_their_parents(app, client, org, make_user, root_unit):
    login_as(app, client, make_user(roles=["council_member"]))
    parser = _UnitNesting()
    parser.feed(_page(client, "/org/units"))
    assert parser.parents["BTP"] == []
    assert parser.parents["CHT"] == ["BTP"]
    assert parser.parents["CHT-PHT"] == ["BTP", "CHT"]
    assert parser.parents["STP-QB"] == ["BTP"]


def test_unit_tree_is_open_to_any_signed_in_user_in_both_languages(app, client, session, org,
                                                                    make_user):
    user = make_user()  # no roles at all: unit names are not personal data
    login_as(app, client, user)
    assert "Phòng Hộ tịch" in _page(client, "/org/units")
    user.locale = "en"
    session.commit()
    page = _page(client, "/org/units")
    assert f">{org['a1'].name_en}<" in page and "Phòng Hộ tịch" not in page


def test_submitter_sees_own_people_but_not_another_units(app, client, org, make_user):
    login_as(app, client, make_user(roles=["submitter"], unit=org["a"]))
    own = _page(client, f"/org/units/{org['a'].id}")
    assert "Lý Thị Thu Trang" in own
    assert NATIONAL_ID in own  # a submitter in scope sees the full number
    assert "Tô Văn Nam" in _page(client, f"/org/persons/{org['pa1'].id}")  # sub-unit
    other = _page(client, f"/org/units/{org['b'].id}")
    assert "Phạm Thị Ngọc Lan" not in other
    assert 'data-testid="persons-out-of-scope"' in other
    _page(client, f"/org/persons/{org['pb'].id}", status=404)


def test_person_outside_scope_and_missing_person_get_the_same_404(app, client, org, make_user):
    login_as(app, client, make_user(roles=["submitter"], unit=org["b"]))
    hidden = client.get(f"/org/persons/{org['pa'].id}")
    missing = client.get("/org/persons/999999")
    assert hidden.status_code == missing.status_code == 404
    assert "Lý Thị Thu Trang" not in hidden.get_data(as_text=True)


def test_auditor_sees_everyone_with_masked_national_ids(app, client, org, make_user):
    login_as(app, client, make_user(roles=["auditor"], unit=org["b"]))
    page = _page(client, f"/org/units/{org['a'].id}")
    assert "Lý Thị Thu Trang" in page
    assert NATIONAL_ID not in page and org["pa"].masked_national_id in page
    assert "Phạm Thị Ngọc Lan" in _page(client, f"/org/persons/{org['pb'].id}")


def test_national_id_masked_for_council_member_full_for_admin(app, client, org, make_user):
    path = f"/org/persons/{org['pa'].id}"
    login_as(app, client, make_user(roles=["council_member"]))
    page = _page(client, path)
    assert "Lý Thị Thu Trang" in page  # in scope (granted on the ministry) …
    assert NATIONAL_ID not in page and org["pa"].masked_national_id in page  # … but masked
    admin_client = app.test_client()
    login_as(app, admin_client, make_user(roles=["admin"]))
    assert NATIONAL_ID in _page(admin_client, path)


def test_unit_page_lists_sub_units_people_and_cluster_roles(app, client, session, org,
                                                            make_user, root_unit):
    cluster = cluster_service.create_cluster(session, code="CUM-T", name="Cụm thi đua số III",
                                             kind="cluster", organiser=root_unit)
    cluster_service.set_membership(session, cluster, org["a"], 2018, "head")
    session.commit()
    login_as(app, client, make_user(roles=["reviewer"]))
    page = _page(client, f"/org/units/{org['a'].id}")
    assert 'data-testid="sub-units"' in page and "Phòng Hộ tịch" in page
    assert 'data-testid="person-' in page and 'data-testid="front-line"' in page
    assert "Cụm thi đua số III" in page and f"/org/clusters/{cluster.id}?year=2018" in page
    _page(client, "/org/units/999999", status=404)


@pytest.fixture
def cluster(session, org, root_unit):
    cluster = cluster_service.create_cluster(session, code="CUM-T", name="Cụm thi đua thử",
                                             kind="cluster", organiser=root_unit)
    cluster_service.set_membership(session, cluster, org["a"], 2017, "head")
    cluster_service.set_membership(session, cluster, org["b"], 2017, "member")
    cluster_service.set_membership(session, cluster, org["b"], 2018, "head")
    cluster_service.set_membership(session, cluster, org["a"], 2018, "deputy")
    session.commit()
    return cluster


def test_cluster_page_shows_members_head_and_deputy_of_the_chosen_year(app, client, org,
                                                                       cluster, make_user):
    login_as(app, client, make_user())
    page = _page(client, f"/org/clusters/{cluster.id}?year=2017")
    head = page.split('data-testid="head"')[1].split("</dd>")[0]
    assert org["a"].name in head
    assert 'data-testid="member-STP-QB"' in page and 'data-testid="members-2017"' in page
    latest = _page(client, f"/org/clusters/{cluster.id}")  # no year: the latest one
    assert 'data-testid="members-2018"' in latest
    deputy = latest.split('data-testid="deputy"')[1].split("</dd>")[0]
    assert org["a"].name in deputy


@pytest.mark.parametrize("year", ["abc", "20x8", "1800", "99999", "-2017", "2017.5", "1999"])
def test_bad_year_is_a_clear_400_not_a_500(app, client, cluster, make_user, year):
    login_as(app, client, make_user())
    response = client.get(f"/org/clusters/{cluster.id}", query_string={"year": year})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-testid="year-error"' in page
    assert 'data-testid="members-2018"' in page  # falls back to the latest year, labelled


def test_clusters_index_lists_each_year_with_head_and_member_count(app, client, cluster,
                                                                   make_user, org):
    login_as(app, client, make_user())
    page = _page(client, "/org/clusters")
    section = page.split('data-testid="cluster-CUM-T"')[1]
    row_2018 = section.split('data-testid="year-2018"')[1].split("</tr>")[0]
    assert org["b"].name in row_2018 and org["a"].name in row_2018
    _page(client, "/org/clusters/999999", status=404)

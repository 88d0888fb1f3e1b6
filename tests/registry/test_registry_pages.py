"""Registry pages: diacritic-insensitive search, scoping, person and unit history, the
person's eligibility table."""

from __future__ import annotations

import pytest

from tests.support.helpers import login_as
from tests.support.registry_data import give, rate
from workflow_app.registry.service.folding import fold


@pytest.fixture
def setup(shipped_catalogue, session, make_unit, root_unit, make_person, make_user):
    mine = make_unit("Cục Con nuôi", parent=root_unit, code="CCN")
    other = make_unit("Cục Khác", parent=root_unit, code="CK")
    a = make_person("Nguyễn Văn Ánh", unit=mine)
    hidden = make_person("Nguyễn Văn Ẩn", unit=other)
    user = make_user("sub-ccn", roles=["submitter"], unit=mine)
    return mine, other, a, hidden, user


def test_fold_strips_vietnamese_diacritics():
    assert fold("  Nguyễn   Văn ĐỨC ") == "nguyen van duc"


def test_search_is_diacritic_insensitive_and_scoped(app, client, setup):
    mine, other, a, hidden, user = setup
    login_as(app, client, user)
    html = client.get("/registry/?q=nguyen+van").get_data(as_text=True)
    assert "Nguyễn Văn Ánh" in html and "Nguyễn Văn Ẩn" not in html
    assert "Cục Con nuôi" in client.get("/registry/?q=cuc+con").get_data(as_text=True)
    assert client.get(f"/registry/persons/{hidden.id}").status_code == 404


def test_person_page_shows_history_revocation_and_eligibility(app, client, session, setup):
    mine, other, a, hidden, user = setup
    give(session, "CSTDCS", 2023, person=a)
    give(session, "CSTDCS", 2024, person=a, revoked=True)
    rate(session, a, "excellent", 2025)
    give(session, "TTLDTT", 2024, unit=mine)
    login_as(app, client, user)
    html = client.get(f"/registry/persons/{a.id}?year=2025").get_data(as_text=True)
    assert html.count('data-testid="award-row"') == 2 and "<del>" in html
    assert 'data-testid="eligibility-CSTD_BO"' in html
    assert 'data-testid="eligibility-TTLDXS"' not in html  # collective awards are left out
    cstd_bo = html.split('data-testid="eligibility-CSTD_BO"')[1].split("</details>")[0]
    assert 'data-testid="rule-1" data-status="not_met"' in cstd_bo  # revoked 2024: a gap
    unit_html = client.get(f"/registry/units/{mine.id}").get_data(as_text=True)
    assert unit_html.count('data-testid="award-row"') == 1

"""The catalogue pages: what officers read, and the admin's reload button."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import func, select

from tests.support.catalogue_helpers import ND152, copy_catalogue, database_state, edit
from tests.support.helpers import login, post_form
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import AwardVersion


@pytest.fixture
def loaded(session):
    load_catalogue(session)
    session.commit()


@pytest.fixture
def reader(client, make_user, loaded):
    make_user("reader", roles=["submitter"], locale="en")
    assert login(client, "reader").status_code == 302
    return client


@pytest.fixture
def admin(client, make_user, loaded):
    secret = pyotp.random_base32()
    make_user("admin1", roles=["admin"], totp_secret=secret, locale="en")
    assert login(client, "admin1").headers["Location"].endswith("/login/code")
    done = post_form(client, "/login/code", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    return client


def _card(page: str, code: str) -> str:
    """The HTML of one award's card on the index page."""
    match = re.search(rf'data-testid="award-{code}">(.*?)</div>\s*</div>\s*</div>', page, re.S)
    assert match, f"no card for {code}"
    return match.group(1)


def test_index_lists_awards_in_force_grouped_by_kind_with_rules_in_words(reader):
    page = reader.get("/catalogue/?on=2025-10-01").get_data(as_text=True)
    titles, forms = page.split('data-testid="kind-form"')
    for code in ("LDTT", "CSTDCS", "CSTD_BO", "CSTDTQ", "TTLDTT", "TTLDXS", "CO_BO", "CO_CP"):
        assert f'data-testid="award-{code}"' in titles
    for code in ("GK", "BK_BO", "BK_TTG", "HCLD3", "KNC"):
        assert f'data-testid="award-{code}"' in forms

    cstd_bo = _card(page, "CSTD_BO")
    assert "Ministerial/Provincial Emulation Fighter" in cstd_bo
    assert "≥ 9/10 (90 %) of all members agree, secret ballot" in cstd_bo
    assert "absent members may vote in writing" in cstd_bo
    assert 'data-testid="configurable"' in cstd_bo and 'data-testid="old-regime"' in cstd_bo
    assert "configurable — no confirmed legal source" in cstd_bo

    hcld3 = _card(page, "HCLD3")
    assert "Public disclosure for at least 10 working days" in hcld3
    assert 'data-testid="sourced"' in hcld3
    assert "Luật TĐKT 2022, Điều 84 k5; Nghị định 152/2025/NĐ-CP, Điều 44 k2" in hcld3
    assert "At most 15/100 (15 %) of Advanced Worker (LDTT)" in _card(page, "CSTDCS")
    assert "Decree 152/2025/ND-CP" in _card(page, "LDTT")  # the basis of the version shown
    assert "Decree 91/2017" not in page  # notes are left to the detail page


def test_index_on_an_earlier_date_shows_the_older_basis(reader):
    for on in ("2024-06-01", "01/06/2024", "1/6/2024"):  # ISO (old links) or as typed
        page = reader.get(f"/catalogue/?on={on}").get_data(as_text=True)
        assert "Decree 98/2023/ND-CP" in _card(page, "CSTDCS")
        assert 'data-testid="award-KNC"' not in page  # Circular 14/2025 applies from 15/09/2025
        assert 'value="01/06/2024"' in page  # the day shown back as written in Vietnam


def test_index_refuses_a_date_that_is_not_one(reader):
    response = reader.get("/catalogue/?on=31-12-2024")
    assert response.status_code == 400
    assert "“31-12-2024” is not a date" in response.get_data(as_text=True)
    assert "day/month/year, e.g. 07/12/2026" in response.get_data(as_text=True)


def test_names_follow_the_reader_language(client, make_user, loaded):
    make_user("docanbo", roles=["submitter"])  # Vietnamese by default
    login(client, "docanbo")
    page = client.get("/catalogue/?on=2025-10-01").get_data(as_text=True)
    assert "Chiến sĩ thi đua cơ sở" in _card(page, "CSTDCS")
    assert "Grassroots Emulation Fighter" not in page


def test_detail_shows_every_version_with_its_rules(reader):
    page = reader.get("/catalogue/CSTDCS").get_data(as_text=True)
    assert 'data-testid="version-LTDKT2022_ND98_2023"' in page
    assert 'data-testid="version-LTDKT2022_ND152_2025"' in page
    assert "In force from 01/01/2024" in page and "to 30/06/2025" in page
    assert "Awarded Advanced Worker (LDTT) in the same year" in page
    assert "One of:" in page and "An initiative recognised by the unit" in page
    assert "Review minutes (biên bản bình xét)" in page and "XAC_NHAN_SANG_KIEN" in page
    assert "Decree 91/2017, Art. 9 k3" in page  # the old-regime note of the quota
    assert "No pending discipline, investigation" in page  # the Decree 152 principle


def test_detail_shows_the_simplified_procedure_of_a_form(reader):
    page = reader.get("/catalogue/BK_TTG").get_data(as_text=True)
    assert 'data-testid="simplified"' in page
    assert "Short achievement summary" in page
    assert "Already holds Ministerial/Provincial Certificate of Merit (BK_BO)" in page
    assert "Grassroots Emulation Fighter (CSTDCS) at least 3 times within 5 years" in page
    assert "Rated good or better (hoàn thành tốt nhiệm vụ) for 5 consecutive years" in page


def test_unknown_award_is_not_found(reader):
    assert reader.get("/catalogue/NOPE").status_code == 404


def test_catalogue_needs_sign_in(client, loaded):
    response = client.get("/catalogue/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_page_is_forbidden_to_other_roles(reader):
    assert 'data-testid="catalogue-admin"' not in reader.get("/catalogue/").get_data(as_text=True)
    assert reader.get("/catalogue/admin").status_code == 403
    assert reader.post("/catalogue/admin/reload").status_code in (400, 403)


def test_admin_page_lists_every_version_with_file_and_hash(admin, session):
    assert 'data-testid="catalogue-admin"' in admin.get("/catalogue/").get_data(as_text=True)
    page = admin.get("/catalogue/admin").get_data(as_text=True)
    versions = session.scalars(select(AwardVersion)).all()
    assert len(versions) == 33
    for version in versions:
        assert version.content_hash[:12] in page
    assert ND152 in page and "LTDKT2022_ND98_2023" in page


def test_reload_button_reports_the_result(admin, session):
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    response = post_form(admin, "/catalogue/admin/reload", {}, token_from="/catalogue/admin",
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Catalogue reloaded: 0 added, 0 changed, 0 restored, 0 withdrawn, 33 unchanged." in page
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_reload_button_applies_a_changed_file_as_the_admin(admin, app, session, tmp_path):
    directory = copy_catalogue(tmp_path)
    edit(directory, ND152, 'ratio = "9/10"', 'ratio = "4/5"')
    app.config["CATALOGUE_DIR"] = directory
    page = post_form(admin, "/catalogue/admin/reload", {}, token_from="/catalogue/admin",
                     follow_redirects=True).get_data(as_text=True)
    assert "1 changed" in page
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "catalogue.version_changed")).one()
    assert event.actor_label == "admin1"


def test_reload_of_a_broken_file_shows_the_problem_and_changes_nothing(admin, app, session,
                                                                      tmp_path):
    before = database_state(session)
    directory = copy_catalogue(tmp_path)
    edit(directory, ND152, 'method = "secret_ballot"', 'method = "show_of_hands"')
    app.config["CATALOGUE_DIR"] = directory
    response = post_form(admin, "/catalogue/admin/reload", {}, token_from="/catalogue/admin",
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The catalogue was not reloaded; nothing changed." in page
    assert f"{ND152}: award LDTT (entry 1): vote_rule.method: &#39;show_of_hands&#39;" in page
    assert database_state(session) == before


def test_reload_without_csrf_token_is_refused(admin, session):
    before = database_state(session)
    assert admin.post("/catalogue/admin/reload").status_code == 400
    assert database_state(session) == before

"""The emulation year in a real browser, on the demo data (issue 13's "done when"): the
organiser launches Cụm III's 2026 plan, a member unit registers, the pact is signed, the
unit scores itself (every bad score named next to its field; members not scored yet read
so, unranked), the head's assessment is recorded, the results are classified and
published, the acclamation opens from the ranking with its candidates named, and the
unit's registration becomes its batch of nominations; the Khối Nội chính's half-year review
of 2022 (seed 004) reads in Vietnamese. Screenshots: emulation-01 … emulation-07."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.sites import serving, sign_in
from tests.browser.test_journey import ConsoleLog
from workflow_app.extensions import db
from workflow_app.models.dossier import Dossier
from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.scoring import ScoreTable

pytestmark = pytest.mark.browser
PASSWORDS = {"demo.reviewer": "demo-reviewer-2026", "demo.submitter": "demo-submitter-2026"}
YEAR = 2026


@dataclass(frozen=True)
class Site:
    url: str
    app: object


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    app = site_templates.app(tmp_path_factory.mktemp("emulation-browser"), demo=True,
                             secret_key="browser-emulation")
    with serving(app, "emulation-server") as url:
        yield Site(url, app)


def _read(site, query):
    with site.app.app_context():
        try:
            return query(db.session)
        finally:
            db.session.remove()


def _sign_in(page, site, username):
    sign_in(page, site.url, username, PASSWORDS[username])


def test_launch_register_sign_score_classify_acclaim_and_nominate(site, browser, screenshot):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console = ConsoleLog(page)
    cluster_id = _read(site, lambda s: s.scalar(select(Cluster.id).where(
        Cluster.code == "CUM-III")))
    # 1. The organiser drafts and launches the cluster's plan.
    _sign_in(page, site, "demo.reviewer")
    page.goto(site.url + "/movements/new")
    page.locator("#title").fill(f"Phong trào thi đua Cụm III năm {YEAR}")
    page.locator("#scope").select_option("cluster")
    page.locator("#theme").fill("Tôn trọng kỷ cương, tăng cường công nghệ, thi về đích sớm")
    page.locator("#year").fill(str(YEAR))
    page.locator("#period_start").fill(f"{YEAR}-01-01")
    page.locator("#period_end").fill(f"{YEAR}-12-31")
    page.locator("#cluster_id").select_option(str(cluster_id))
    page.locator("#participant_ids").select_option(label=[
        "Cục Hộ tịch, quốc tịch, chứng thực", "Cục Công nghệ thông tin",
        "Cục Bồi thường Nhà nước"])
    page.locator("#areas").fill("Chuyển đổi số\nCải cách hành chính")
    page.get_by_test_id("save-plan").click()
    expect(page.get_by_test_id("movement-state")).to_have_text("Dự thảo kế hoạch")
    page.locator("#document_number").fill("15/KH-CTĐIII")
    page.get_by_test_id("action-launch").click()
    expect(page.get_by_test_id("movement-state")).to_have_text("Đã phát động")
    movement_url = page.url
    screenshot(page, "emulation-01-launched")
    # 2. A member unit registers its titles.
    _sign_in(page, site, "demo.submitter")
    page.goto(movement_url)
    form = page.get_by_test_id("registration-form")
    form.locator("#reg-rows-0-award").select_option(label="Tập thể lao động xuất sắc")
    form.get_by_test_id("register").click()
    expect(page.get_by_test_id("registered")).to_contain_text(
        "Cục Hộ tịch, quốc tịch, chứng thực")
    screenshot(page, "emulation-02-registered")
    # 3. The organiser records the pact and a member's signature.
    _sign_in(page, site, "demo.reviewer")
    page.goto(f"{site.url}/movements/pacts/{cluster_id}/{YEAR}")
    page.locator("#text").fill(f"Các đơn vị Cụm III giao ước thi đua năm {YEAR}")
    page.locator("#targets").fill("100 % đơn vị hoàn thành nhiệm vụ")
    page.get_by_test_id("save-pact").click()
    page.locator("#signed_by").fill("Cục trưởng Cục Hộ tịch, quốc tịch, chứng thực")
    page.get_by_test_id("sign-pact").click()
    expect(page.get_by_test_id("signatures")).to_contain_text("Cục trưởng Cục Hộ tịch")
    screenshot(page, "emulation-03-pact")
    # 4. The criteria table; the unit scores itself, the head's assessment is recorded.
    page.goto(f"{site.url}/scoring/new?cluster_id={cluster_id}")
    page.locator("#title").fill(f"Bảng chấm điểm Cụm III năm {YEAR}")
    page.locator("#year").fill(str(YEAR))
    expect(page.locator("#assessor_unit_id option:checked")).to_have_text(
        "Cục Bồi thường Nhà nước")  # the 2026 head of the cluster (demo rotation)
    for n, (group, code, title, most, guidance) in enumerate((
            ("I. Nhiệm vụ trọng tâm", "1", "Hoàn thành chỉ tiêu", "60", ""),
            ("", "2", "Ứng dụng công nghệ thông tin", "40", "Trên 95 %"))):
        for field, value in (("group", group), ("code", code), ("title", title),
                             ("max_points", most), ("guidance", guidance)):
            page.locator(f"#criteria-{n}-{field}").fill(value)
    expect(page.get_by_test_id("band-row-1").locator("input").nth(1)).to_have_value(
        "Hoàn thành xuất sắc nhiệm vụ")  # one row per band, in words, not "A | … | …"
    page.get_by_test_id("band-row-5").locator("input").first.fill("A")  # a duplicate code
    page.get_by_test_id("save-table").click()
    expect(page.get_by_test_id("bands")).to_contain_text("Hai xếp loại cùng mã A")
    page.get_by_test_id("band-row-5").locator("input").first.fill("")
    page.get_by_test_id("save-table").click()
    expect(page.get_by_test_id("table-title")).to_have_text(f"Bảng chấm điểm Cụm III năm {YEAR}")
    table_id = _read(site, lambda s: s.scalar(select(ScoreTable.id).where(
        ScoreTable.year == YEAR)))
    unit_ids = _read(site, lambda s: [p.unit_id for p in s.scalar(select(Movement).where(
        Movement.document_number == "15/KH-CTĐIII")).participants])
    own = _read(site, lambda s: s.scalar(select(OrgUnit.id).where(
        OrgUnit.code == "BTP-CHTQTCT")))
    expect(page.get_by_test_id(f"not-scored-{own}")).to_have_text("Chưa chấm điểm")
    expect(page.get_by_test_id(f"rank-{own}").locator("td").first).to_have_text("—")
    _sign_in(page, site, "demo.submitter")
    page.goto(f"{site.url}/scoring/{table_id}")
    page.get_by_test_id(f"sheet-{own}").click()
    page.get_by_test_id("points-1").fill("101")
    page.get_by_test_id("points-2").fill("-2")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("2 điểm chưa hợp lệ")
    expect(page.get_by_test_id("problem-1")).to_contain_text("tối đa 60 điểm")
    expect(page.get_by_test_id("problem-2")).to_contain_text("điểm trừ")
    page.get_by_test_id("points-1").fill("58,5")
    page.get_by_test_id("points-2").fill("39")
    page.get_by_test_id("save-scores").click()
    expect(page.locator("main")).to_contain_text("Đã lưu điểm")
    expect(page.get_by_test_id("points-1")).to_have_value("58,5")
    screenshot(page, "emulation-04-self-score")
    # 5. The organiser approves, publishes (the registry is written) and opens the vote.
    _sign_in(page, site, "demo.reviewer")
    page.goto(f"{site.url}/scoring/{table_id}")
    expect(page.get_by_test_id("ranking")).to_contain_text("97,5")
    page.get_by_test_id("lock-results").click()
    page.get_by_test_id("publish-results").click()
    expect(page.get_by_test_id("table-status")).to_have_text("Kết quả đã công bố")
    acclaim = page.get_by_test_id("acclamation-from-ranking")
    acclaim.locator("#award_id").select_option(label="Cờ thi đua ngành Tư pháp")
    acclaim.locator("#held_on").fill(f"20/12/{YEAR}")
    acclaim.get_by_test_id("open-acclamation").click()
    expect(page.locator(".alert-success")).to_contain_text("Cục Hộ tịch, quốc tịch, chứng thực")
    expect(page.get_by_test_id("candidates")).to_contain_text(
        "Cục Hộ tịch, quốc tịch, chứng thực")  # the ranking's proposal names the candidates
    screenshot(page, "emulation-05-acclamation")
    # 6. The unit's registration becomes its batch of draft nominations.
    _sign_in(page, site, "demo.submitter")
    page.goto(movement_url)
    page.get_by_test_id("open-nominations").click()
    page.wait_for_url("**/dossiers/batches/")
    screenshot(page, "emulation-06-batches")
    drafts = _read(site, lambda s: s.scalars(select(Dossier.nominee_unit_id).where(
        Dossier.year == YEAR, Dossier.state == "draft",
        Dossier.movement_reference.like("15/KH-CTĐIII%"))).all())
    assert drafts == [own] and own in unit_ids
    # 7. Seed 004: the Khối Nội chính's 2022 movement at its half-year review, in words.
    _sign_in(page, site, "demo.reviewer")
    page.goto(movement_url)
    expect(page.get_by_test_id("export-registrations")).to_be_visible()
    expect(page.get_by_test_id("registration-rule")).to_contain_text("Tham khảo")
    page.goto(site.url + "/movements/")
    page.get_by_text("Phong trào thi đua Khối thi đua các bộ, ngành Nội chính Trung ương "
                     "năm 2022").click()
    expect(page.get_by_test_id("movement-state")).to_have_text("Sơ kết 6 tháng")
    expect(page.get_by_test_id("launch-document")).to_contain_text("minh họa")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("05/08/2022")
    expect(history).not_to_contain_text("UTC")
    expect(page.locator("main")).not_to_contain_text("half_year_review")
    screenshot(page, "emulation-07-half-year-review")
    page.get_by_test_id("review-half_year").click()  # the review report carries its note
    expect(page.get_by_test_id("review-notes")).to_contain_text("ngày 05/08/2022")
    console.assert_no_csp_violation()

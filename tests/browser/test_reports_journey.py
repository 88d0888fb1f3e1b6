"""The reports in a real browser, on the demo data (issue 14's "done when"): the statistics of
Sở Tư pháp Quảng Bình 2015–2020 show seed 000's figures beside their charts; a figure opens
the records behind it; the process report opens; in print the filters go and the charts
stay. Screenshots: reports-01-statistics … reports-03-process in test-artifacts/screenshots/
(reports-01, copied, is the README's docs/screenshots/statistics.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.sites import serving
from tests.browser.test_journey import ConsoleLog
from workflow_app.extensions import db
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    app = site_templates.app(tmp_path_factory.mktemp("reports-browser"), demo=True,
                             secret_key="browser-reports")
    with app.app_context():
        so = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "STP-QB"))
        year = db.session.scalar(select(func.max(Dossier.year)))
        db.session.remove()
    with serving(app, "reports-server") as url:
        yield url, so, year


def test_statistics_drill_down_process_report_and_print(site, browser, screenshot):
    url, so, year = site
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console = ConsoleLog(page)
    page.goto(url + "/login")
    page.locator("#username").fill("demo.reviewer")
    page.locator("#password").fill("demo-reviewer-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(url + "/")

    page.get_by_test_id("nav-reports").click()
    page.locator("#year_from").fill("2015")
    page.locator("#year_to").fill("2020")
    page.locator("#unit_id").select_option(str(so))
    page.locator("#group_by").select_option("award")
    page.get_by_test_id("statistics-apply").click()
    row = page.locator('[data-testid="stat-row"][data-key="CSTDCS"]')
    expect(row.get_by_test_id("row-total")).to_have_text("442")
    for code, total in (("CSTD_BO", "10"), ("CSTDTQ", "1"), ("TTLDXS", "19"), ("CO_CP", "1"),
                        ("HCLD2", "1")):
        expect(page.locator(f'[data-testid="stat-row"][data-key="{code}"]')
               .get_by_test_id("row-total")).to_have_text(total)
    bars = page.get_by_test_id("chart-bars")
    expect(bars).to_be_visible()
    assert bars.bounding_box()["width"] > 400
    expect(page.get_by_test_id("chart-lines")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Thống kê khen thưởng")
    screenshot(page, "reports-01-statistics")  # copied by hand to docs/screenshots/

    page.emulate_media(media="print")  # printed: no filters or buttons, charts and table stay
    expect(page.get_by_test_id("statistics-filters")).to_be_hidden()
    expect(page.get_by_test_id("statistics-xlsx")).to_be_hidden()
    expect(bars).to_be_visible()
    expect(page.get_by_test_id("statistics-table")).to_be_visible()
    page.emulate_media(media="screen")

    row.get_by_test_id("cell-2017").click()
    expect(page.get_by_test_id("records-summary")).to_contain_text("74 bản ghi")
    expect(page.get_by_test_id("record-row")).to_have_count(74)
    screenshot(page, "reports-02-records")

    page.get_by_test_id("back-to-statistics").click()
    page.get_by_test_id("tab-process").click()
    page.locator("#year").fill(str(year))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("process-total")).to_contain_text(f"năm {year}")
    expect(page.get_by_test_id("process-steps")).to_be_visible()
    expect(page.get_by_test_id("chart-states")).to_be_visible()
    screenshot(page, "reports-03-process")
    console.assert_no_csp_violation()
    context.close()

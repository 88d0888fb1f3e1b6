"""The demo's 2025 reorganisation in a real browser (issue 19's "done when"): the
administrator finds the 01/07/2025 mergers the demo recorded, reverses Bình Định's (the
original stays, marked reversed), records it again from the preview — which lists the
unit closing, its successor and the work in flight handed over — applies it, and the unit
page reads the unit's life in Vietnamese. Screenshots: reorg-01 … reorg-04."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.sites import serving
from tests.browser.test_journey import ConsoleLog
from tests.support.helpers import totp_code
from workflow_app.extensions import db
from workflow_app.models.org import OrgUnit
from workflow_app.models.org_history import OrgEvent

pytestmark = pytest.mark.browser
ADMIN, PASSWORD, TOTP = "demo.admin", "demo-admin-2026", "DEMOADMINTOTP234DEMOADMINTOTP234"


@dataclass(frozen=True)
class Site:
    url: str
    app: object


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    app = site_templates.app(tmp_path_factory.mktemp("reorg-browser"), demo=True,
                             secret_key="browser-reorg")
    with serving(app, "reorg-server") as url:
        yield Site(url, app)


def _read(site, query):
    with site.app.app_context():
        try:
            return query(db.session)
        finally:
            db.session.remove()


def _units(session) -> dict[str, int]:
    return {u.code: u.id for u in session.scalars(select(OrgUnit))}


def test_admin_reverses_and_reapplies_the_binh_dinh_merger_from_the_preview(
        site, browser, screenshot):
    units = _read(site, _units)
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    console = ConsoleLog(page)
    page.goto(site.url + "/login")
    page.locator("#username").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/login/code**")
    page.locator("#code").fill(totp_code(TOTP))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(site.url + "/")

    page.goto(site.url + "/admin/reorganisations")
    events = page.get_by_test_id("reorg-event")
    expect(events).to_have_count(4)
    row = events.filter(has_text="Sở Tư pháp tỉnh Bình Định").filter(has_text="Sáp nhập")
    expect(row).to_contain_text("Chưa xác minh")
    screenshot(page, "reorg-01-list")
    row.locator("input[name=reason]").fill("Ghi nhận lại từ bản xem trước (kiểm thử)")
    row.get_by_role("button", name="Huỷ bỏ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(events.filter(has_text="Sở Tư pháp tỉnh Bình Định").get_by_test_id("reversed")
           ).to_have_count(1)

    page.get_by_test_id("reorg-new").click()
    page.locator("#kind").select_option("merged")
    page.locator("#unit_ids").select_option(str(units["STP-BD"]))
    page.locator("#successor_ids").select_option(str(units["STP-GL"]))
    page.locator("#effective_date").fill("01/07/2025")
    page.locator("#decision_number").fill("Chưa xác minh")
    page.locator("#decision_date").fill("01/07/2025")
    page.locator("#decision_issuer").fill("Ủy ban nhân dân tỉnh Gia Lai (chưa xác minh)")
    page.get_by_test_id("reorg-preview").click()
    plan = page.get_by_test_id("reorg-plan")
    expect(plan.get_by_test_id("plan-closing")).to_contain_text("Sở Tư pháp tỉnh Bình Định")
    expect(plan.get_by_test_id("plan-successors")).to_contain_text("Sở Tư pháp tỉnh Gia Lai")
    expect(plan.get_by_test_id("plan-receiver")).to_contain_text("Sở Tư pháp tỉnh Gia Lai")
    expect(plan.get_by_test_id("plan-handover")).to_contain_text("Phong trào đang diễn ra")
    expect(page.get_by_test_id("reorg-problems")).to_have_count(0)
    assert _read(site, lambda s: s.get(OrgUnit, units["STP-BD"]).valid_to) is None
    screenshot(page, "reorg-02-preview")
    page.get_by_test_id("reorg-apply").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("reorg-event")).to_have_count(5)
    screenshot(page, "reorg-03-applied")

    page.goto(f"{site.url}/org/units/{units['STP-BD']}")
    expect(page.get_by_test_id("unit-closed")).to_be_visible()
    expect(page.get_by_test_id("unit-validity")).to_contain_text("30/06/2025")
    expect(page.get_by_test_id("unit-successors")).to_contain_text("Sở Tư pháp tỉnh Gia Lai")
    expect(page.get_by_test_id("unit-event")).to_have_count(3)  # merged, reversal, merged
    screenshot(page, "reorg-04-unit-life")
    kinds = _read(site, lambda s: sorted(e.kind for e in s.scalars(select(OrgEvent))))
    assert kinds == ["dissolved", "dissolved", "merged", "merged", "merged", "reversal"]
    console.assert_no_csp_violation()

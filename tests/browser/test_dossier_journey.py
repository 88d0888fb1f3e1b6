"""A dossier's journey in a real browser, on a desktop and on a phone.

A submitter opens a dossier, attaches its documents and submits it; a reviewer returns it
with a reason; the submitter reads why on a phone, in the timeline. Screenshots:
dossier-01-new-form … dossier-07-phone-detail (test-artifacts/screenshots/).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import _load_catalogue
from tests.browser.sites import serving, sign_in
from tests.browser.test_journey import PHONE, ConsoleLog
from tests.support.axe import assert_accessible
from tests.support.dossier_factories import CSTD_BO_DOCUMENTS, PDF
from tests.support.registry_data import give, initiative
from workflow_app.accounts.service import users as user_service
from workflow_app.attachments.storage import ATTACHMENTS, app_storage
from workflow_app.dossiers.service.documents import add_document
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.extensions import db
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.workflow import open_dossier

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
DESKTOP = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Site:
    url: str
    person_id: int
    award_id: int
    blocked_id: int  # a draft that an eligibility rule blocks (issue 17 item 4)


def _unit(session, code, name, kind, parent=None):
    unit = OrgUnit(code=code, name=name, name_en=name, kind=kind, parent=parent)
    session.add(unit)
    session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    return unit


def _seed(session) -> tuple[int, int]:
    ministry = _unit(session, "BTP", "Bộ Tư pháp", "ministry")
    province = _unit(session, "CTHADS-A", "Cục Thi hành án dân sự tỉnh A", "thads_provincial",
                     ministry)
    people = [Person(full_name=name, unit=province, position="Chấp hành viên")
              for name in ("Nguyễn Văn Bình", "Trần Thị Mai", "Lê Quốc Huy")]
    session.add_all(people)
    officer = Person(full_name="Phạm Thị Thu", unit=province, position="Chuyên viên TĐKT")
    checker = Person(full_name="Trần Văn Hùng", unit=ministry, position="Chuyên viên Vụ TĐKT")
    session.add_all([officer, checker])
    session.flush()
    submitter = user_service.create_user(session, "thu.pham", PASSWORD, person=officer)
    user_service.grant_role(session, submitter, "submitter", province, actor=None)
    reviewer = user_service.create_user(session, "hung.tran", PASSWORD, person=checker)
    user_service.grant_role(session, reviewer, "reviewer", ministry, actor=None)
    _load_catalogue(session)
    session.commit()
    award = session.scalar(select(Award).where(Award.code == "LDTT"))
    return people[0].id, award.id, _blocked_draft(session, province, submitter)


def _blocked_draft(session, unit, submitter) -> int:
    """A CSTD_BO draft whose nominee has a gap in CSTĐCS: prerequisite 1 blocks it."""
    year = today_vn().year - 1
    nominee = Person(full_name="Lê Thị Gián Đoạn", unit=unit, position="Chấp hành viên")
    session.add(nominee)
    session.flush()
    give(session, "CSTDCS", year - 2, year, person=nominee)
    initiative(session, nominee, year, "ministry")
    award = session.scalar(select(Award).where(Award.code == "CSTD_BO"))
    dossier = Dossier(workflow="normal", unit_id=unit.id, award_id=award.id,
                      nominee_person_id=nominee.id, commendation_type="CONG_TRANG", year=year,
                      title="Đề nghị tặng Chiến sĩ thi đua cấp Bộ",
                      summary="Hoàn thành xuất sắc nhiệm vụ ba năm liền.")
    open_dossier(session, dossier, submitter)
    for code in CSTD_BO_DOCUMENTS:
        add_document(session, dossier, submitter, doc_type=code, filename=f"{code}.pdf",
                     data=PDF + code.encode(), storage=app_storage(ATTACHMENTS),
                     max_size=10_000_000)
    session.commit()
    return dossier.id


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    app = site_templates.app(tmp_path_factory.mktemp("dossier-browser"), demo=False,
                             secret_key="browser-dossier")
    with app.app_context():
        person_id, award_id, blocked_id = _seed(db.session)
        db.session.remove()
    with serving(app, "dossier-server") as url:
        yield Site(url, person_id, award_id, blocked_id)


def _sign_in(page, site, username):
    sign_in(page, site.url, username, PASSWORD)


def _attach(page, doc_type, name, tmp_path):
    path = tmp_path / name
    path.write_bytes(PDF + name.encode())
    form = page.get_by_test_id("upload-form")
    form.locator(f"input[name=files-{doc_type}]").set_input_files(str(path))
    form.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("flash")).to_contain_text(name)


def test_submit_return_and_read_why_on_a_phone(site, browser, screenshot, tmp_path):
    desk = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = desk.new_page()
    console = ConsoleLog(page)
    _sign_in(page, site, "thu.pham")
    page.get_by_test_id("nav-dossiers").click()
    page.get_by_test_id("new-dossier").click()
    page.locator("select[name=person]").select_option(str(site.person_id))
    page.locator("select[name=award]").select_option(str(site.award_id))
    page.locator("select[name=commendation_type]").select_option("CONG_TRANG")
    page.locator("textarea[name=summary]").fill(
        "Hoàn thành xuất sắc nhiệm vụ năm; tổ chức thi hành dứt điểm 120 việc.")
    page.locator("textarea[name='sections-1-body']").fill(
        "Thi hành xong 120/130 việc có điều kiện, đạt 92,3%.\nKhông để xảy ra sai sót.")
    screenshot(page, "dossier-01-new-form")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("missing")).to_be_visible()
    expect(page.get_by_test_id("blocked-submit")).to_be_visible()
    screenshot(page, "dossier-02-draft")

    _attach(page, "TO_TRINH", "To trinh 15-TTr-CTHADS.pdf", tmp_path)
    _attach(page, "BAO_CAO_THANH_TICH", "Báo cáo thành tích.pdf", tmp_path)
    _attach(page, "BIEN_BAN_BINH_XET", "Biên bản bình xét.pdf", tmp_path)
    expect(page.get_by_test_id("missing")).to_have_count(0)
    page.get_by_test_id("open-submit").click()  # the summary of what is sent, then send
    summary = page.get_by_test_id("send-summary")
    expect(summary).to_contain_text("3 tài liệu")
    expect(summary).to_contain_text("Báo cáo thành tích")
    screenshot(page, "dossier-02b-confirm-sending")
    page.get_by_test_id("action-submit").locator("button").click()
    expect(page.locator('[data-testid="state-badge"][data-state="submitted"]').first).to_be_visible()
    screenshot(page, "dossier-03-submitted")
    dossier_url = page.url.split("#")[0]
    console.assert_no_csp_violation()
    desk.close()

    review = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = review.new_page()
    _sign_in(page, site, "hung.tran")
    page.goto(dossier_url.replace("/dossiers/", "/review/dossiers/"))  # the review page
    expect(page.get_by_test_id("nominee")).to_be_visible()
    assert_accessible(page, "the review page of the dossier")
    page.goto(dossier_url)
    form = page.get_by_test_id("action-return_for_supplement")
    form.locator("textarea[name=reason]").fill(
        "Biên bản bình xét chưa có chữ ký của Chủ tịch Hội đồng; đề nghị bổ sung.")
    screenshot(page, "dossier-04-reviewer")
    assert_accessible(page, "the dossier page (reviewer)")
    form.locator("button").click()
    expect(page.locator('[data-testid="state-badge"][data-state="returned"]').first).to_be_visible()
    review.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                device_scale_factor=2, locale="vi-VN")
    page = phone.new_page()
    console = ConsoleLog(page)
    _sign_in(page, site, "thu.pham")
    page.goto(site.url + "/dossiers/")
    expect(page.locator('[data-state="returned"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dossier-05-phone-list")
    page.locator("[data-testid=dossier-list] a").first.tap()
    expect(page.get_by_test_id("return-note")).to_contain_text("Trần Văn Hùng")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("chưa có chữ ký của Chủ tịch Hội đồng")
    expect(timeline).to_contain_text("Trần Văn Hùng")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dossier-06-phone-detail")
    page.goto(site.url + "/dossiers/batches/new")
    screenshot(page, "dossier-07-phone-batch-form")
    console.assert_no_csp_violation()
    phone.close()


def test_a_batch_shares_its_letter_and_reports_what_cannot_be_sent(site, browser, screenshot,
                                                                   tmp_path):
    desk = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = desk.new_page()
    console = ConsoleLog(page)
    _sign_in(page, site, "thu.pham")
    page.goto(site.url + "/dossiers/batches/new")
    page.locator("input[name=title]").fill("Tờ trình số 16/TTr-CTHADS đề nghị tặng LĐTT 2026")
    page.locator("select[name=award]").select_option(str(site.award_id))
    for box in page.locator("[data-testid=pick-persons] input[type=checkbox]").all()[:2]:
        box.check()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("batch-dossiers").locator("li")).to_have_count(2)
    path = tmp_path / "to-trinh-16.pdf"
    path.write_bytes(PDF + b"batch letter")
    form = page.get_by_test_id("batch-upload")
    form.locator("select[name=doc_type]").select_option("TO_TRINH")
    form.locator("input[type=file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("batch-documents")).to_contain_text("to-trinh-16.pdf")
    page.get_by_test_id("batch-submit").locator("button").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Báo cáo thành tích")  # missing
    screenshot(page, "dossier-08-batch")
    page.goto(site.url + "/dossiers/")
    screenshot(page, "dossier-09-list-desktop")
    console.assert_no_csp_violation()
    desk.close()


def test_a_blocked_submitter_asks_for_an_exception_and_the_reviewer_grants_it(
        site, browser, screenshot):
    page_url = f"{site.url}/dossiers/{site.blocked_id}"
    desk = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = desk.new_page()
    _sign_in(page, site, "thu.pham")
    page.goto(page_url)
    expect(page.get_by_test_id("blocked-submit")).to_be_visible()
    asks = page.locator("[data-testid^=ask-exception-]")
    rules = [t.removeprefix("ask-exception-") for t in
             (asks.nth(n).get_attribute("data-testid") for n in range(asks.count()))]
    assert "1" in rules  # the gap in CSTĐCS
    for rule in rules:  # one request per blocking rule, each with its reason
        block = page.get_by_test_id(f"rule-{rule}")
        block.get_by_test_id(f"ask-exception-{rule}").click()
        block.locator(f"#ask-{rule}").fill(f"Điều kiện {rule}: hồ sơ bản giấy, QĐ 12/QĐ-CTHADS.")
        block.get_by_test_id("send-exception-request").click()
        expect(page.get_by_test_id(f"exception-request-{rule}")).to_contain_text("Đang chờ")
    desk.close()

    review = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = review.new_page()
    _sign_in(page, site, "hung.tran")
    page.goto(f"{site.url}/review/")
    requests = page.get_by_test_id("exception-requests")
    expect(requests).to_contain_text("Lê Thị Gián Đoạn")
    assert_accessible(page, "the review queue")
    expect(requests).to_contain_text("bản nháp")  # found while still a draft
    requests.get_by_role("link").first.click()
    expect(page.get_by_test_id(f"exception-answer-{rules[0]}")).to_be_visible()
    assert_accessible(page, f"the reviewer's page of the dossier ({page.url})")
    for rule in rules:
        answer = page.get_by_test_id(f"exception-answer-{rule}")
        answer.locator("textarea[name=reason]").fill("Đã đối chiếu quyết định bản giấy.")
        answer.locator("input[name=password]").fill(PASSWORD)
        if rule == rules[0]:
            screenshot(page, "dossier-08-exception-answer")
        page.get_by_test_id(f"grant-{rule}").click()
        expect(page.get_by_test_id(f"override-{rule}")).to_contain_text("Đã đối chiếu")
    review.close()

    desk = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = desk.new_page()
    _sign_in(page, site, "thu.pham")
    page.goto(page_url)
    page.get_by_test_id("open-submit").click()
    page.get_by_test_id("action-submit").locator("button").click()
    expect(page.locator('[data-testid="state-badge"][data-state="submitted"]').first
           ).to_be_visible()
    desk.close()

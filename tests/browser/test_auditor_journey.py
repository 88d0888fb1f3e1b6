"""The auditor's journey in a real browser (issue 15): answering, from the pages alone,
"who overrode eligibility this year, and why" (the exceptions page, filtered by its choices)
and "show me everything about decision 01/QĐ-BTP, and prove it" (the evidence pack found by
the decision's number, its ZIP downloaded and checked offline by the standalone verifier).

The world is made through the services: a dossier whose eligibility rule a reviewer
overrides with a reason, which is then decided in a decision signed in the app, and a signed
checkpoint of the chain. Screenshots: auditor-*.png in test-artifacts/screenshots/.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.sites import serving
from tests.support.axe import assert_accessible
from tests.support.dossier_factories import PDF
from tests.support.factories import ROOT_FOUNDING_GROUND
from tests.support.workflow_factories import place
from workflow_app.accounts.service import users as user_service
from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.audit import checkpoint
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.decisions.service import issue
from workflow_app.dossiers.service.documents import add_document
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.eligibility.service.dossier import dossier_eligibility, override_rule
from workflow_app.extensions import db
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.workflow import open_dossier

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
REASON = "Sở Tư pháp đã xác nhận bằng Công văn số 45/STP-VP"


@dataclass(frozen=True)
class Site:
    url: str
    reference: str
    folder: object


def _seed(folder) -> str:
    session = db.session
    load_catalogue(session)
    unit = OrgUnit(code="BTP", name="Bộ Tư pháp", name_en="Ministry of Justice",
                   kind="ministry", symbol="BTP", founding_ground=ROOT_FOUNDING_GROUND,
                   head_title="Bộ trưởng Bộ Tư pháp")
    session.add(unit)
    session.flush()
    unit.path = f"/{unit.id}/"
    people = {}
    for username, name, position, roles in (
            ("kiem.toan", "Phạm Thu Hà", "Kiểm toán viên", ["auditor"]),
            ("tham.dinh", "Lê Văn Thẩm", "Chuyên viên", ["reviewer"]),
            ("nop.ho.so", "Trần Minh Nộp", "Chuyên viên", ["submitter"]),
            ("ky.qd", "Lê Thành Long", "Bộ trưởng", ["signer", "reviewer"])):
        person = Person(full_name=name, unit=unit, position=position)
        session.add(person)
        session.flush()
        people[username] = user_service.create_user(session, username, PASSWORD,
                                                    person=person)
        for role in roles:
            user_service.grant_role(session, people[username], role, unit, actor=None)
    nominee = Person(full_name="Hoàng Thị Đề Cử", unit=unit, position="Chuyên viên chính")
    session.add(nominee)
    award = session.scalar(select(Award).where(Award.code == "CSTDCS"))
    session.flush()
    dossier = Dossier(workflow="normal", unit_id=unit.id, award_id=award.id,
                      nominee_person_id=nominee.id, commendation_type="CONG_TRANG",
                      year=today_vn().year - 1, title="Đề nghị tặng Chiến sĩ thi đua cơ sở",
                      summary="Hoàn thành xuất sắc nhiệm vụ.")
    open_dossier(session, dossier, people["nop.ho.so"])
    for code in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        add_document(session, dossier, people["nop.ho.so"], doc_type=code,
                     filename=f"{code}.pdf", data=PDF + code.encode(),
                     storage=app_storage(ATTACHMENTS), max_size=10_000_000)
    rule = next(r for r in dossier_eligibility(session, dossier) if r.status != "met")
    override_rule(session, dossier, rule.rule_id, REASON, people["tham.dinh"])
    place(session, dossier, "council_approved")
    session.commit()
    signer = people["ky.qd"]
    today = today_vn()
    decision = issue.issue_decision(session, signer, issue.default_input(signer, [dossier],
                                                                         today),
                                    app_storage(DOCUMENTS), today)
    session.commit()
    checkpoint.generate_key(folder / "audit.pem")
    checkpoint.create_checkpoint(session, checkpoint.load_key(str(folder / "audit.pem")),
                                 checkpoint.kept_copies_path())
    session.commit()
    return decision.reference


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    folder = tmp_path_factory.mktemp("auditor")
    app = site_templates.app(folder, demo=False, secret_key="browser-test-secret")
    with app.app_context():
        reference = _seed(folder)
        db.session.remove()
    with serving(app, "auditor-server") as url:
        yield Site(url, reference, folder)


def test_the_auditor_finds_overrides_and_proves_a_decision(site, browser, screenshot,
                                                           tmp_path):
    # An English browser: its own date inputs would show mm/dd/yyyy; ours show dd/mm/yyyy.
    context = browser.new_context(accept_downloads=True, locale="en-US",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/login")
    page.locator("#username").fill("kiem.toan")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(site.url + "/")

    # "Who overrode eligibility this year, and why?"
    page.goto(site.url + "/audit/")
    page.get_by_test_id("nav-exceptions").click()
    page.locator("#kind").select_option(label="Bỏ qua điều kiện xét tặng")
    year = today_vn().year
    day_from = page.locator("#date_from")
    assert day_from.get_attribute("placeholder") == "dd/mm/yyyy"
    assert day_from.get_attribute("type") == "text"  # not the browser's mm/dd/yyyy widget
    day_from.press_sequentially(f"0101{year}")  # typed as digits: the slashes come alone
    assert day_from.input_value() == f"01/01/{year}"
    # The calendar button's choice (the browser's own picker, ISO inside) is written back
    # as dd/mm/yyyy; the picker itself is never sent.
    picker = page.locator("#date_to ~ input.day-picker")
    assert picker.get_attribute("name") is None
    assert page.locator("#date_to ~ button").get_attribute("aria-label") == "Chọn ngày trên lịch"
    picker.evaluate(f"p => {{ p.value = '{year}-12-31'; p.dispatchEvent(new Event('change')); }}")
    assert page.locator("#date_to").input_value() == f"31/12/{year}"
    page.locator("[data-testid=exception-filters] button[type=submit]").click()
    page.wait_for_url("**date_from=01%2F01%2F*")
    assert day_from.input_value() == f"01/01/{year}"  # read as 1 January, shown back
    assert page.get_by_test_id("form-errors").count() == 0
    assert not page.locator(".invalid-feedback").count()
    found = page.locator("[data-testid=exceptions] [data-kind=eligibility_override]")
    expect(found).to_have_count(1)  # waits for the filtered page, unlike count()
    text = found.inner_text()
    assert "Lê Văn Thẩm (tham.dinh)" in text and REASON in text
    assert "Hoàng Thị Đề Cử" in text and "Luật" in text  # the nominee; the rule's source
    screenshot(page, "auditor-exceptions")

    # "Show me everything about the decision, and prove it."
    page.goto(site.url + "/audit/evidence")
    page.locator("#kind").select_option("decision")
    page.locator("#ident").fill(site.reference)
    page.locator("[data-testid=evidence-form] button[type=submit]").click()
    assert "Kết quả: mọi nội dung kiểm tra đều đạt." in page.get_by_test_id(
        "pack-result").inner_text()
    history = page.locator("[data-testid=pack-history]").all_inner_texts()
    assert any("Ban hành quyết định" in part for part in history)
    assert any("Bỏ qua điều kiện xét tặng" in part and REASON in part for part in history)
    screenshot(page, "auditor-evidence")
    with page.expect_download() as download:
        page.get_by_test_id("pack-zip").click()
    archive = tmp_path / "pack.zip"
    download.value.save_as(archive)
    zipfile.ZipFile(archive).extractall(tmp_path / "pack")
    kept = site.folder / "instance" / "audit-checkpoints.jsonl"
    check = subprocess.run([sys.executable, str(tmp_path / "pack" / "standalone_verify.py"),
                            str(tmp_path / "pack"), "--checkpoints", str(kept)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "OK: audit export verified" in check.stdout and "evidence pack" in check.stdout

    # The decision read in the page ("Xem"): a dialog framing the PDF, or, on a browser
    # that cannot show PDFs in a page, a new tab.
    page.goto(site.url + "/decisions/")
    page.get_by_role("link", name=site.reference).click()
    assert_accessible(page, "the decision page")
    view = page.get_by_test_id("view-pdf")
    assert view.inner_text().startswith("Xem")
    if page.evaluate("navigator.pdfViewerEnabled"):
        view.click()
        dialog = page.get_by_test_id("doc-viewer")
        dialog.locator("iframe").wait_for()
        frame = dialog.locator("iframe")
        assert frame.evaluate("f => f.src").endswith(view.get_attribute("href"))
        assert frame.get_attribute("sandbox") is None  # Chrome refuses PDFs in a sandbox
        for _ in range(50):  # the screenshot once the browser's viewer has come up
            if any(f.url.startswith("chrome-extension://") for f in page.frames):
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(2000)  # its first page drawn (for the picture only)
        screenshot(page, "decision-view")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
    else:
        with context.expect_page() as opened:
            view.click()
        assert opened.value.url.endswith(view.get_attribute("href"))
    context.close()

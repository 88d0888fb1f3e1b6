"""Every role's home page in a real browser, with the demo data and the demo accounts
(issue 14 item 4), and the search box in the navigation (item 6).

Each demo account signs in and its dashboard shows its panel (what needs its action, with
totals and key figures), nothing uncaught in the console; the reviewer finds a nominee by
typing a name without diacritics. Screenshots: dashboard-<role>.png in
test-artifacts/screenshots/ (the reviewer's is the README's).
"""

from __future__ import annotations

import pytest
from flask import current_app
from playwright.sync_api import expect

from tests.browser.sites import serving, sign_in
from tests.browser.test_journey import ConsoleLog
from tests.support.helpers import totp_code
from workflow_app.extensions import db
from workflow_app.models.dossier import Dossier

pytestmark = pytest.mark.browser
# account → (password, TOTP secret or None, the panels its home page shows)
ACCOUNTS = {
    "demo.submitter": ("demo-submitter-2026", None, ("submitter",)),
    "demo.reviewer": ("demo-reviewer-2026", None, ("reviewer",)),
    "demo.secretary": ("demo-secretary-2026", None, ("secretary",)),
    "demo.chair": ("demo-chair-2026", "DEMOCHAIRTOTP234DEMOCHAIRTOTP234", ("chair",)),
    "demo.signer": ("demo-signer-2026", "DEMOSIGNERTOTP23DEMOSIGNERTOTP23", ("signer",)),
    "demo.auditor": ("demo-auditor-2026", None, ("auditor",)),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    app = site_templates.app(tmp_path_factory.mktemp("dashboards"), demo=True,
                             secret_key="browser-dashboards")
    with app.app_context():
        _work_in_progress(db.session)
        db.session.remove()
    with serving(app, "dashboards") as url:
        yield url


def _work_in_progress(session) -> None:
    """Beyond the demo (whose dossiers all await the council): one dossier in appraisal, one
    returned for supplementation, one draft without its documents — through the services
    and the engine, as the pages would."""
    from sqlalchemy import select

    from workflow_app.attachments.storage import ATTACHMENTS, app_storage
    from workflow_app.demo.council_dossiers import Spec, _demo_pdf
    from workflow_app.dossiers.service.documents import add_document
    from workflow_app.dossiers.service.dossiers import create_dossier, today_vn
    from workflow_app.models.catalogue import Award
    from workflow_app.models.org import OrgUnit, Person
    from workflow_app.models.user import User
    from workflow_app.workflow import fire

    config = current_app.extensions["workflow_config"]
    storage = app_storage(ATTACHMENTS)
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == "BTP-CHTQTCT"))
    submitter, reviewer = (session.scalar(select(User).where(User.username == name))
                           for name in ("demo.submitter", "demo.reviewer"))
    award = session.scalar(select(Award).where(Award.code == "BK_BO"))
    version = award.version_on(today_vn())
    busy = set(session.scalars(select(Dossier.nominee_person_id).where(
        Dossier.nominee_person_id.is_not(None))))
    people = [p for p in session.scalars(select(Person).where(Person.unit_id == unit.id)
                                         .order_by(Person.id)) if p.id not in busy][:3]
    for n, person in enumerate(people):
        dossier = create_dossier(session, submitter, unit=unit, award=award,
                                 commendation_type="CONG_TRANG", year=2025, person=person,
                                 nominee_unit=None, summary="Hoàn thành xuất sắc nhiệm vụ năm "
                                 "2025 (minh họa).")
        if n == 2:
            continue  # a draft without its documents
        spec = Spec("BK_BO", unit.code, "demo.submitter", person.full_name, unit.code, "")
        for doc_type in version.required_documents or []:
            add_document(session, dossier, submitter, doc_type=doc_type,
                         filename=f"{doc_type.lower()}.pdf",
                         data=_demo_pdf(doc_type, unit, spec, version.name_vi),
                         storage=storage, max_size=config.max_content_length)
        fire(session, dossier, "submit", submitter)
        if n == 0:
            fire(session, dossier, "accept", reviewer)
        else:
            fire(session, dossier, "return_for_supplement", reviewer,
                 reason="Bổ sung biên bản bình xét của đơn vị.")
    session.commit()


def _sign_in(page, url, username, password, totp):
    sign_in(page, url, username, password, code=(lambda: totp_code(totp)) if totp else None)


def test_each_role_opens_its_dashboard_and_the_search_finds_a_name(site, browser, screenshot):
    for username, (password, totp, panels) in ACCOUNTS.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        console = ConsoleLog(page)
        _sign_in(page, site, username, password, totp)
        # Every section link stays on screen at a laptop's width (they wrap to a second row).
        page.set_viewport_size({"width": 1024, "height": 900})
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, (username, overflow)
        for link in page.locator("[data-testid^=nav-]").all():
            if link.is_visible():
                box = link.bounding_box()
                assert box["x"] + box["width"] <= 1024, (username, link.inner_text())
        page.set_viewport_size({"width": 1280, "height": 900})
        for role in panels:
            panel = page.get_by_test_id(f"panel-{role}")
            expect(panel).to_be_visible()
            expect(panel.locator("[data-testid^=figure-]").first).to_be_visible()
        if username == "demo.reviewer":
            expect(page.get_by_test_id("total-reviewer")).not_to_have_text("0")
            screenshot(page, "dashboard-reviewer")
            page.locator("#nav-search-q").fill("nguyen van quang")
            page.locator("#nav-search-q").press("Enter")
            page.wait_for_url("**/search/**")
            expect(page.get_by_test_id("search-person")).to_contain_text("Nguyễn Văn Quang")
            expect(page.get_by_test_id("search-dossier")).to_contain_text("Nguyễn Văn Quang")
            screenshot(page, "search-reviewer")
        else:
            screenshot(page, f"dashboard-{username.removeprefix('demo.')}")
        console.assert_no_csp_violation()
        context.close()

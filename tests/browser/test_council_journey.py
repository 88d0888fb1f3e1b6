"""A council session in a real browser, with the demo data and the demo accounts (issue 4's
"done when").

The secretary schedules a session, puts the five dossiers awaiting the council on the
agenda (one nominee belongs to member Đỗ Văn Thắng's unit: he is recused automatically),
records attendance (Hoàng Minh Tuấn absent, voting in writing), opens the vote. The chair
(password + TOTP) votes on a desktop, two members vote on phones (review, password, receipt);
the secretary enters the written vote and closes the round. The outcomes follow the rules:

1. CSTĐ Bộ — Nguyễn Văn Quang: ≥ 9/10 of all 4 members → 4 needed; 3 online + 1 written → Đạt
2. BK Bộ — Đặng Minh Khôi: > 1/2 of 4 → 3 needed; 3 agree → Đạt
3. BK Bộ — Tô Văn Nam: 2 agree, 1 disagree; the absent member counts → 2 < 3 → Không đạt
4. BK Bộ — Phòng Hộ tịch: 3 agree → Đạt
5. BK Bộ — Ngô Thị Thanh Huyền: one recused → > 1/2 of 3 → 2 needed; 2 agree → Đạt

A member finds their receipt in the published list; the chair signs the minutes (number
01/BB-HĐTĐKT) and they verify against the audit trail. Screenshots: council-01 … council-12
in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.sites import serving, sign_in
from tests.browser.test_journey import ConsoleLog
from tests.support.axe import assert_accessible
from tests.support.helpers import FreshCodes
from workflow_app.extensions import db
from workflow_app.models.council import AgendaItem, CouncilMember

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
CHAIR_TOTP = "DEMOCHAIRTOTP234DEMOCHAIRTOTP234"
PASSWORDS = {"demo.secretary": "demo-secretary-2026", "demo.chair": "demo-chair-2026",
             "demo.council1": "demo-council1-2026", "demo.council2": "demo-council2-2026",
             "demo.council3": "demo-council3-2026"}
NOMINEES = ("Nguyễn Văn Quang", "Đặng Minh Khôi", "Tô Văn Nam", "Phòng Hộ tịch",
            "Ngô Thị Thanh Huyền")
# Each member's secret choices, item by item (None: not on the member's paper).
VOTES = {
    "demo.chair": ("agree", "agree", "agree", "agree", "agree"),
    "demo.council2": ("agree", "agree", "agree", "agree", None),  # recused on item 5
    "demo.council3": ("agree", "agree", "disagree", "agree", "agree"),
}
EXPECTED = ("approved", "approved", "rejected", "approved", "approved")


@dataclass(frozen=True)
class Site:
    url: str
    app: object


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    """The app with the catalogue and `flask demo load`, served over HTTP."""
    app = site_templates.app(tmp_path_factory.mktemp("council-browser"), demo=True,
                             secret_key="browser-council")
    with serving(app, "council-server") as url:
        yield Site(url, app)


def _read(site, query):
    with site.app.app_context():
        try:
            return query(db.session)
        finally:
            db.session.remove()


def _sign_in(page, site, username, *, totp: FreshCodes | None = None):
    sign_in(page, site.url, username, PASSWORDS[username], code=totp.next if totp else None)


PHONE = {"width": 390, "height": 844}  # a common phone; the ballot's choices must fit

# One text line per choice button: (content height) / (line height) below 1.5.
ONE_LINE = """e => { const s = getComputedStyle(e);
  const inner = e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
  return inner / parseFloat(s.lineHeight) < 1.5; }"""


def _context(browser, phone=False):
    if phone:
        return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                   device_scale_factor=2)
    return browser.new_context(viewport=DESKTOP)


def _items(site, session_id) -> list[int]:
    return _read(site, lambda s: list(s.scalars(select(AgendaItem.id).where(
        AgendaItem.session_id == session_id).order_by(AgendaItem.position))))


def _vote(page, site, session_id, username, *, totp=None, screenshot=None, name=""):
    page.goto(f"{site.url}/council/sessions/{session_id}")
    page.get_by_test_id("vote-now").click()
    items = _items(site, session_id)
    choices = VOTES[username]
    expect(page.locator("[data-testid^=paper-item-]")).to_have_count(
        sum(c is not None for c in choices))
    for item_id, choice in zip(items, choices, strict=True):
        if choice is not None:
            page.locator(f'label[for="i{item_id}-{choice}"]').click()
    if page.viewport_size["width"] <= PHONE["width"]:  # no "Đồng / ý" on a phone
        labels = page.locator(".choice-group label")
        assert labels.count() >= 3
        assert all(labels.nth(n).evaluate(ONE_LINE) for n in range(labels.count()))
    if screenshot:
        screenshot(page, f"{name}-ballot")
    assert_accessible(page, f"the ballot ({username})")
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("review-list")).to_be_visible()
    assert_accessible(page, f"the ballot's confirmation ({username})")
    page.locator("#password").fill(PASSWORDS[username])
    if totp:
        page.locator("#code").fill(totp.next())  # newer than the sign-in's
    if screenshot:
        screenshot(page, f"{name}-confirm")
    page.get_by_test_id("cast").click()
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    assert_accessible(page, f"the ballot's receipt ({username})")
    assert receipt.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap", \
        "the receipt code must not break at its hyphens"
    if screenshot:
        screenshot(page, f"{name}-receipt")
    return receipt.inner_text().strip()


def test_a_council_session_from_agenda_to_verified_minutes(site, browser, screenshot):
    secretary_ctx = _context(browser)
    secretary = secretary_ctx.new_page()
    secretary.on("dialog", lambda dialog: dialog.accept())  # data-confirm forms ask first
    console = ConsoleLog(secretary)
    _sign_in(secretary, site, "demo.secretary")
    secretary.get_by_test_id("lang-en").click()

    # 1. Schedule the session.
    secretary.goto(site.url + "/council/")
    secretary.get_by_test_id("new-session").click()
    secretary.locator("#held_on").fill(date.today().strftime("%d/%m/%Y"))
    secretary.locator("#place").fill("Phòng họp số 1, 58-60 Trần Phú, Hà Nội")
    secretary.locator("#title").fill("Phiên họp xét khen thưởng tổng kết năm 2025")
    screenshot(secretary, "council-01-schedule")
    secretary.locator("main form button[type=submit]").click()
    # The session's own page: the form's address (…/sessions/new) would match a wildcard.
    secretary.wait_for_url(re.compile(r".*/council/sessions/\d+$"))
    session_id = int(secretary.url.rstrip("/").rsplit("/", 1)[1])

    # 2. The agenda: the five dossiers awaiting the council.
    for _ in NOMINEES:
        secretary.get_by_test_id("add-item").click()
        expect(secretary.get_by_test_id("page-error")).to_have_count(0)
    items = _items(site, session_id)
    assert len(items) == 5
    item_five = secretary.get_by_test_id(f"item-{items[4]}")
    expect(item_five).to_contain_text("Ngô Thị Thanh Huyền")
    expect(secretary.get_by_test_id(f"recusals-{items[4]}")).to_contain_text("Đỗ Văn Thắng")
    expect(secretary.get_by_test_id(f"recusals-{items[4]}")).to_contain_text(
        "member of the nominee's unit")
    screenshot(secretary, "council-02-agenda")

    # 3. Attendance: Hoàng Minh Tuấn is away and votes in writing.
    seats = _read(site, lambda s: {m.user.username: m.id for m in s.scalars(
        select(CouncilMember)).all()})
    secretary.get_by_test_id("attendance-link").click()
    for username in ("demo.chair", "demo.council2", "demo.council3"):
        secretary.locator(f'label[for="m{seats[username]}-present"]').click()
    secretary.locator(f'label[for="m{seats["demo.council1"]}-absent_written_vote"]').click()
    screenshot(secretary, "council-03-attendance")
    secretary.get_by_test_id("save-attendance").click()
    expect(secretary.get_by_test_id("quorum-met")).to_be_visible()

    # 4. Open the vote on every item.
    secretary.get_by_test_id("open-round-button").click()
    expect(secretary.get_by_test_id("open-round")).to_be_visible()
    screenshot(secretary, "council-04-voting-open")

    # 5. The members vote secretly from their own accounts: two on phones, the chair with TOTP.
    receipts = {}
    for username in ("demo.council2", "demo.council3"):
        context = _context(browser, phone=True)
        page = context.new_page()
        member_console = ConsoleLog(page)
        _sign_in(page, site, username)
        shots = screenshot if username == "demo.council2" else None
        receipts[username] = _vote(page, site, session_id, username, screenshot=shots,
                                   name="council-05-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        member_console.assert_no_csp_violation()
        context.close()
    chair_ctx = _context(browser)
    chair = chair_ctx.new_page()
    chair.on("dialog", lambda dialog: dialog.accept())
    chair_console = ConsoleLog(chair)
    chair_codes = FreshCodes(CHAIR_TOTP)
    _sign_in(chair, site, "demo.chair", totp=chair_codes)
    receipts["demo.chair"] = _vote(chair, site, session_id, "demo.chair", totp=chair_codes)

    # 6. The written vote of the absent member, copied from his paper (item 1 only).
    secretary.goto(f"{site.url}/council/sessions/{session_id}")
    secretary.get_by_role("link", name="Enter the written vote of Hoàng Minh Tuấn").click()
    expect(secretary.locator("[data-testid^=paper-item-]")).to_have_count(1)
    secretary.locator(f'label[for="i{items[0]}-agree"]').click()
    secretary.locator("#checked").check()
    screenshot(secretary, "council-08-written-vote")
    secretary.locator("main form button[type=submit]").click()
    expect(secretary.get_by_test_id("flash")).to_contain_text("written vote is entered")

    # 7. Close and count: the outcomes follow the rules.
    secretary.get_by_test_id("close-round").click()
    for item_id, outcome in zip(items, EXPECTED, strict=True):
        badge = secretary.get_by_test_id(f"item-{item_id}").get_by_test_id("outcome")
        expect(badge).to_have_text("Approved" if outcome == "approved" else "Not approved")
    tallies = {item_id: secretary.get_by_test_id(f"item-{item_id}").get_by_test_id("tally")
               for item_id in items}
    expect(tallies[items[0]]).to_contain_text("Agree 4 · Disagree 0 · Abstain 0 — 4 of 4")
    expect(tallies[items[2]]).to_contain_text("Agree 2 · Disagree 1 · Abstain 0 — 3 of 4")
    expect(tallies[items[4]]).to_contain_text("Agree 2 · Disagree 0 · Abstain 0 — 2 of 3")
    screenshot(secretary, "council-09-results")
    stored = _read(site, lambda s: [i.outcome for i in s.scalars(select(AgendaItem).where(
        AgendaItem.session_id == session_id).order_by(AgendaItem.position))])
    assert tuple(stored) == EXPECTED

    # 8. A member finds their receipt in the published list, on a phone.
    context = _context(browser, phone=True)
    page = context.new_page()
    _sign_in(page, site, "demo.council3")
    page.goto(f"{site.url}/council/sessions/{session_id}")
    page.get_by_test_id("rounds").get_by_role("link").first.click()
    page.locator("input[name=receipt]").fill(receipts["demo.council3"])
    page.get_by_test_id("receipt-check").locator("button").click()
    expect(page.get_by_test_id("receipt-found")).to_be_visible()
    assert "receipt=" not in page.url  # checked by POST: the code stays out of the URL
    screenshot(page, "council-12-phone-receipt-check")
    page.goto(f"{site.url}/council/sessions/{session_id}/minutes")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "council-13-phone-minutes")
    context.close()

    # 9. The chair signs the minutes off; they verify against the audit trail.
    chair.get_by_test_id("lang-en").click()
    chair.goto(f"{site.url}/council/sessions/{session_id}/minutes")
    chair.get_by_test_id("go-sign").click()
    chair.locator("#password").fill(PASSWORDS["demo.chair"])
    # Signing asks for a fresh code too: one newer than the ballot's (never accepted twice).
    chair.locator("#code").fill(chair_codes.next())
    chair.get_by_test_id("sign-minutes").click()
    expect(chair.get_by_test_id("minutes-signed")).to_be_visible()
    expect(chair.get_by_test_id("minutes-number")).to_contain_text("01/BB-HĐTĐKT")
    expect(chair.get_by_test_id("minutes-item-5")).to_contain_text("Đỗ Văn Thắng")
    screenshot(chair, "council-10-minutes-signed")
    chair.get_by_test_id("verify-minutes").click()
    expect(chair.get_by_test_id("verify-ok")).to_be_visible()
    expect(chair.locator("[data-testid^=check-] .text-bg-danger")).to_have_count(0)
    screenshot(chair, "council-11-verified")

    console.assert_no_csp_violation()
    chair_console.assert_no_csp_violation()
    secretary_ctx.close()
    chair_ctx.close()

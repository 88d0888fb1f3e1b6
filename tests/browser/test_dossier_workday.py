"""A submitter's everyday work on a dossier, counted and measured (issue 17 items 1, 3, 8).

- The journey from the home page to a sent dossier — create, attach four documents in one
  sending, read one in the page, send after the summary — and the page loads it takes
  (printed; fewer than the one-document-per-sending way, which is measured alongside).
- The dossier page's height on a desktop and on a phone (printed, not asserted): content
  first, the eligibility tree folded to its verdict unless a rule blocks, the timeline one
  tap away (anchored links) on a phone and beside the content on a desktop.
- axe-core on the dossier page (desktop and phone), the home page, the document viewer:
  no serious or critical violation (tests/support/axe.py).
Screenshots: workday-*.png (test-artifacts/screenshots/).
"""

# ruff: noqa: F811 - the tests take the imported `site` fixture as a parameter
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_dossier_journey import (  # noqa: F401 - `site` is a fixture
    DESKTOP,
    _sign_in,
    site,
)
from tests.browser.test_journey import PHONE, ConsoleLog
from tests.support.axe import assert_accessible
from tests.support.dossier_factories import PDF

pytestmark = pytest.mark.browser
ONE_BY_ONE_LOADS = 8  # the same journey sending one document per page load (measured below)


class PageLoads:
    """The page loads of a tab: its main frame's committed navigations (a redirect followed
    counts once; the viewer's frame is not the main frame)."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.on("framenavigated",
                lambda frame: frame.parent_frame is None and self.urls.append(frame.url))

    def __len__(self) -> int:
        return len(self.urls)


def _files(tmp_path, names):
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(PDF + name.encode())
        paths.append(str(path))
    return paths


def _unfold(details):
    """Open a <details> by its summary, as a user would, unless it is open already."""
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def _new_dossier(page, site):
    page.get_by_test_id("nav-dossiers").click()
    page.get_by_test_id("new-dossier").click()
    page.locator("select[name=person]").select_option(str(site.person_id))
    page.locator("select[name=award]").select_option(str(site.award_id))
    page.locator("select[name=commendation_type]").select_option("CONG_TRANG")
    page.locator("textarea[name=summary]").fill("Hoàn thành xuất sắc nhiệm vụ năm.")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("missing")).to_be_visible()


def _send(page):
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("send-summary")).to_contain_text("4 tài liệu")
    page.get_by_test_id("action-submit").locator("button").click()
    expect(page.locator('[data-testid="state-badge"][data-state="submitted"]').first
           ).to_be_visible()


DOCUMENTS = [("TO_TRINH", "To trinh 15-TTr.pdf"), ("BAO_CAO_THANH_TICH", "Bao cao.pdf"),
             ("BIEN_BAN_BINH_XET", "Bien ban.pdf"), ("KHAC", "Phu luc.pdf")]


def test_four_documents_in_one_sending_take_fewer_page_loads(site, browser, screenshot,
                                                             tmp_path):
    counts = {}
    for way in ("one by one", "all at once"):
        context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
        page = context.new_page()
        console = ConsoleLog(page)
        _sign_in(page, site, "thu.pham")
        loads = PageLoads(page)  # from the home page on
        _new_dossier(page, site)
        form = page.get_by_test_id("upload-form")
        if way == "one by one":
            for (code, name), path in zip(DOCUMENTS, _files(tmp_path, [n for _, n in DOCUMENTS]),
                                          strict=True):
                _unfold(page.get_by_test_id("upload-details"))  # folded once complete
                if code == "KHAC":
                    _unfold(form.get_by_test_id("other-types"))
                form.locator(f"input[name=files-{code}]").set_input_files(path)
                form.get_by_test_id("upload-submit").click()
                expect(page.get_by_test_id("flash")).to_contain_text(name)
        else:
            paths = _files(tmp_path, [n for _, n in DOCUMENTS])
            _unfold(form.get_by_test_id("other-types"))
            for (code, _name), path in zip(DOCUMENTS, paths, strict=True):
                form.locator(f"input[name=files-{code}]").set_input_files(path)
            screenshot(page, "workday-01-four-files-chosen")
            form.get_by_test_id("upload-submit").click()
            flash = page.get_by_test_id("flash")
            expect(flash).to_contain_text("4 tài liệu")
            for _code, name in DOCUMENTS:
                expect(flash).to_contain_text(name)
            # Read one in the page: the viewer is a dialog, not a page load.
            documents = page.get_by_test_id("documents")
            page.wait_for_load_state("load")  # the viewer's script is bound, not only the HTML
            documents.locator("[data-view=pdf]").first.click()
            expect(page.get_by_test_id("doc-viewer").locator("iframe")).to_be_visible()
            assert_accessible(page, "the document viewer")
            page.get_by_test_id("doc-viewer").locator(".btn-close").click()
        _send(page)
        counts[way] = len(loads)
        console.assert_no_csp_violation()
        context.close()
    print(f"page loads from the home page to a sent dossier with four documents: "
          f"{counts['one by one']} one document per sending, {counts['all at once']} in one "
          f"sending")
    assert counts["one by one"] == ONE_BY_ONE_LOADS
    assert counts["all at once"] == ONE_BY_ONE_LOADS - 3  # three uploads fewer


def test_a_refused_file_in_a_sending_is_named_and_nothing_is_kept(site, browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    _sign_in(page, site, "thu.pham")
    _new_dossier(page, site)
    good, bad = tmp_path / "to-trinh.pdf", tmp_path / "bao-cao.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(b"MZ\x90\x00 not a pdf")
    form = page.get_by_test_id("upload-form")
    form.locator("input[name=files-TO_TRINH]").set_input_files(str(good))
    form.locator("input[name=files-BAO_CAO_THANH_TICH]").set_input_files(str(bad))
    form.get_by_test_id("upload-submit").click()
    refusals = page.get_by_test_id("upload-refusals")
    expect(refusals.get_by_test_id("refusal")).to_have_count(1)
    expect(refusals).to_contain_text("bao-cao.pdf")
    expect(page.get_by_test_id("documents").locator("[data-testid^=document-]")).to_have_count(0)
    assert_accessible(page, "the dossier page with refused files")
    context.close()


def _measure(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_dossier_page_on_a_desktop_and_a_phone(site, browser, screenshot):
    """The blocked draft (four documents, an eligibility rule not met) and a sent dossier:
    heights printed for the report, the layout's promises asserted."""
    url = f"{site.url}/dossiers/{site.blocked_id}"
    heights = {}
    for device, options in (("desktop", {"viewport": DESKTOP}),
                            ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True,
                                       "device_scale_factor": 2})):
        context = browser.new_context(locale="vi-VN", **options)
        page = context.new_page()
        console = ConsoleLog(page)
        _sign_in(page, site, "thu.pham")
        assert_accessible(page, f"the home page ({device})")
        page.goto(url)
        heights[device] = _measure(page)
        screenshot(page, f"workday-02-dossier-{device}")
        # Content first: the proposal and the documents come before the eligibility tree.
        order = page.evaluate("""() => ['proposal', 'documents', 'eligibility']
            .map(id => document.getElementById(id).getBoundingClientRect().top + scrollY)""")
        assert order == sorted(order), order
        # A rule blocks: the tree is open, its verdict in the summary.
        expect(page.get_by_test_id("eligibility-verdict")).to_contain_text("Chưa thể gửi hồ sơ")
        expect(page.get_by_test_id("eligibility-details")).to_have_attribute("open", "")
        # The timeline is one tap away.
        page.get_by_test_id("section-nav").locator("a[href='#timeline']").click()
        expect(page.get_by_test_id("timeline")).to_be_in_viewport()
        if device == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        else:  # beside the content, without scrolling
            page.evaluate("window.scrollTo(0, 0)")
            expect(page.get_by_test_id("timeline")).to_be_in_viewport()
        assert_accessible(page, f"the dossier page ({device})")
        # A sent dossier (from the first test, when it ran): its height too.
        page.goto(f"{site.url}/dossiers/?status=submitted")
        sent = page.locator("[data-testid=dossier-list] a[href*='/dossiers/']")
        if sent.count():
            sent.first.click()
            expect(page.get_by_test_id("timeline")).to_be_visible()
            heights[f"{device}, sent"] = _measure(page)
        console.assert_no_csp_violation()
        context.close()
    print("dossier page height: " + ", ".join(f"{k} {v} px" for k, v in heights.items()))


def test_a_large_sending_shows_its_progress_then_the_dossier(site, browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    console = ConsoleLog(page)
    _sign_in(page, site, "thu.pham")
    _new_dossier(page, site)
    dossier_url = page.url
    big = tmp_path / "bao-cao-day-du.pdf"
    big.write_bytes(PDF + b"%" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n")
    # About 3 s to send at 1 MB/s, as over a slow office link: long enough to see the bar.
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1,
        "uploadThroughput": 1_000_000})
    form = page.get_by_test_id("upload-form")
    form.locator("input[name=files-BAO_CAO_THANH_TICH]").set_input_files(str(big))
    form.get_by_test_id("upload-submit").click()
    progress = page.get_by_test_id("upload-progress")
    expect(progress).to_be_visible()
    expect(progress).not_to_contain_text(" 0 %")  # it moves
    expect(page.get_by_test_id("flash")).to_contain_text("bao-cao-day-du.pdf", timeout=20_000)
    assert page.url == dossier_url  # the dossier's own address, not the upload's
    expect(page.get_by_test_id("documents")).to_contain_text("bao-cao-day-du.pdf")
    console.assert_no_csp_violation()
    context.close()

"""The first journey in a real browser: sign in, switch language, open the catalogue, sign out.

Screenshots of every step are written to test-artifacts/screenshots/ (listed in the
"browser screenshots" section at the end of the pytest run):
01-login-vi, 02-dashboard-vi, 03-dashboard-en, 04-dashboard-vi-again, 05-catalogue,
06-not-found-vi, 07-signed-out, 08-phone-login, 09-phone-dashboard (375×812, menu
collapsed), 10-phone-menu-open.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


class ConsoleLog:
    """Console errors and uncaught exceptions of a page (CSP violations show up here)."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def assert_no_csp_violation(self):
        csp = [e for e in self.errors if "Content Security Policy" in e]
        assert not csp, "\n".join(csp)
        assert not [e for e in self.errors if e.startswith("uncaught")], self.errors


def _sign_in(page, server):
    page.get_by_label("Tên đăng nhập").fill(server.username)
    page.get_by_label("Mật khẩu").fill(server.password)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{server.url}/")


def test_sign_in_switch_language_and_open_the_catalogue(live_server, browser, screenshot):
    """Screenshots: test-artifacts/screenshots/01-login-vi.png … 07-signed-out.png."""
    # An English-speaking browser still gets Vietnamese: it is the product's default.
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    page = context.new_page()
    console = ConsoleLog(page)

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    screenshot(page, "01-login-vi")

    _sign_in(page, live_server)
    expect(page.get_by_test_id("welcome")).to_have_text(f"Xin chào, {live_server.full_name}")
    expect(page.get_by_test_id("user-menu")).to_have_text(live_server.full_name)
    expect(page.get_by_test_id("nav-catalogue")).to_have_text("Danh mục khen thưởng")
    expect(page.get_by_test_id("nav-admin")).to_have_count(0)  # not an administrator
    screenshot(page, "02-dashboard-vi")

    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("welcome")).to_have_text(f"Welcome, {live_server.full_name}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("nav-catalogue")).to_have_text("Award catalogue")
    expect(page.get_by_test_id("role-submitter")).to_contain_text("Submitter")
    screenshot(page, "03-dashboard-en")

    page.get_by_test_id("lang-vi").click()
    expect(page.get_by_test_id("welcome")).to_have_text(f"Xin chào, {live_server.full_name}")
    expect(page.get_by_test_id("role-submitter")).to_contain_text("Người lập hồ sơ")
    screenshot(page, "04-dashboard-vi-again")

    page.get_by_test_id("nav-catalogue").click()
    expect(page).to_have_url(f"{live_server.url}/catalogue/")
    expect(page.get_by_test_id("nav-catalogue")).to_have_attribute("aria-current", "page")
    expect(page.locator("main")).to_contain_text("Lao động tiên tiến")
    screenshot(page, "05-catalogue")

    page.goto(live_server.url + "/no/such/page")
    expect(page.get_by_test_id("error-status")).to_have_text("404")
    expect(page.get_by_role("heading", name="Không tìm thấy")).to_be_visible()
    expect(page.get_by_role("button", name="Quay lại")).to_be_visible()  # shown by app.js
    screenshot(page, "06-not-found-vi")

    page.get_by_test_id("user-menu").click()  # a Bootstrap dropdown (Popper) under the CSP
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_test_id("flash")).to_contain_text("Anh/chị đã đăng xuất.")
    screenshot(page, "07-signed-out")

    console.assert_no_csp_violation()
    context.close()


def test_dashboard_on_a_phone_has_a_collapsed_menu_that_opens(live_server, browser, screenshot):
    """Screenshots: test-artifacts/screenshots/08-phone-login.png … 10-phone-menu-open.png."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    console = ConsoleLog(page)

    page.goto(live_server.url + "/login")
    expect(page.get_by_test_id("lang-en")).to_be_visible()  # no menu to open when signed out
    screenshot(page, "08-phone-login")
    _sign_in(page, live_server)
    toggle = page.get_by_test_id("nav-toggle")
    expect(toggle).to_be_visible()
    expect(page.get_by_test_id("nav-catalogue")).to_be_hidden()
    expect(page.get_by_test_id("welcome")).to_be_visible()
    # Nothing wider than the phone: no sideways scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "09-phone-dashboard")

    toggle.tap()
    expect(page.get_by_test_id("nav-catalogue")).to_be_visible()
    box = page.get_by_test_id("nav-catalogue").bounding_box()
    assert box is not None and box["height"] >= 44  # a comfortable tap target
    expect(page.get_by_test_id("lang-en")).to_be_visible()
    page.wait_for_timeout(400)  # let the collapse animation finish before the picture
    screenshot(page, "10-phone-menu-open")

    console.assert_no_csp_violation()
    context.close()

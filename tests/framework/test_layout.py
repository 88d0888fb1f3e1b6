"""The base layout: navigation by role, an honest home page, friendly error pages."""

from __future__ import annotations

import re

import pytest
from flask import abort

from tests.support.helpers import login_as, post_form
from workflow_app.security import public

HREF_RE = re.compile(r'href="(/[^"]*)"')


def _page(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def test_signed_out_visitor_sees_no_section_links(client):
    page = _page(client, "/login")
    assert 'data-testid="lang-switch"' in page
    assert 'data-testid="nav-catalogue"' not in page
    assert 'data-testid="logout"' not in page


def test_every_signed_in_user_sees_catalogue_and_organisation_but_not_administration(
    app, client, make_user
):
    login_as(app, client, make_user("reviewer1", roles=["reviewer"]))
    page = _page(client, "/")
    for testid in ("nav-catalogue", "nav-units", "nav-clusters", "logout", "user-menu"):
        assert f'data-testid="{testid}"' in page, testid
    for testid in ("nav-admin", "card-admin", "nav-audit", "card-audit"):
        assert f'data-testid="{testid}"' not in page, testid


def test_admin_sees_the_administration_link_and_card(app, client, make_user):
    login_as(app, client, make_user("admin1", roles=["admin"]))
    page = _page(client, "/")
    assert 'data-testid="nav-admin"' in page
    assert 'data-testid="card-admin"' in page


def test_auditor_sees_the_audit_trail_link_and_card(app, client, make_user):
    login_as(app, client, make_user("auditor1", roles=["auditor"]))
    page = _page(client, "/")
    assert 'data-testid="nav-audit"' in page
    assert 'data-testid="card-audit"' in page
    assert 'data-testid="nav-admin"' not in page


def test_current_section_is_marked_for_screen_readers(app, client, make_user):
    login_as(app, client, make_user("reviewer1", roles=["reviewer"]))
    page = _page(client, "/catalogue/")
    link = re.search(r'<a [^>]*data-testid="nav-catalogue"[^>]*>', page).group(0)
    assert 'aria-current="page"' in link


def test_dashboard_shows_one_card_per_role_with_its_units(app, client, make_user, make_unit):
    province = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice")
    user = make_user("linh", roles=["submitter", "council_member"], unit=province)
    login_as(app, client, user)
    page = _page(client, "/")
    assert 'data-testid="role-submitter"' in page
    assert 'data-testid="role-council_member"' in page
    assert "Sở Tư pháp tỉnh Quảng Bình" in page
    assert "Thành viên Hội đồng" in page


def test_dashboard_links_only_to_pages_that_exist_and_open(app, client, make_user):
    login_as(app, client, make_user("admin1", roles=["admin", "auditor"]))
    page = _page(client, "/")
    links = set(HREF_RE.findall(page)) - {"/"}
    assert links, "the home page should offer something to open"
    for href in sorted(links):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code == 200, href


def test_user_without_roles_is_told_whom_to_ask(app, client, make_user):
    login_as(app, client, make_user("norole"))
    assert 'data-testid="no-roles"' in _page(client, "/")


def test_footer_names_the_product_in_the_chosen_language(client):
    assert "Hệ thống quản lý hồ sơ thi đua, khen thưởng" in _page(client, "/login")
    post_form(client, "/language", {"locale": "en", "next": "/login"}, token_from="/login")
    assert "Emulation and commendation dossier system" in _page(client, "/login")


# ── Error pages ─────────────────────────────────────────────────────────────────────


@pytest.fixture
def failing_routes(config, make_app):
    """An app of its own with public test-only views that fail the ways real views do."""
    app = make_app(config)

    def conflict():
        abort(409)

    def throttled():
        abort(429)

    def crash():
        raise RuntimeError("boom")

    for name, view in (("conflict", conflict), ("throttled", throttled), ("crash", crash)):
        app.add_url_rule(f"/_test/{name}", f"test_{name}", public(view))
    return app


ERRORS_VI = {
    "/_test/conflict": (409, "Xung đột dữ liệu"),
    "/_test/throttled": (429, "Quá nhiều yêu cầu"),
    "/_test/crash": (500, "Đã xảy ra lỗi"),
    "/no/such/page": (404, "Không tìm thấy"),
}
ERRORS_EN = {
    "/_test/conflict": "Conflict",
    "/_test/throttled": "Too many requests",
    "/_test/crash": "Something went wrong",
    "/no/such/page": "Not found",
}


def test_error_pages_are_friendly_in_both_languages(failing_routes):
    client = failing_routes.test_client()
    for path, (status, title_vi) in ERRORS_VI.items():
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == status, path
        assert f'data-testid="error-status">{status}<' in page
        assert title_vi in page and "Về trang chủ" in page, path
        assert "Traceback" not in page and "boom" not in page
    post_form(client, "/language", {"locale": "en", "next": "/login"}, token_from="/login")
    for path, title_en in ERRORS_EN.items():
        page = _page(client, path)
        assert title_en in page and "Back to the home page" in page, path


def test_forbidden_page_explains_what_to_do(app, client, make_user):
    login_as(app, client, make_user("reviewer1", roles=["reviewer"]))
    response = client.get("/admin/users")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Không được phép" in page
    assert "đề nghị quản trị viên kiểm tra lại vai trò" in page


def test_the_sign_in_page_leads_visitors_to_the_public_list(client):
    page = client.get("/login").get_data(as_text=True)
    link = page.split('data-testid="public-link"')[1].split("</p>")[0]
    assert 'href="/cong-khai/"' in link and "lấy ý kiến công khai" in link
    assert client.get("/cong-khai/").status_code == 200  # readable without signing in

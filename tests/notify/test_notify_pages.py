"""The notifications page and the unread badge in the navigation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.helpers import login_as, post_form, recording
from workflow_app.models.base import utcnow
from workflow_app.models.notification import Notification
from workflow_app.notify.service import queue as service


@pytest.fixture
def lan(make_user):
    return make_user("lan", locale="en")


@pytest.fixture
def minh(make_user):
    return make_user("minh", locale="en")


def _note(session, user, message, *, read=False, link=""):
    service.notify(session, session.merge(user), "test", message, link=link)
    if read:
        row = session.scalars(select(Notification).order_by(Notification.id.desc())).first()
        row.read_at = utcnow()
        session.flush()


def _badge(html: str) -> str | None:
    match = re.search(r'data-testid="unread-count">(\d+)', html)
    return match.group(1) if match else None


def test_the_page_lists_the_users_own_notifications_newest_first(app, client, session, lan,
                                                                 minh):
    _note(session, lan, "Hồ sơ #1 đã được tiếp nhận", read=True)
    _note(session, minh, "Thông báo riêng của Minh")
    _note(session, lan, "Hồ sơ #2 bị trả lại", link="/dossiers/2")
    _note(session, lan, "Hồ sơ #3 sắp đến hạn")
    login_as(app, client, lan)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Thông báo riêng của Minh" not in html
    messages = re.findall(r'data-testid="notification" data-unread="(yes|no)">.*?'
                          r'<span class="[^"]*">\s*(?:<span[^>]*>new</span>)?\s*'
                          r'(?:<a href="[^"]*">)?([^<]+)', html, re.S)
    assert [(flag, text.strip()) for flag, text in messages] == [
        ("yes", "Hồ sơ #3 sắp đến hạn"), ("yes", "Hồ sơ #2 bị trả lại"),
        ("no", "Hồ sơ #1 đã được tiếp nhận")]
    assert '<a href="/dossiers/2">Hồ sơ #2 bị trả lại</a>' in html
    assert _badge(html) == "2"


def test_mark_all_read_touches_only_the_users_own(app, client, session, lan, minh):
    _note(session, lan, "Một")
    _note(session, lan, "Hai")
    _note(session, minh, "Của Minh")
    login_as(app, client, lan)
    response = post_form(client, "/notifications/read-all", {}, token_from="/notifications")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-unread="yes"' not in html and _badge(html) is None
    assert "All notifications are marked as read." in html
    unread = {n.message for n in session.scalars(
        select(Notification).where(Notification.read_at.is_(None)))}
    assert unread == {"Của Minh"}


def test_mark_all_read_needs_the_csrf_token(app, client, session, lan):
    _note(session, lan, "Một")
    login_as(app, client, lan)
    assert client.post("/notifications/read-all").status_code == 400
    assert session.scalar(select(Notification.read_at)) is None


def test_links_to_other_sites_are_not_rendered_as_links(app, client, session, lan):
    _note(session, lan, "Lạ", link="https://evil.example/phish")
    _note(session, lan, "Cũng lạ", link="//evil.example/x")
    _note(session, lan, "Lạ nữa", link="/\\evil.example/y")
    login_as(app, client, lan)
    html = client.get("/notifications").get_data(as_text=True)
    assert "evil.example" not in html and "Lạ" in html


def test_the_badge_costs_one_count_query(app, client, session, lan):
    _note(session, lan, "Một")
    login_as(app, client, lan)
    with recording(app.extensions["workflow_db_engine"]) as statements:
        html = client.get("/").get_data(as_text=True)
    assert _badge(html) == "1"
    touching = statements.touching("notification")
    assert len(touching) == 1 and "count(" in touching[0].lower()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

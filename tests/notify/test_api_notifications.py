"""My notifications over the API: only mine, newest first, paged by key; mark all read
touches mine only."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from workflow_app.models.notification import Notification
from workflow_app.notify.service.queue import notify


def _unread(session, user) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def test_i_read_only_my_notifications_and_mark_them_read(
        as_user, session, submitter, reviewer):
    for n in range(3):
        notify(session, submitter, "dossier.returned", f"Hồ sơ #{n} bị trả lại",
               subject_type="dossier", subject_id=n, link=f"/dossiers/{n}")
    notify(session, submitter, "x", "Liên kết ngoài", link="//evil.example/")
    notify(session, reviewer, "dossier.submitted", "Hồ sơ mới")
    session.commit()
    call = as_user(submitter)
    first = call("GET", "/api/v1/notifications?limit=3").get_json()
    assert first["unread_count"] == 4
    assert [n["message"] for n in first["items"]] == [
        "Liên kết ngoài", "Hồ sơ #2 bị trả lại", "Hồ sơ #1 bị trả lại"]
    assert first["items"][0]["link"] is None and first["items"][1]["link"] == "/dossiers/2"
    rest = call("GET", f"/api/v1/notifications?limit=3&cursor={first['next_cursor']}")
    assert [n["message"] for n in rest.get_json()["items"]] == ["Hồ sơ #0 bị trả lại"]

    read_only = as_user(submitter, scope="read")("POST", "/api/v1/notifications/read-all")
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    marked = call("POST", "/api/v1/notifications/read-all")
    assert marked.status_code == 200 and marked.get_json() == {"marked": 4, "unread_count": 0}
    assert _unread(session, submitter) == 0 and _unread(session, reviewer) == 1
    assert call("GET", "/api/v1/notifications?unread=true").get_json()["items"] == []
    again = call("POST", "/api/v1/notifications/read-all").get_json()
    assert again == {"marked": 0, "unread_count": 0}

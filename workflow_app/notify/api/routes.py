"""The caller's notifications, as the notifications page: every query is filtered by the
caller's own id (there is no one else's notification to ask for)."""

from __future__ import annotations

from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.api.pagination import keyset_page
from workflow_app.extensions import db
from workflow_app.models.notification import Notification
from workflow_app.notify.api.schemas import (
    MarkedRead,
    NotificationOut,
    NotificationPage,
    NotificationQuery,
)
from workflow_app.notify.service import queue as service
from workflow_app.notify.service.queue import safe_link


@operation("GET", "/notifications", summary="My notifications, newest first",
           tags=["notifications"], query=NotificationQuery, response=NotificationPage)
def list_notifications(query: NotificationQuery) -> NotificationPage:
    user = caller()
    statement = select(Notification).where(Notification.user_id == user.id)
    if query.unread:
        statement = statement.where(Notification.read_at.is_(None))
    rows, next_cursor = keyset_page(db.session, statement, Notification.id, query,
                                    descending=True)
    items = [NotificationOut(
        id=n.id, kind=n.kind, message=n.message, link=safe_link(n.link),
        subject_type=n.subject_type, subject_id=n.subject_id, created_at=n.created_at,
        read_at=n.read_at) for n in rows]
    return NotificationPage(items=items, next_cursor=next_cursor,
                            unread_count=service.unread_count(db.session, user))


@operation("POST", "/notifications/read-all", summary="Mark all my notifications read",
           tags=["notifications"], response=MarkedRead)
def mark_all_read() -> MarkedRead:
    user = caller()
    marked = service.mark_all_read(db.session, user)
    return MarkedRead(marked=marked, unread_count=service.unread_count(db.session, user))

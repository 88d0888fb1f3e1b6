"""The caller's own notifications."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import ResponseModel


class NotificationOut(ResponseModel):
    id: int
    kind: str
    message: str
    link: str | None = Field(description="A path in this application, or null.")
    subject_type: str
    subject_id: str
    created_at: datetime
    read_at: datetime | None


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="Only the unread ones.")


class NotificationPage(ResponseModel):
    items: list[NotificationOut] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None
    unread_count: int


class MarkedRead(ResponseModel):
    marked: int = Field(description="How many were unread and are now read.")
    unread_count: int

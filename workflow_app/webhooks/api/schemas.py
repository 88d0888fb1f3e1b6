"""Webhook subscriptions and their deliveries (administrators)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import NO_NUL, RequestModel, ResponseModel
from workflow_app.webhooks.service.events import EVENT_KINDS
from workflow_app.webhooks.service.subscriptions import MAX_URL

EventKind = Literal[tuple(EVENT_KINDS)]  # type: ignore[valid-type]
DeliveryStatus = Literal["pending", "delivered", "failed"]


class SubscriptionIn(RequestModel):
    url: str = Field(min_length=1, max_length=MAX_URL, pattern=NO_NUL,
                     description="http(s) address on a host of OUTBOUND_ALLOWED_HOSTS.")
    events: list[EventKind] = Field(min_length=1, max_length=len(EVENT_KINDS))
    description: str = Field("", max_length=255, pattern=NO_NUL)


class SubscriptionActiveIn(RequestModel):
    active: bool


class SubscriptionOut(ResponseModel):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: datetime
    deliveries: dict[str, int] = Field(description="Deliveries by status.")


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str = Field(description="The signing secret (whsec_…): verify each webhook with "
                                    "it. Returned here only (administrators also see it on the "
                                    "subscription's page).")


class SubscriptionPage(ResponseModel):
    items: list[SubscriptionOut]


class DeliveryOut(ResponseModel):
    id: int
    message_id: str = Field(description="The webhook-id header.")
    event_kind: str
    audit_seq: int
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class DeliveryQuery(PageQuery):
    pass


class DeliveryPage(ResponseModel):
    items: list[DeliveryOut]
    next_cursor: str | None

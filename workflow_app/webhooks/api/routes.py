"""Webhook subscriptions over /api/v1, as the admin pages (`/admin/webhooks`): administrators
only, each change through the same service, audited there. An address off the outbound
allow-list, or a subscription paused when re-sending, is a 409 `rule_broken` with the page's
message.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.errors import apply_rules
from workflow_app.api.operations import operation
from workflow_app.api.pagination import keyset_page
from workflow_app.extensions import db
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.webhooks.api.schemas import (
    DeliveryOut,
    DeliveryPage,
    DeliveryQuery,
    SubscriptionActiveIn,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
)
from workflow_app.webhooks.service import subscriptions as service

ADMINS = ("admin",)
TAGS = ["webhooks"]
RULES = (service.WebhookError,)


def _out(subscription: WebhookSubscription, counts: dict[str, int]) -> SubscriptionOut:
    return SubscriptionOut(id=subscription.id, url=subscription.url,
                           description=subscription.description,
                           events=list(subscription.events or ()), active=subscription.active,
                           created_at=subscription.created_at, deliveries=counts)


@operation("GET", "/webhooks", summary="Webhook subscriptions", tags=TAGS, roles=ADMINS,
           response=SubscriptionPage)
def list_webhook_subscriptions() -> SubscriptionPage:
    return SubscriptionPage(items=[_out(s, c) for s, c in service.subscriptions(db.session)])


@operation("POST", "/webhooks", summary="Subscribe an address to events",
           description="The address must be on a host the administrator allowed "
                       "(OUTBOUND_ALLOWED_HOSTS), else 409 `rule_broken`. The answer holds "
                       "the signing secret. Events from now on are delivered by the worker.",
           tags=TAGS, roles=ADMINS, request=SubscriptionIn, response=SubscriptionCreatedOut,
           status=201, errors=[409])
def create_webhook_subscription(body: SubscriptionIn) -> SubscriptionCreatedOut:
    subscription = apply_rules(RULES, lambda: service.create_subscription(
        db.session, url=body.url, events=body.events, description=body.description,
        actor=caller()))
    return SubscriptionCreatedOut(**_out(subscription, {}).model_dump(),
                                  secret=subscription.secret)


@operation("PUT", "/webhooks/{subscription_id}/active", summary="Pause or resume a subscription",
           description="Resuming checks the address against the allow-list again (409 "
                       "`rule_broken` when it is no longer allowed).",
           tags=TAGS, roles=ADMINS, request=SubscriptionActiveIn, response=SubscriptionOut,
           errors=[404, 409])
def set_webhook_subscription_active(subscription_id: int,
                                    body: SubscriptionActiveIn) -> SubscriptionOut:
    subscription = db.get_or_404(WebhookSubscription, subscription_id)
    apply_rules(RULES, lambda: service.set_active(db.session, subscription, body.active,
                                                  actor=caller()))
    return _out(subscription, {})


@operation("GET", "/webhooks/{subscription_id}/deliveries",
           summary="A subscription's delivery log, newest first", tags=TAGS, roles=ADMINS,
           query=DeliveryQuery, response=DeliveryPage, errors=[404])
def list_webhook_deliveries(subscription_id: int, query: DeliveryQuery) -> DeliveryPage:
    db.get_or_404(WebhookSubscription, subscription_id)
    statement = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    rows, next_cursor = keyset_page(db.session, statement, WebhookDelivery.id, query,
                                    descending=True)
    return DeliveryPage(items=[DeliveryOut.model_validate(r) for r in rows],
                        next_cursor=next_cursor)


@operation("POST", "/webhooks/{subscription_id}/deliveries/{delivery_id}/resend",
           summary="Send a delivery again",
           description="At the worker's next round, with the same webhook-id and a fresh "
                       "count of attempts. 409 `rule_broken` while the subscription is paused.",
           tags=TAGS, roles=ADMINS, response=DeliveryOut, errors=[404, 409])
def resend_webhook_delivery(subscription_id: int, delivery_id: int) -> DeliveryOut:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        abort(404)
    apply_rules(RULES, lambda: service.resend(db.session, delivery, actor=caller()))
    return DeliveryOut.model_validate(delivery)

"""An administrator's webhook subscriptions: create, pause or resume, re-send a delivery.

Each change is audited in its own transaction (the secret never enters the audit trail).
A new subscription receives the events from its creation on: its cursor starts at the audit
trail's head.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app import outbound
from workflow_app.audit.chain import record
from workflow_app.models.user import User
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.webhooks.service.delivery import head_seq, new_secret
from workflow_app.webhooks.service.events import EVENT_KINDS

MAX_URL = 500
DELIVERIES_SHOWN = 100


class WebhookError(ValueError):
    """A rule of webhook subscriptions is broken; the message says which, for people."""


def check_url(url: str) -> str:
    """The address, stripped, when the application may call it; WebhookError otherwise."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise WebhookError(_("Enter the receiver's address (at most %(n)d characters).",
                             n=MAX_URL))
    try:
        outbound.check(url)
    except outbound.HostNotAllowed:
        raise WebhookError(_(
            "This address cannot be called: only http:// or https:// addresses on a host the "
            "administrator allowed (OUTBOUND_ALLOWED_HOSTS) can receive webhooks. Allowed "
            "now: %(hosts)s.", hosts=", ".join(outbound.allowed_hosts()) or _("none"))) from None
    return url


def create_subscription(session: Session, *, url: str, events: Iterable[str],
                        description: str = "", actor: User | None) -> WebhookSubscription:
    url = check_url(url)
    kinds = sorted(set(events))
    if not kinds:
        raise WebhookError(_("Choose at least one kind of event."))
    unknown = [k for k in kinds if k not in EVENT_KINDS]
    if unknown:
        raise WebhookError(_("Unknown kind of event: %(kinds)s.", kinds=", ".join(unknown)))
    subscription = WebhookSubscription(
        url=url, description=(description or "").strip()[:255], events=kinds,
        secret=new_secret(), active=True, last_seq=head_seq(session),
        created_by_id=getattr(actor, "id", None), claimed_by="")
    session.add(subscription)
    session.flush()
    record(session, "webhook.subscription_created", "webhook_subscription", subscription.id,
           actor=actor, data={"url": url, "events": kinds,
                              "description": subscription.description})
    return subscription


def set_active(session: Session, subscription: WebhookSubscription, active: bool, *,
               actor: User | None) -> WebhookSubscription:
    """Pause (no delivery is written or sent) or resume (from where it stopped). Resuming
    checks the address against the allow-list again."""
    if subscription.active == active:
        return subscription
    if active:
        check_url(subscription.url)
    subscription.active = active
    session.flush()
    record(session, "webhook.subscription_resumed" if active else "webhook.subscription_paused",
           "webhook_subscription", subscription.id, actor=actor, data={"url": subscription.url})
    return subscription


def resend(session: Session, delivery: WebhookDelivery, *, actor: User | None) -> None:
    """Deliver again at the next round of the worker (same webhook-id, a fresh count of
    attempts), whatever became of it."""
    if not delivery.subscription.active:
        raise WebhookError(_("This subscription is paused: resume it before re-sending."))
    previous = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status, delivery.attempts = "pending", 0
    delivery.next_attempt_at, delivery.claimed_until = None, None
    session.flush()
    record(session, "webhook.delivery_resent", "webhook_subscription", delivery.subscription_id,
           actor=actor, data={"delivery_id": delivery.id, "audit_seq": delivery.audit_seq,
                              "previous": previous})


def subscriptions(session: Session) -> list[tuple[WebhookSubscription, dict[str, int]]]:
    """Every subscription with its deliveries counted by status."""
    rows = list(session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))
    counts: dict[int, dict[str, int]] = {r.id: {} for r in rows}
    for sub_id, status, n in session.execute(
            select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count())
            .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)):
        counts.setdefault(sub_id, {})[status] = n
    return [(r, counts[r.id]) for r in rows]


def deliveries(session: Session, subscription: WebhookSubscription, *,
               limit: int = DELIVERIES_SHOWN, before: int | None = None) -> list[WebhookDelivery]:
    """The subscription's deliveries, newest first."""
    statement = select(WebhookDelivery).where(
        WebhookDelivery.subscription_id == subscription.id)
    if before is not None:
        statement = statement.where(WebhookDelivery.id < before)
    return list(session.scalars(statement.order_by(WebhookDelivery.id.desc()).limit(limit)))


def failed_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(WebhookDelivery)
                          .where(WebhookDelivery.status == "failed")) or 0


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(WebhookDelivery)
                          .where(WebhookDelivery.status == "pending")) or 0

"""Writing and delivering webhooks (run by the worker, never inside a request).

`fan_out`: for each active subscription, the audit events after its cursor become deliveries
(one per subscription and event; the unique key makes a second writer fail rather than
duplicate), and the cursor moves on — in one transaction per subscription, which the
subscription's lease keeps to one worker at a time.

`deliver_due`: each due delivery is claimed (a lease, `workflow_app/leases.py`), its address
checked against the outbound allow-list, then POSTed with the Standard Webhooks headers:

    webhook-id: msg_…            (the same on every attempt: receivers drop repeats)
    webhook-timestamp: <unix seconds of this attempt>
    webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body", key = the secret's
                       bytes after "whsec_", base64-decoded>

A 2xx answer is delivered; anything else (another status, a timeout, a refused connection, an
address no longer allowed) is an attempt that failed: tried again after 1, 2, 4 … minutes (at
most an hour), and `failed` after MAX_ATTEMPTS. Redirects are not followed (the new address
never passed the allow-list) and no proxy from the environment is used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app import leases, outbound
from workflow_app.models.audit import AuditEvent, AuditHead
from workflow_app.models.base import utcnow
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.webhooks.service import events

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
TIMEOUT = 10.0  # seconds per request
LEASE = timedelta(minutes=5)
SCAN = 500  # audit events read per subscription and round
USER_AGENT = "tdkt-webhooks/1"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The webhook-signature header value ("v1,<base64>") for one attempt."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256)
    return "v1," + base64.b64encode(digest.digest()).decode()


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def head_seq(session: Session) -> int:
    """The chain's last committed event number, read afresh (never from the session's
    identity map: a worker's session lives for days)."""
    return session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) or 0


# Fan-out ----------------------------------------------------------------------------------

def fan_out(session: Session, *, owner: str, now: datetime | None = None) -> int:
    """Write the deliveries of the events since each subscription's cursor; return how many."""
    now = now or utcnow()
    _token, ids = leases.claim(session, WebhookSubscription,
                               due=[WebhookSubscription.active.is_(True)],
                               order_by=WebhookSubscription.id, owner=owner, limit=50,
                               lease=LEASE, now=now)
    written = 0
    for subscription_id in ids:
        try:
            written += _fan_out_one(session, subscription_id, now)
            session.commit()
        except IntegrityError:  # another writer got there first: its rows stand
            session.rollback()
        except BaseException:
            session.rollback()
            raise
        finally:
            leases.release(session, WebhookSubscription, subscription_id, _token)
            session.commit()
    return written


def _fan_out_one(session: Session, subscription_id: int, now: datetime) -> int:
    subscription = session.get(WebhookSubscription, subscription_id, populate_existing=True)
    if subscription is None or not subscription.active:
        return 0
    upto = head_seq(session)
    rows = list(session.scalars(
        select(AuditEvent).where(AuditEvent.seq > subscription.last_seq,
                                 AuditEvent.seq <= upto, events.candidates())
        .order_by(AuditEvent.seq).limit(SCAN)))
    wanted = set(subscription.events or ())
    written = 0
    for event in rows:
        kind = events.kind_of(event)
        if kind is None or kind not in wanted:
            continue
        session.add(WebhookDelivery(
            subscription_id=subscription.id, audit_seq=event.seq, event_kind=kind,
            message_id=f"msg_{subscription.id}_{event.seq}", payload=events.body(event, kind),
            status="pending", attempts=0, created_at=now))
        written += 1
    subscription.last_seq = rows[-1].seq if len(rows) == SCAN else upto
    session.flush()
    return written


# Delivery ---------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the answer (a failed attempt), not a new address to call


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


@dataclass
class Attempt:
    status_code: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, message_id: str, body: str, secret: str, *,
         timeout: float = TIMEOUT) -> Attempt:
    """One signed POST to `url` (which must pass the outbound allow-list)."""
    try:
        outbound.check(url)
    except outbound.HostNotAllowed as exc:
        return Attempt(None, f"not allowed: {exc.reason}")
    timestamp = int(time.time())
    # The scheme is http or https: outbound.check refused anything else just above.
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={  # noqa: S310
        "content-type": "application/json", "user-agent": USER_AGENT,
        "webhook-id": message_id, "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body)})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(1024)
            return Attempt(response.status, "")
    except urllib.error.HTTPError as exc:
        return Attempt(exc.code, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Attempt(None, str(reason) or type(exc).__name__)


@dataclass
class DeliveryRound:
    delivered: int = 0
    failed: int = 0  # attempts that failed this round


def deliver_due(session: Session, *, owner: str, limit: int = 50,
                now: datetime | None = None) -> DeliveryRound:
    """Deliver up to `limit` due deliveries of active subscriptions."""
    now = now or utcnow()
    due = [WebhookDelivery.status == "pending",
           (WebhookDelivery.next_attempt_at.is_(None)) | (WebhookDelivery.next_attempt_at <= now),
           WebhookDelivery.subscription_id.in_(
               select(WebhookSubscription.id).where(WebhookSubscription.active.is_(True)))]
    token, ids = leases.claim(session, WebhookDelivery, due=due, order_by=WebhookDelivery.id,
                              owner=owner, limit=limit, lease=LEASE, now=now)
    result = DeliveryRound()
    for delivery_id in ids:
        row = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        if row is None or row.claimed_by != token or row.status != "pending":
            session.commit()
            continue
        subscription = session.get(WebhookSubscription, row.subscription_id,
                                   populate_existing=True)  # its address may have changed
        url, message_id, body, secret = (subscription.url, row.message_id, row.payload,
                                         subscription.secret)
        session.commit()  # no transaction held while the receiver answers
        attempt = post(url, message_id, body, secret)
        row = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        if row is None or row.claimed_by != token:
            session.commit()
            continue
        record_attempt(row, attempt, now)
        result.delivered += attempt.ok
        result.failed += not attempt.ok
        session.commit()
    return result


def record_attempt(row: WebhookDelivery, attempt: Attempt, at: datetime) -> None:
    row.attempts += 1
    row.last_attempt_at = at
    row.last_status_code = attempt.status_code
    row.claimed_until = None
    if attempt.ok:
        row.status, row.delivered_at, row.last_error = "delivered", at, ""
        row.next_attempt_at = None
        return
    row.last_error = (attempt.error or f"HTTP {attempt.status_code}")[:255]
    if row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = "failed", None
    else:
        row.next_attempt_at = at + retry_delay(row.attempts)

"""Prometheus figures read from the database and the instance folder at each scrape, so every
worker and host reports the same values (the request counters live in `requestlog.py`).

Transitions are counted from the audit trail (every transition is an event with a from- and
a to-state, written by the engine in the same transaction), by subject kind and trigger.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.report import last_run
from workflow_app.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from workflow_app.models.base import utcnow
from workflow_app.models.notification import OUTBOX_STATES, OutboxMessage
from workflow_app.models.webhook import DELIVERY_STATES, WebhookDelivery
from workflow_app.ops.service.worker import workers


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0


def collect(session: Session, instance_dir: Path) -> list:
    """The metric families of one scrape."""
    families = []
    transitions = CounterMetricFamily("tdkt_workflow_transitions",
                                      "Workflow transitions recorded in the audit trail",
                                      labels=["subject", "trigger"])
    rows = session.execute(select(AuditEvent.subject_type, AuditEvent.action, func.count())
                           .where(AuditEvent.from_state.is_not(None),
                                  AuditEvent.to_state.is_not(None))
                           .group_by(AuditEvent.subject_type, AuditEvent.action)).all()
    for subject, action, count in sorted(rows):
        transitions.add_metric([subject, action.partition(".")[2]], count)
    families.append(transitions)

    outbox = GaugeMetricFamily("tdkt_outbox_messages", "E-mail outbox messages by status",
                               labels=["status"])
    counts = dict(session.execute(select(OutboxMessage.status, func.count())
                                  .group_by(OutboxMessage.status)).all())
    for status in OUTBOX_STATES:
        outbox.add_metric([status], counts.get(status, 0))
    families.append(outbox)
    oldest = session.scalar(select(func.min(OutboxMessage.created_at))
                            .where(OutboxMessage.status == "pending"))
    families.append(GaugeMetricFamily(
        "tdkt_outbox_oldest_pending_age_seconds", "Age of the oldest message waiting to be sent",
        value=(utcnow() - oldest).total_seconds() if oldest else 0.0))

    known = workers(session)
    families.append(GaugeMetricFamily("tdkt_workers_alive",
                                      "Worker processes whose heartbeat is recent",
                                      value=sum(w.alive for w in known)))
    families.append(GaugeMetricFamily(
        "tdkt_worker_last_beat_timestamp_seconds", "The latest heartbeat of any worker (0: none)",
        value=_timestamp(known[0].row.last_beat_at if known else None)))
    webhooks = GaugeMetricFamily("tdkt_webhook_deliveries", "Webhook deliveries by status",
                                 labels=["status"])
    counts = dict(session.execute(select(WebhookDelivery.status, func.count())
                                  .group_by(WebhookDelivery.status)).all())
    for status in DELIVERY_STATES:
        webhooks.add_metric([status], counts.get(status, 0))
    families.append(webhooks)

    head = session.get(AuditHead, 1)
    families.append(GaugeMetricFamily("tdkt_audit_events", "Events in the audit chain",
                                      value=head.seq if head else 0))
    checkpoint = session.scalar(select(func.max(AuditCheckpoint.created_at)))
    families.append(GaugeMetricFamily("tdkt_audit_last_checkpoint_timestamp_seconds",
                                      "When the last signed checkpoint was made (0: never)",
                                      value=_timestamp(checkpoint)))
    verified = last_run(session)
    at = verified.ran_at if verified else None
    families.append(GaugeMetricFamily("tdkt_audit_last_verification_timestamp_seconds",
                                      "When the audit trail was last verified (0: never)",
                                      value=_timestamp(at)))
    families.append(GaugeMetricFamily("tdkt_audit_last_verification_ok",
                                      "1 when the last verification found the trail intact",
                                      value=1 if verified and verified.intact else 0))
    backup = session.scalar(select(func.max(AuditEvent.occurred_at))
                            .where(AuditEvent.action == "system.backup_created"))
    families.append(GaugeMetricFamily("tdkt_backup_last_timestamp_seconds",
                                      "When the last backup was made (0: never)",
                                      value=_timestamp(backup)))
    return families

"""The worker process (`flask worker run`): one loop that sends the e-mail outbox, queues the
deadline reminders and delivers webhooks, so that no request waits on SMTP or on a receiver
and no cron is needed. Any number of workers may run, on any number of hosts, against one
database: every item is claimed before it is worked on (`workflow_app/leases.py`).

Each worker keeps a heartbeat row (host, pid, last beat, what its last round did, its last
error), read by the admin status page and /metrics: a worker is "alive" while its last beat
is younger than ALIVE_WITHIN.
"""

from __future__ import annotations

import os
import socket
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.models.base import utcnow
from workflow_app.models.worker import WorkerHeartbeat
from workflow_app.notify.service.deadlines import send_deadline_reminders
from workflow_app.notify.service.mailer import send_pending
from workflow_app.webhooks.service.delivery import deliver_due, fan_out

# A worker whose last beat is older than this is shown as not alive.
ALIVE_WITHIN = timedelta(minutes=5)
# Deadline reminders are looked for at most this often (each is sent once anyway).
REMINDERS_EVERY = timedelta(minutes=30)
# Batches of e-mail or webhooks one round sends at most (the rest waits for the next round).
BATCHES_PER_ROUND = 20
BATCH = 20
# Heartbeats of workers stopped (or silent) for longer than this are deleted.
FORGET_AFTER = timedelta(days=7)


def worker_id(host: str | None = None, pid: int | None = None,
              started: datetime | None = None) -> str:
    host = host or socket.gethostname()
    pid = pid or os.getpid()
    started = started or utcnow()
    return f"{host[:60]}:{pid}:{int(started.timestamp())}"


@dataclass
class MailSettings:
    host: str
    port: int
    sender: str


@dataclass
class Round:
    mail_sent: int = 0
    mail_failed: int = 0
    reminders: int = 0
    webhooks_written: int = 0
    webhooks_delivered: int = 0
    webhooks_failed: int = 0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (f"mail sent {self.mail_sent}, failed {self.mail_failed}; reminders "
                f"{self.reminders}; webhooks queued {self.webhooks_written}, delivered "
                f"{self.webhooks_delivered}, failed {self.webhooks_failed}"
                + (f"; {len(self.errors)} error(s)" if self.errors else ""))


class Worker:
    """One worker process's state between rounds."""

    def __init__(self, session: Session, mail: MailSettings, *, host: str | None = None,
                 once: bool = False) -> None:
        """`once` (cron, `--once`): one heartbeat row per host for every such run, not one
        per process, so a run every minute does not pile up rows."""
        self.session = session
        self.mail = mail
        started = utcnow()
        self.host = (host or socket.gethostname())[:255]
        self.id = f"{self.host[:60]}:once" if once else worker_id(self.host, os.getpid(), started)
        self.reminders_at: datetime | None = None
        for last_try in (False, True):  # two --once runs may write the host's row at once
            row = session.get(WorkerHeartbeat, self.id, populate_existing=True)
            if row is None:
                row = WorkerHeartbeat(id=self.id, host=self.host, last_round="", last_error="")
                session.add(row)
            row.pid, row.started_at, row.last_beat_at, row.stopped_at = (os.getpid(), started,
                                                                         started, None)
            try:
                session.commit()
                break
            except IntegrityError:
                session.rollback()
                if last_try:
                    raise

    def run_round(self, *, now: datetime | None = None, reminders: bool | None = None) -> Round:
        """One round: reminders (when due), the outbox, webhooks; then a heartbeat. A failing
        step is recorded and does not stop the others."""
        now = now or utcnow()
        result = Round()
        self.session.expire_all()  # the session lives as long as the worker: read afresh
        if reminders is None:
            reminders = self.reminders_at is None or now - self.reminders_at >= REMINDERS_EVERY
        if reminders:
            self._step(result, lambda: self._reminders(result, now))
            self.reminders_at = now
        self._step(result, lambda: self._mail(result))
        self._step(result, lambda: self._webhooks(result))
        self.beat(result)
        return result

    def _step(self, result: Round, action) -> None:
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - recorded on the heartbeat, the loop goes on
            self.session.rollback()
            result.errors.append(f"{type(exc).__name__}: {exc}\n"
                                 + "".join(traceback.format_exc(limit=5)))

    def _reminders(self, result: Round, now: datetime) -> None:
        try:
            summary = send_deadline_reminders(self.session, now=now)
            self.session.commit()
        except IntegrityError:  # another worker recorded the same reminders first
            self.session.rollback()
            return
        result.reminders = summary.notifications

    def _mail(self, result: Round) -> None:
        for _batch in range(BATCHES_PER_ROUND):
            sent, failed = send_pending(self.session, host=self.mail.host, port=self.mail.port,
                                        sender=self.mail.sender, owner=self.id, limit=BATCH)
            result.mail_sent += sent
            result.mail_failed += failed
            if sent + failed == 0:
                break

    def _webhooks(self, result: Round) -> None:
        result.webhooks_written = fan_out(self.session, owner=self.id)
        for _batch in range(BATCHES_PER_ROUND):
            delivered = deliver_due(self.session, owner=self.id, limit=BATCH)
            result.webhooks_delivered += delivered.delivered
            result.webhooks_failed += delivered.failed
            if delivered.delivered + delivered.failed == 0:
                break

    def beat(self, result: Round | None = None, *, stopped: bool = False) -> None:
        row = self.session.get(WorkerHeartbeat, self.id, populate_existing=True)
        now = utcnow()
        if row is None:  # deleted by hand: write it again
            row = WorkerHeartbeat(id=self.id, host=self.host, pid=os.getpid(), started_at=now,
                                  last_round="", last_error="")
            self.session.add(row)
        row.last_beat_at = now
        if result is not None:
            row.last_round = result.describe()[:255]
            if result.errors:
                row.last_error, row.last_error_at = "\n".join(result.errors)[:4000], now
        if stopped:
            row.stopped_at = now
        self.session.commit()


def forget_old(session: Session, now: datetime | None = None) -> int:
    """Delete heartbeats silent for longer than FORGET_AFTER; return how many."""
    cutoff = (now or utcnow()) - FORGET_AFTER
    rows = list(session.scalars(select(WorkerHeartbeat)
                                .where(WorkerHeartbeat.last_beat_at < cutoff)))
    for row in rows:
        session.delete(row)
    session.commit()
    return len(rows)


@dataclass
class WorkerState:
    row: WorkerHeartbeat
    alive: bool
    minutes_ago: int


def workers(session: Session, now: datetime | None = None) -> list[WorkerState]:
    """Every known worker, most recent beat first, alive or not."""
    now = now or utcnow()
    rows = session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.last_beat_at.desc()))
    return [WorkerState(r, r.stopped_at is None and now - r.last_beat_at <= ALIVE_WITHIN,
                        max(int((now - r.last_beat_at).total_seconds() // 60), 0))
            for r in rows]

"""Reading the audit log with filters and keyset pagination (newest first)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from workflow_app.auditor.service import labels
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit

PAGE_SIZE = 50
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _start_of(day, local: bool = False) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ if local else UTC)


def _action(value: str):
    """A known action exactly (an index lookup); anything else as a prefix (`dossier.`)."""
    if labels.known_action(value):
        return AuditEvent.action == value
    return AuditEvent.action.startswith(value, autoescape=True)


def filtered(filters: dict) -> Select:
    """`date_from`/`date_to` are UTC days, or Vietnam days when `local_days` is set (pages)."""
    query = select(AuditEvent)
    local = bool(filters.get("local_days"))
    if filters.get("action"):
        query = query.where(_action(filters["action"].strip()))
    if filters.get("actor_id"):
        query = query.where(AuditEvent.actor_id == int(filters["actor_id"]))
    if filters.get("actor"):
        query = query.where(func.lower(AuditEvent.actor_label) == filters["actor"].strip().lower())
    if filters.get("subject_type"):
        query = query.where(AuditEvent.subject_type == filters["subject_type"].strip())
    if filters.get("subject_id"):
        query = query.where(AuditEvent.subject_id == filters["subject_id"].strip())
    if filters.get("unit"):
        query = query.where(_about_unit(filters["unit"].strip()))
    if filters.get("date_from"):
        query = query.where(AuditEvent.occurred_at >= _start_of(filters["date_from"], local))
    if filters.get("date_to"):
        query = query.where(
            AuditEvent.occurred_at < _start_of(filters["date_to"] + timedelta(days=1), local))
    return query


def _about_unit(code: str):
    """Events about the unit (and its sub-units) or about dossiers submitted by them."""
    root = select(OrgUnit.path).where(func.lower(OrgUnit.code) == code.lower()).scalar_subquery()
    units = select(cast(OrgUnit.id, String)).where(OrgUnit.path.startswith(root))
    dossiers = select(cast(Dossier.id, String)).join(OrgUnit, Dossier.unit_id == OrgUnit.id) \
        .where(OrgUnit.path.startswith(root))
    return or_(
        AuditEvent.subject_type.in_(("unit", "org_unit")) & AuditEvent.subject_id.in_(units),
        (AuditEvent.subject_type == "dossier") & AuditEvent.subject_id.in_(dossiers),
    )


def period_bounds(session: Session, filters: dict) -> list:
    """`seq` bounds for the period, found through the index on `occurred_at`.

    A page walks `seq` backwards; without these, a period far from today first walks every
    later event. `record` stamps each event's time while it holds the chain head, so times
    rise with `seq` (unless the server's clock is set back: then events written just after
    such a step, timed before the period's end, may fall after its upper bound)."""
    local = bool(filters.get("local_days"))
    bounds = []
    if filters.get("date_to"):
        end = _start_of(filters["date_to"] + timedelta(days=1), local)
        last = session.scalar(select(AuditEvent.seq).where(AuditEvent.occurred_at < end)
                              .order_by(AuditEvent.occurred_at.desc()).limit(1))
        bounds.append(AuditEvent.seq <= (last or 0))
    if filters.get("date_from"):
        start = _start_of(filters["date_from"], local)
        first = session.scalar(select(AuditEvent.seq).where(AuditEvent.occurred_at >= start)
                               .order_by(AuditEvent.occurred_at).limit(1))
        if first is not None:
            bounds.append(AuditEvent.seq >= first)
    return bounds


def page(session: Session, filters: dict,
         page_size: int = PAGE_SIZE) -> tuple[list[AuditEvent], int | None]:
    """One page of events, newest first, and the `before` value for the next page
    (the log page and `GET /api/v1/audit/events`)."""
    query = filtered(filters).where(*period_bounds(session, filters))
    if filters.get("before"):
        query = query.where(AuditEvent.seq < filters["before"])
    rows = session.scalars(query.order_by(AuditEvent.seq.desc()).limit(page_size + 1)).all()
    more = len(rows) > page_size
    rows = rows[:page_size]
    return rows, (rows[-1].seq if more else None)


def about_subject(subject_type: str, subject_id: str) -> Select:
    """Every event about one subject (unordered; the history page and the API order it)."""
    return select(AuditEvent).where(AuditEvent.subject_type == subject_type,
                                    AuditEvent.subject_id == subject_id)


def history(session: Session, subject_type: str, subject_id: str) -> list[AuditEvent]:
    return list(session.scalars(about_subject(subject_type, subject_id)
                                .order_by(AuditEvent.seq)))


def changes_of(event: AuditEvent) -> list[tuple[str, object, object]]:
    """(field, old, new) rows from an event's recorded diff, if it has one."""
    data = event.data or {}
    changed = data.get("changes") or {}
    if not isinstance(changed, dict):
        return []
    rows = []
    for name, pair in sorted(changed.items()):
        if isinstance(pair, list) and len(pair) == 2:
            rows.append((name, pair[0], pair[1]))
    return rows

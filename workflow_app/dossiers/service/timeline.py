"""A dossier's timeline, read from its audit events: who, when (Vietnam time), what, from →
to, why, and for edits which fields changed. This is what tells a submitter where the
dossier is and why it came back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.dossiers.service.labels import (
    action_label,
    commendation_type_label,
    doc_type_label,
    field_label,
    state_label,
)
from workflow_app.labels import actor_words
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VALUE_MAX = 300
# Engine bookkeeping that says nothing to a reader.
HIDDEN_CHANGES = {"search_text", "step_days_carried", "state_entered_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    code: str
    from_label: str = ""
    to_label: str = ""
    reason: str = ""
    document: str = ""
    details: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def _short(text: str) -> str:
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _value(name: str, value: Any, awards: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name == "award_id":
        return awards.get(value, str(value))
    if name == "commendation_type":
        return commendation_type_label(value)
    if name == "report_sections" and isinstance(value, list):
        return _short("; ".join(str(s.get("heading", "")) for s in value if isinstance(s, dict)))
    return _short(_as_shown(value))


def _as_shown(value: Any) -> str:
    """An ISO date ("2025-12-30", as inputs are stored) the way people write it: 30/12/2025."""
    text = str(value)
    try:
        return date.fromisoformat(text).strftime("%d/%m/%Y") if len(text) == 10 else text
    except ValueError:
        return text


def _award_names(session: Session, locale: str) -> dict[int, str]:
    names = {}
    for award in session.scalars(select(Award).options(selectinload(Award.versions))):
        names[award.id] = award.versions[0].name(locale) if award.versions else award.code
    return names


def _actors(session: Session, events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    users = session.scalars(select(User).where(User.id.in_(ids))
                            .options(selectinload(User.person)))
    return {user.id: user.display_name for user in users}


def dossier_events(session: Session, dossier: Dossier) -> list[AuditEvent]:
    return list(session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "dossier",
                                 AuditEvent.subject_id == str(dossier.id))
        .order_by(AuditEvent.seq.desc())))


def build_timeline(session: Session, dossier: Dossier, locale: str,
                   events: list[AuditEvent] | None = None) -> list[Entry]:
    """The dossier's events (`events`, or read now), newest first, ready to show in `locale`.
    A caller that shows more of each event passes the events it read, so that both see the
    same events even while new ones are being committed."""
    events = dossier_events(session, dossier) if events is None else events
    actors = _actors(session, events)
    awards = _award_names(session, locale)
    entries = []
    for event in events:
        data = event.data or {}
        entry = Entry(
            seq=event.seq,
            at=event.occurred_at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M"),
            actor=actors.get(event.actor_id) or actor_words(event.actor_label),
            action=action_label(dossier.workflow, event.action, locale),
            code=event.action,
            from_label=state_label(dossier.workflow, event.from_state, locale),
            to_label=state_label(dossier.workflow, event.to_state, locale),
            reason=str(data.get("reason") or ""),
        )
        if "doc_type" in data:
            entry.document = f"{doc_type_label(data['doc_type'])}: {data.get('filename', '')}"
        for key, value in (data.get("input") or {}).items():
            if value not in (None, ""):
                entry.details.append(f"{field_label(key)}: {_short(_as_shown(value))}")
        if event.action == "dossier.edited":
            for name, (old, new) in sorted((data.get("changes") or {}).items()):
                if name not in HIDDEN_CHANGES:
                    entry.changes.append(Change(field_label(name), _value(name, old, awards),
                                                _value(name, new, awards)))
        entries.append(entry)
    return entries

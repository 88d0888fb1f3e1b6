"""Audit events as people read them: the action by its label, states by their labels, the
subject by its name (a dossier by nominee and award, an account by full name and username, a
unit, a decision by its number, a council session by its council and date), field changes as
a before/after table with field labels, and the time in Vietnam time (the UTC instant kept
for the hover and the exports).

Names are resolved in one query per kind of subject on the page, never per event.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.auditor.service import labels
from workflow_app.dossiers.service.labels import FIELD_LABELS as DOSSIER_FIELD_LABELS
from workflow_app.dossiers.service.labels import commendation_type_label, doc_type_label
from workflow_app.labels import actor_words
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.council import Council, CouncilSession, VotingRound
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Cluster, OrgUnit, Person
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation
from workflow_app.models.user import User
from workflow_app.review.service.checklist import GENERAL_ITEMS

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VALUE_MAX = 300
HIDDEN_CHANGES = {"search_text", "step_days_carried", "state_entered_at", "version"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GENERAL = {f"GEN:{code}": label for code, label, _source in GENERAL_ITEMS}


def local_time(moment: datetime, seconds: bool = True) -> str:
    """dd/mm/yyyy HH:MM[:SS] in Vietnam time."""
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S" if seconds
                                                else "%d/%m/%Y %H:%M")


def utc_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Row:
    seq: int
    at: str  # Vietnam time, dd/mm/yyyy HH:MM:SS
    at_utc: str  # the UTC instant (hover, exports)
    actor: str
    action: str  # the code (filters, links)
    action_label: str
    subject_type: str
    subject_id: str
    subject_kind: str
    subject_name: str
    from_label: str = ""
    to_label: str = ""
    reason: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    hash: str = ""
    prev_hash: str = ""
    moment: datetime | None = None  # the instant itself (exports write it as a date-time)


# --- field labels and values -----------------------------------------------------------

def field_label(name: str) -> str:
    label = labels.FIELD_LABELS.get(name) or DOSSIER_FIELD_LABELS.get(name)
    if label is not None:
        return str(label)
    if name.startswith("DOC:"):
        return _("Checklist: %(item)s", item=doc_type_label(name[4:]))
    if name in _GENERAL:
        return _("Checklist: %(item)s", item=_GENERAL[name])
    return name


def _short(text: str) -> str:
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


class Values:
    """Formats recorded values; knows the names of awards and units the values point at."""

    def __init__(self, session: Session, locale: str) -> None:
        self.session, self.locale = session, locale
        self._awards: dict[int, str] | None = None
        self._units: dict[int, str] | None = None

    def awards(self) -> dict[int, str]:
        if self._awards is None:
            codes = dict(self.session.execute(select(Award.id, Award.code)).all())
            self._awards = {**codes, **award_names(self.session, codes, self.locale)}
        return self._awards

    def units(self) -> dict[int, str]:
        if self._units is None:
            self._units = dict(self.session.execute(select(OrgUnit.id, OrgUnit.name)).all())
        return self._units

    def show(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if name == "award_id" and isinstance(value, int):
            return self.awards().get(value, str(value))
        if name in ("unit_id", "parent_id", "issuer_unit_id") and isinstance(value, int):
            return self.units().get(value, str(value))
        if name == "commendation_type":
            return commendation_type_label(str(value))
        if name == "doc_type":
            return doc_type_label(str(value))
        if name in ("state", "from_state", "to_state"):
            return labels.state_label(str(value), self.locale)
        if isinstance(value, dict):
            if set(value) <= {"checked", "note"}:
                text = _("done") if value.get("checked") else _("not done")
                return text + (f"; {field_label('note')}: {value['note']}"
                               if value.get("note") else "")
            return _short("; ".join(f"{field_label(k)}: {self.show(k, v)}"
                                    for k, v in sorted(value.items())))
        if isinstance(value, list):
            if value and all(isinstance(v, dict) and "heading" in v for v in value):
                return _short("; ".join(str(v.get("heading", "")) for v in value))
            return _short("; ".join(self.show(name, v) for v in value))
        text = str(value)
        if _ISO_DATE.match(text):
            try:
                return date.fromisoformat(text).strftime("%d/%m/%Y")
            except ValueError:
                return text
        if len(text) >= 19 and text[10] == "T":
            try:
                return local_time(datetime.fromisoformat(text.replace("Z", "+00:00")))
            except ValueError:
                return _short(text)
        return _short(text)


# --- subjects and actors ----------------------------------------------------------------

def _ints(ids: set[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit() and len(i) < 12]


def award_names(session: Session, award_ids, locale: str) -> dict[int, str]:
    """{award id: the name of its latest rule version}, read as columns (rule versions are
    large rows)."""
    names: dict[int, str] = {}
    name = AwardVersion.name_en if locale == "en" else AwardVersion.name_vi
    for award_id, text in session.execute(
            select(AwardVersion.award_id, name).where(AwardVersion.award_id.in_(set(award_ids)))
            .order_by(AwardVersion.award_id, AwardVersion.effective_from.desc())):
        names.setdefault(award_id, text)
    return names


def _dossier_names(session: Session, ids: set[str], locale: str) -> dict[str, str]:
    rows = session.execute(
        select(Dossier.id, Dossier.year, Dossier.award_id, Person.full_name, OrgUnit.name)
        .outerjoin(Person, Person.id == Dossier.nominee_person_id)
        .outerjoin(OrgUnit, OrgUnit.id == Dossier.nominee_unit_id)
        .where(Dossier.id.in_(_ints(ids)))).all()
    awards = award_names(session, [r.award_id for r in rows], locale)
    return {str(r.id): f"#{r.id} {r.full_name or r.name or ''} — "
                       f"{awards.get(r.award_id, '')} {r.year}" for r in rows}


def _user_names(session: Session, ids: set[str], _locale: str) -> dict[str, str]:
    rows = session.scalars(select(User).where(User.id.in_(_ints(ids)))
                           .options(selectinload(User.person)))
    return {str(u.id): (f"{u.person.full_name} ({u.username})" if u.person else u.username)
            for u in rows}


def _account_names(session: Session, ids: set[str], _locale: str) -> dict[str, str]:
    rows = session.scalars(select(User).where(User.username.in_(ids))
                           .options(selectinload(User.person)))
    found = {u.username: (f"{u.person.full_name} ({u.username})" if u.person else u.username)
             for u in rows}
    return {i: found.get(i, _("unknown username “%(name)s”", name=i)) for i in ids}


def _simple(model, label):
    def names(session: Session, ids: set[str], locale: str) -> dict[str, str]:
        rows = session.scalars(select(model).where(model.id.in_(_ints(ids))))
        return {str(r.id): label(r, locale) for r in rows}
    return names


def _session_label(s: CouncilSession, _locale: str) -> str:
    return f"{s.title or s.council.name} — {s.held_on:%d/%m/%Y}"


def _round_label(r: VotingRound, locale: str) -> str:
    return _("Round %(n)d, %(session)s", n=r.number, session=_session_label(r.session, locale))


def _record_label(r: AwardRecord, names: dict[str, str]) -> str:
    who = r.person.full_name if r.person else (r.unit.name if r.unit else "")
    return f"{who} — {names.get(r.award_code, r.award_code)} {r.year} ({r.decision_number})"


def award_names_by_code(session: Session, codes: set[str], locale: str) -> dict[str, str]:
    """{award code: the name of its latest rule version}."""
    ids = dict(session.execute(select(Award.code, Award.id).where(Award.code.in_(codes))).all())
    by_id = award_names(session, ids.values(), locale)
    return {code: by_id[i] for code, i in ids.items() if i in by_id}


def _record_names(session: Session, ids: set[str], locale: str) -> dict[str, str]:
    rows = list(session.scalars(select(AwardRecord).where(AwardRecord.id.in_(_ints(ids)))))
    names = award_names_by_code(session, {r.award_code for r in rows}, locale)
    return {str(r.id): _record_label(r, names) for r in rows}


def _revocation_names(session: Session, ids: set[str], locale: str) -> dict[str, str]:
    rows = list(session.scalars(select(Revocation).where(Revocation.id.in_(_ints(ids)))))
    names = award_names_by_code(session, {r.award_record.award_code for r in rows}, locale)
    return {str(r.id): _("Revocation #%(id)d of %(award)s", id=r.id,
                         award=_record_label(r.award_record, names)) for r in rows}


def _version_label(v: AwardVersion, locale: str) -> str:
    return f"{v.name(locale)} ({v.basis_key})"


NAMERS = {
    "dossier": _dossier_names,
    "user": _user_names,
    "account": _account_names,
    "unit": _simple(OrgUnit, lambda u, _loc: u.name),
    "org_unit": _simple(OrgUnit, lambda u, _loc: u.name),
    "cluster": _simple(Cluster, lambda c, _loc: c.name),
    "person": _simple(Person, lambda p, _loc: p.full_name),
    "decision": _simple(Decision, lambda d, _loc: _("Decision %(ref)s", ref=d.reference)),
    "submission_letter": _simple(SubmissionLetter,
                                 lambda d, _loc: _("Submission letter %(ref)s", ref=d.reference)),
    "revocation": _revocation_names,
    "award_record": _record_names,
    "award_version": _simple(AwardVersion, _version_label),
    "council": _simple(Council, lambda c, _loc: c.name),
    "council_session": _simple(CouncilSession, _session_label),
    "council_round": _simple(VotingRound, _round_label),
}


def subject_names(session: Session, pairs: set[tuple[str, str]],
                  locale: str) -> dict[tuple[str, str], str]:
    """{(subject_type, subject_id): name}; a subject no longer found reads "Kind #id"."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for subject_type, subject_id in pairs:
        by_type[subject_type].add(subject_id)
    out = {}
    for subject_type, ids in by_type.items():
        namer = NAMERS.get(subject_type)
        found = namer(session, ids, locale) if namer else {}
        for subject_id in ids:
            out[(subject_type, subject_id)] = found.get(subject_id) or (
                f"{labels.subject_type_label(subject_type)} #{subject_id}")
    return out


def subject_name(session: Session, subject_type: str, subject_id: str, locale: str) -> str:
    return subject_names(session, {(subject_type, subject_id)}, locale)[
        (subject_type, subject_id)]


def actor_names(session: Session, events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    rows = session.scalars(select(User).where(User.id.in_(ids)).options(
        selectinload(User.person)))
    return {u.id: (f"{u.person.full_name} ({u.username})" if u.person else u.username)
            for u in rows}


# --- events -----------------------------------------------------------------------------

DETAIL_FIELDS = ("rule", "limit", "quota", "reference", "doc_type", "filename", "sha256",
                 "role", "unit_id", "ruling", "outcome", "count")


def _details(data: dict, values: Values) -> list[tuple[str, str]]:
    out = []
    for key, value in sorted((data.get("input") or {}).items()):
        if value not in (None, ""):
            out.append((field_label(key), values.show(key, value)))
    for key in DETAIL_FIELDS:
        if key in data and data[key] not in (None, ""):
            out.append((field_label(key), values.show(key, data[key])))
    return out


def present(session: Session, events: list[AuditEvent], locale: str) -> list[Row]:
    names = subject_names(session, {(e.subject_type, e.subject_id) for e in events}, locale)
    actors = actor_names(session, events)
    values = Values(session, locale)
    rows = []
    for e in events:
        data = e.data or {}
        actor = actors.get(e.actor_id) if e.actor_id is not None else None
        row = Row(
            seq=e.seq, at=local_time(e.occurred_at), at_utc=utc_instant(e.occurred_at),
            actor=actor or actor_words(e.actor_label), action=e.action,
            action_label=labels.action_label(e.action, locale),
            subject_type=e.subject_type, subject_id=e.subject_id,
            subject_kind=labels.subject_type_label(e.subject_type),
            subject_name=names[(e.subject_type, e.subject_id)],
            from_label=labels.state_label(e.from_state, locale),
            to_label=labels.state_label(e.to_state, locale),
            reason=labels.reason_words(e.action, str(data.get("reason") or "")),
            details=_details(data, values),
            hash=e.hash, prev_hash=e.prev_hash, moment=e.occurred_at)
        changes = data.get("changes")
        if isinstance(changes, dict):
            for name, pair in sorted(changes.items()):
                if name in HIDDEN_CHANGES or not (isinstance(pair, list) and len(pair) == 2):
                    continue
                row.changes.append(Change(name, field_label(name), values.show(name, pair[0]),
                                          values.show(name, pair[1])))
        rows.append(row)
    return rows

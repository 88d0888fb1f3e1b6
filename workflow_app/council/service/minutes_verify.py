"""Check signed minutes against the stored files and the audit trail, naming each mismatch.

`verify(session, meeting, storage)` recomputes, for the minutes signed off on `meeting`:

1. the sign-off record: exactly one `council.minutes_signed` event for the session, whose
   number, file hashes, content hash and chain head are those of the stored minutes;
2. the audit events used: each one's hash recomputed from its fields, and the chain head
   recorded in the minutes is the hash of the event with that `seq`;
3. the stored DOCX and PDF: present, and their bytes hash to what was recorded;
4. every line of the frozen content against the session's events up to that head
   (`minutes_replay.py`): attendance, each round's quorum snapshot and ballot-set hash,
   each item's accepted recusals, tally and outcome, the chair's reservations and rulings.

Read-only: it writes nothing, not even an audit event. The whole chain's linkage is checked
by `flask audit verify` (and the auditor's "verify now"); this check names what differs in
one session's minutes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.canonical import HASHED_FIELDS, event_hash
from workflow_app.council.service.minutes_replay import SessionTrail, replay
from workflow_app.council.service.minutes_sign import content_hash, signed
from workflow_app.models.audit import AuditEvent
from workflow_app.models.council import CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes

TALLY_KEYS = {"method": _l("method"), "agree": _l("agree"), "disagree": _l("disagree"),
              "abstain": _l("abstain"), "denominator": _l("denominator"),
              "votes_needed": _l("votes needed"), "outcome": _l("outcome")}
QUORUM_KEYS = {"present_count": _l("members present"), "entitled_count": _l("voting members"),
               "needed": _l("needed for the quorum"), "met": _l("quorum met")}
PEOPLE_KEYS = {"present": _l("present"), "written": _l("voting in writing")}
CHECKS = {
    "signature": _l("Sign-off record in the audit trail"),
    "events": _l("Audit events of the session"),
    "files": _l("Stored DOCX and PDF"),
    "attendance": _l("Attendance"),
    "rounds": _l("Quorum snapshots and ballot-set hashes"),
    "recusals": _l("Recusals"),
    "tallies": _l("Tallies and outcomes"),
    "chair": _l("Chair's reservations and rulings"),
}


@dataclass
class Check:
    code: str
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(CHECKS[self.code])

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Verification:
    signed: bool
    reference: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signed and all(c.ok for c in self.checks)

    def problems(self) -> list[str]:
        return [f"{c.label}: {p}" for c in self.checks for p in c.problems]


def _differs(what: str, in_minutes: Any, in_trail: Any) -> str:
    return _("%(what)s: the minutes say %(minutes)s, the audit trail says %(trail)s.",
             what=what, minutes=_shown(in_minutes), trail=_shown(in_trail))


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | set | tuple):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def _signature(session: Session, row: CouncilMinutes, meeting: CouncilSession) -> Check:
    check = Check("signature")
    events = list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "council.minutes_signed",
        AuditEvent.subject_type == "council_session",
        AuditEvent.subject_id == str(meeting.id))))
    if len(events) != 1:
        check.problems.append(_("%(count)d sign-off events found; exactly one was expected.",
                                count=len(events)))
        return check
    data = events[0].data or {}
    expected = {"minutes_id": row.id, "reference": row.reference,
                "docx_sha256": row.docx_sha256, "pdf_sha256": row.pdf_sha256,
                "content_sha256": content_hash(row.content),
                "audit_head": {"seq": row.audit_seq, "hash": row.audit_hash}}
    names = {"minutes_id": _("record"), "reference": _("number"),
             "docx_sha256": _("DOCX hash"), "pdf_sha256": _("PDF hash"),
             "content_sha256": _("hash of the content"), "audit_head": _("chain head")}
    for key, value in expected.items():
        if data.get(key) != value:
            check.problems.append(_differs(str(names[key]), value, data.get(key)))
    content_head = row.content.get("audit_head") or {}
    if content_head != {"seq": row.audit_seq, "hash": row.audit_hash}:
        check.problems.append(_differs(_("chain head in the content"),
                                       content_head.get("seq"), row.audit_seq))
    number = (row.content.get("number") or {}).get("reference")
    if number != row.reference:
        check.problems.append(_differs(_("number in the content"), number, row.reference))
    return check


def _events(session: Session, row: CouncilMinutes, trail: SessionTrail) -> Check:
    check = Check("events")
    for event in trail.events:
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event_hash(event.prev_hash, fields) != event.hash:
            check.problems.append(_("Audit event %(seq)d does not match its hash.",
                                    seq=event.seq))
    head = session.get(AuditEvent, row.audit_seq)
    if head is None or head.hash != row.audit_hash:
        check.problems.append(_("The chain head recorded in the minutes (event %(seq)d) is "
                                "not in the audit trail.", seq=row.audit_seq))
    return check


def _files(row: CouncilMinutes, storage: Storage) -> Check:
    check = Check("files")
    for name, digest in (("DOCX", row.docx_sha256), ("PDF", row.pdf_sha256)):
        if not storage.exists(digest):
            check.problems.append(_("The %(kind)s file is missing from the store.", kind=name))
        elif hashlib.sha256(storage.get(digest)).hexdigest() != digest:
            check.problems.append(_("The stored %(kind)s file was changed: its SHA-256 is no "
                                    "longer the one recorded at sign-off.", kind=name))
    return check


def _attendance(content: dict, trail: SessionTrail) -> Check:
    check = Check("attendance")
    for member in content.get("members", []):
        expected = trail.attendance.get(member["id"], "absent")
        if member.get("attendance") != expected:
            check.problems.append(_differs(member["name"], member.get("attendance"),
                                           expected))
    return check


def _names(content: dict, ids) -> list[str]:
    names = {m["id"]: m["name"] for m in content.get("members", [])}
    return [names.get(i, f"#{i}") for i in ids]


def _rounds(content: dict, trail: SessionTrail) -> Check:
    check = Check("rounds")
    listed = {r["number"]: r for r in content.get("rounds", [])}
    for number in sorted(set(listed) | set(trail.rounds)):
        what = _("Round %(number)d", number=number)
        r, t = listed.get(number), trail.rounds.get(number)
        if r is None or t is None:
            check.problems.append(_differs(what, _("listed") if r else _("missing"),
                                           _("listed") if t else _("missing")))
            continue
        for key, label in QUORUM_KEYS.items():
            if r["quorum"].get(key) != t.quorum.get(key):
                check.problems.append(_differs(f"{what}, {label}", r["quorum"].get(key),
                                               t.quorum.get(key)))
        for key, label in PEOPLE_KEYS.items():
            expected = _names(content, t.quorum.get(key, []))
            if sorted(r["quorum"].get(key) or []) != sorted(expected):
                check.problems.append(_differs(f"{what}, {label}", r["quorum"].get(key),
                                               expected))
        if (r.get("ballot_set_hash"), r.get("ballot_count")) != (t.ballot_set_hash, t.ballots):
            check.problems.append(_differs(
                _("%(round)s, ballot set", round=what),
                f"{r.get('ballot_count')} / {r.get('ballot_set_hash')}",
                f"{t.ballots} / {t.ballot_set_hash}"))
    return check


def _items(content: dict, trail: SessionTrail) -> list[Check]:
    recusals, tallies, chair = Check("recusals"), Check("tallies"), Check("chair")
    names = {m["id"]: m["name"] for m in content.get("members", [])}
    seen = set()
    for item in content.get("items", []):
        what = _("Item %(position)d", position=item["position"])
        found = trail.item_for_dossier(item["dossier_id"])
        if found is None:
            tallies.problems.append(_differs(what, item["title"], _("missing")))
            continue
        item_id, t = found
        seen.add(item_id)
        listed = sorted((r["member"], r["kind"], r["reason"] if r["kind"] == "declared" else "")
                        for r in item.get("recusals", []) if r["status"] == "accepted")
        expected = sorted((names.get(m, f"#{m}"), e["kind"],
                           e.get("reason", "") if e["kind"] == "declared" else "")
                          for m, e in t.recusals.items() if e.get("status") == "accepted")
        if listed != expected:
            recusals.problems.append(_differs(what, [x[0] for x in listed],
                                              [x[0] for x in expected]))
        _compare_tally(tallies, what, item, t)
        if bool(item.get("held_for_chair")) != (t.hold_reason is not None) or (
                t.hold_reason is not None and item.get("hold_reason") != t.hold_reason):
            chair.problems.append(_differs(_("%(item)s, reservation", item=what),
                                           item.get("hold_reason") or None, t.hold_reason))
        ruling = (item["ruling"], item["ruling_reason"]) if item.get("ruling") else None
        if ruling != t.ruling:
            chair.problems.append(_differs(_("%(item)s, ruling", item=what),
                                           " — ".join(ruling) if ruling else None,
                                           " — ".join(t.ruling) if t.ruling else None))
    for item_id, t in trail.items.items():
        if item_id not in seen:
            tallies.problems.append(_differs(_("Dossier %(id)d", id=t.dossier_id),
                                             _("missing"), _("on the agenda")))
    return [recusals, tallies, chair]


def _compare_tally(check: Check, what: str, item: dict, t) -> None:
    listed, line = item.get("tally"), t.tally
    if listed is None or line is None:
        if (listed is None) != (line is None):
            check.problems.append(_differs(what, _("counted") if listed else _("not counted"),
                                           _("counted") if line else _("not counted")))
        return
    for key, label in TALLY_KEYS.items():
        if listed.get(key) != line.get(key):
            check.problems.append(_differs(f"{what}, {label}", listed.get(key),
                                           line.get(key)))
    if item.get("recused_count") != line.get("recused"):
        check.problems.append(_differs(_("%(item)s, recused members", item=what),
                                       item.get("recused_count"), line.get("recused")))


def verify(session: Session, meeting: CouncilSession, storage: Storage) -> Verification:
    """Every check of the module docstring on `meeting`'s signed minutes."""
    row = signed(session, meeting)
    if row is None:
        return Verification(signed=False)
    trail = replay(session, meeting.id, row.audit_seq)
    content = row.content
    checks = [_signature(session, row, meeting), _events(session, row, trail),
              _files(row, storage), _attendance(content, trail), _rounds(content, trail),
              *_items(content, trail)]
    return Verification(signed=True, reference=row.reference, checks=checks)

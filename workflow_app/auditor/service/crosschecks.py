"""Cross-checks on demand (issue 15 item 5), each naming what differs:

- ballots: for every closed voting round, the ballots (secret) and open votes equal the
  register of participation, and the round's recorded ballot count;
- issued documents: every issued decision, submission letter, revocation decision and signed
  minutes: the hashes on the row equal those its audit event recorded, and the stored file's
  bytes still hash to them;
- dossier states: every dossier's state equals the `to_state` of its last event;
- registry: every award in the registry traces to a decision (its `registry.conferred` event
  and the decision or the higher authority's decision it names) or to an audited manual entry
  (`registry.entered`) or import (`registry.imported` when it was written).

Read-only; each check stops listing after LIMIT findings (and says so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.consistency import dossier_state_mismatches
from workflow_app.auditor.service.labels import state_label
from workflow_app.models.audit import AuditEvent
from workflow_app.models.ballot import Ballot, OpenVote, Participation
from workflow_app.models.council import VotingRound
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.decision import Decision, DecisionItem, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import RevocationDecision
from workflow_app.models.signature import SignedPdf

LIMIT = 200
CHECKS = {
    "ballots": _l("Ballots equal the register of participation, round by round"),
    "documents": _l("Every issued document's file hash equals the one recorded"),
    "states": _l("Every dossier's state equals its last event"),
    "registry": _l("Every registry award traces to a decision or an audited entry"),
}


@dataclass
class Result:
    code: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def label(self) -> str:
        return str(CHECKS[self.code])

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        if len(self.problems) < LIMIT:
            self.problems.append(problem)
        else:
            self.truncated = True


def ballots(session: Session) -> Result:
    """Secret ballots = members with a secret paper in the register; open votes only from
    members in the register; the count the round recorded at close = the ballots."""
    result = Result("ballots")
    papers = dict(session.execute(select(Participation.round_id, func.count()).where(
        Participation.secret_paper.is_(True)).group_by(Participation.round_id)).all())
    secret = dict(session.execute(select(Ballot.round_id, func.count())
                                  .group_by(Ballot.round_id)).all())
    register: dict[int, set[int]] = {}
    for round_id, member_id in session.execute(select(Participation.round_id,
                                                      Participation.member_id)):
        register.setdefault(round_id, set()).add(member_id)
    open_voters: dict[int, set[int]] = {}
    for round_id, member_id in session.execute(select(OpenVote.round_id,
                                                      OpenVote.member_id).distinct()):
        open_voters.setdefault(round_id, set()).add(member_id)
    for voting_round in session.scalars(select(VotingRound).where(
            VotingRound.status == "closed").order_by(VotingRound.id)):
        result.checked += 1
        rid = voting_round.id
        name = _("round %(n)d of session #%(session)d", n=voting_round.number,
                 session=voting_round.session_id)
        if secret.get(rid, 0) != papers.get(rid, 0):
            result.add(_("%(round)s: %(ballots)d secret ballots but %(people)d members with a "
                         "secret paper in the register of participation", round=name,
                         ballots=secret.get(rid, 0), people=papers.get(rid, 0)))
        strangers = open_voters.get(rid, set()) - register.get(rid, set())
        if strangers:
            result.add(_("%(round)s: open votes from members not in the register (member "
                         "%(ids)s)", round=name, ids=", ".join(str(i) for i in
                                                             sorted(strangers))))
        if voting_round.ballot_count is not None and \
                voting_round.ballot_count != secret.get(rid, 0):
            result.add(_("%(round)s: the round recorded %(count)d ballots at its close, the "
                         "box holds %(ballots)d", round=name, count=voting_round.ballot_count,
                         ballots=secret.get(rid, 0)))
    return result


def _recorded_by(session: Session, action: str, subject_type: str) -> dict[str, dict]:
    return {subject_id: data or {} for subject_id, data in session.execute(
        select(AuditEvent.subject_id, AuditEvent.data).where(
            AuditEvent.action == action, AuditEvent.subject_type == subject_type)
        .order_by(AuditEvent.seq))}


def _file(result: Result, storage: Storage, what: str, sha256: str) -> None:
    try:
        data = storage.get(sha256)
    except (OSError, ValueError):
        result.add(_("%(what)s: the stored file is missing", what=what))
        return
    if hashlib.sha256(data).hexdigest() != sha256:
        result.add(_("%(what)s: the stored file no longer hashes to %(hash)s", what=what,
                     hash=sha256))


def documents(session: Session, storage: Storage) -> Result:
    result = Result("documents")
    kinds: list[tuple[str, str, Callable, type, Callable]] = [
        ("decision.issued", "decision", lambda d: d.id, Decision,
         lambda d: _("Decision %(ref)s", ref=d.reference)),
        ("submission.issued", "submission_letter", lambda d: d.id, SubmissionLetter,
         lambda d: _("Submission letter %(ref)s", ref=d.reference)),
        ("revocation.issued", "revocation", lambda d: d.revocation_id, RevocationDecision,
         lambda d: _("Revocation decision %(ref)s", ref=d.reference)),
    ]
    for action, subject_type, subject_of, model, name_of in kinds:
        recorded = _recorded_by(session, action, subject_type)
        for row in session.scalars(select(model).order_by(model.id)):
            result.checked += 1
            what = name_of(row)
            data = recorded.get(str(subject_of(row)))
            if data is None:
                result.add(_("%(what)s: no audit event recorded its issue", what=what))
                continue
            for key in ("docx_sha256", "pdf_sha256"):
                if data.get(key) != getattr(row, key):
                    result.add(_("%(what)s: the %(file)s's hash differs from the one recorded "
                                 "(%(row)s, recorded %(event)s)", what=what,
                                 file=key[:4].rstrip("_").upper(), row=getattr(row, key),
                                 event=data.get(key) or "—"))
                _file(result, storage, what, getattr(row, key))
            if model is Decision:
                certificates = data.get("certificates") or {}
                for item in row.items:
                    if certificates.get(str(item.dossier_id)) != item.certificate_sha256:
                        result.add(_("%(what)s: the certificate of %(name)s differs from the "
                                     "one recorded", what=what, name=item.awardee_name))
                    _file(result, storage, what, item.certificate_sha256)
    _signed_pdfs(session, storage, result)
    signed = _recorded_by(session, "council.minutes_signed", "council_session")
    for row in session.scalars(select(CouncilMinutes).order_by(CouncilMinutes.id)):
        result.checked += 1
        what = _("Minutes %(ref)s", ref=row.reference or f"#{row.id}")
        data = signed.get(str(row.session_id))
        if data is None:
            result.add(_("%(what)s: no audit event recorded its signature", what=what))
            continue
        for key in ("docx_sha256", "pdf_sha256"):
            if data.get(key) != getattr(row, key):
                result.add(_("%(what)s: the %(file)s's hash differs from the one recorded "
                             "(%(row)s, recorded %(event)s)", what=what,
                             file=key[:4].rstrip("_").upper(), row=getattr(row, key),
                             event=data.get(key) or "—"))
            _file(result, storage, what, getattr(row, key))
    return result


def _signed_pdfs(session: Session, storage: Storage, result: Result) -> None:
    """Each digitally signed PDF of record: the event that recorded it holds its hash and the
    hash of the issued PDF it signs, and the stored file still hashes to it."""
    events = {
        "decision": _recorded_by(session, "decision.signed_pdf_recorded", "decision"),
        "submission": _recorded_by(session, "submission.signed_pdf_recorded",
                                   "submission_letter")}
    for row in session.scalars(select(SignedPdf).order_by(SignedPdf.id)):
        result.checked += 1
        what = _("Digitally signed PDF #%(id)d", id=row.id)
        data = events[row.document_kind].get(str(row.document_id))
        if data is None:
            result.add(_("%(what)s: no audit event recorded it", what=what))
            continue
        if data.get("signed_pdf_sha256") != row.sha256 or \
                data.get("issued_pdf_sha256") != row.issued_sha256:
            result.add(_("%(what)s: its hash differs from the one recorded (%(row)s, recorded "
                         "%(event)s)", what=what, row=row.sha256,
                         event=data.get("signed_pdf_sha256") or "—"))
        _file(result, storage, what, row.sha256)


def states(session: Session, locale: str) -> Result:
    result = Result("states")
    result.checked = session.scalar(select(func.count()).select_from(Dossier)) or 0
    for m in dossier_state_mismatches(session, limit=LIMIT + 1):
        if m.last_event_seq is None:
            result.add(_("Dossier #%(id)d is in state “%(state)s” but has no audit event at "
                         "all.", id=m.dossier_id, state=state_label(m.state, locale)))
        else:
            result.add(_("Dossier #%(id)d is in state “%(state)s” but its last event "
                         "(%(seq)d) says “%(recorded)s”: changed behind the workflow.",
                         id=m.dossier_id, state=state_label(m.state, locale),
                         seq=m.last_event_seq,
                         recorded=state_label(m.last_event_state, locale)))
    return result


def registry(session: Session) -> Result:
    result = Result("registry")
    conferred = _recorded_by(session, "registry.conferred", "award_record")
    entered = set(_recorded_by(session, "registry.entered", "award_record"))
    imports = list(session.scalars(select(AuditEvent.occurred_at).where(
        AuditEvent.action == "registry.imported").order_by(AuditEvent.occurred_at)))
    decisions = {(ref, dossier_id) for ref, dossier_id in session.execute(
        select(Decision.reference, DecisionItem.dossier_id)
        .join(DecisionItem, DecisionItem.decision_id == Decision.id))}
    higher = {(str((data.get("input") or {}).get("document_number") or ""), int(subject_id))
              for subject_id, data in session.execute(
                  select(AuditEvent.subject_id, AuditEvent.data).where(
                      AuditEvent.action == "dossier.record_higher_decision"))
              if subject_id.isdigit()}
    for entry in session.scalars(select(AwardRecord).order_by(AwardRecord.id)):
        result.checked += 1
        what = _("Registry award #%(id)d (%(award)s %(year)d, %(ref)s)", id=entry.id,
                 award=entry.award_code, year=entry.year, ref=entry.decision_number)
        if entry.source in ("decision", "higher_decision"):
            data = conferred.get(str(entry.id))
            if data is None:
                result.add(_("%(what)s: no audit event recorded its entry from a decision",
                             what=what))
            elif entry.source == "decision" and (
                    entry.decision_number, entry.dossier_id) not in decisions:
                result.add(_("%(what)s: no issued decision %(ref)s names its dossier",
                             what=what, ref=entry.decision_number))
            elif entry.source == "higher_decision" and (
                    entry.decision_number, entry.dossier_id) not in higher:
                result.add(_("%(what)s: the dossier's events do not record the higher "
                             "authority's decision %(ref)s", what=what,
                             ref=entry.decision_number))
        elif entry.source == "manual":
            if str(entry.id) not in entered:
                result.add(_("%(what)s: entered by hand without an audit event", what=what))
        elif entry.source == "import":
            if not any(entry.recorded_at - timedelta(minutes=1) <= moment
                       <= entry.recorded_at + timedelta(hours=1) for moment in imports):
                result.add(_("%(what)s: no audited import at the time it was written",
                             what=what))
        else:
            result.add(_("%(what)s: unknown source “%(source)s”", what=what,
                         source=entry.source))
    return result


def run(session: Session, storage: Storage, locale: str) -> list[Result]:
    return [ballots(session), documents(session, storage), states(session, locale),
            registry(session)]

"""Revocation of a conferred award (hủy bỏ, thu hồi — Law 2022 Art. 93 k2; LEGAL_FACTS §4.3):
the proposal, its dismissal, the recovery of the award items, and the time limits.

Every function runs in the caller's transaction and flushes, never commits; each writes its
audit event (`revocation.proposed`, `revocation.dismissed`, `revocation.recovered`). When the
award was decided through a dossier, the dossier moves through the engine in the same
transaction (`propose_revocation`, `dismiss_revocation`; the `revocation_recorded` guard
refuses those triggers unless they carry the revocation written here). Issuing the revoking
decision is in `revocation_issue`.

Who: a reviewer whose grant covers the recipient's unit proposes and records the recovery; a
signer whose grant covers it decides. Anyone else gets `Forbidden` (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.decisions.service.selection import HIGHER_LEVELS
from workflow_app.models.base import utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import GROUNDS, Revocation
from workflow_app.models.user import User
from workflow_app.workdays import local_date
from workflow_app.workflow import Forbidden, WorkflowError, fire, lock_dossier
from workflow_app.workflow.engine import get_calendar

PROPOSER = "reviewer"
DECIDER = "signer"
READERS = ("reviewer", "signer", "auditor", "submitter")
# Art. 93 k2: the point (điểm) of each ground [P hethongphapluat.vn chương 7].
GROUND_POINT = {"fraudulent_declaration": "a", "false_papers": "b",
                "unlawful_procedure": "c", "later_violation": "d"}
# LEGAL_FACTS §4.2, TTHC Huế [S]: the proposing level files within 07 days of receiving the
# competent body's conclusion; the awarding level decides within 05 working days of the
# complete dossier. The source says "07 days" (not working days): counted as calendar days.
FILING_DAYS = 7
DECIDING_WORKING_DAYS = 5
MAX_EXPLANATION = 4000
MAX_REFERENCE = 255


class RevocationError(WorkflowError):
    """A business rule refuses the step (409); `message` is shown to the user."""

    code = 409


class RevocationInputError(RevocationError):
    """The input is missing or malformed (422)."""

    code = 422


@dataclass
class ProposalInput:
    ground: str
    explanation: str
    evidence_reference: str = ""
    conclusion_received_on: date | None = None


@dataclass(frozen=True)
class Deadlines:
    """The time limits of LEGAL_FACTS §4.2 as dates, for the pages."""

    filing_due: date | None  # conclusion received + 07 days (None: date not given)
    filed_on: date
    decision_due: date  # proposed + 05 working days

    @property
    def filed_late(self) -> bool:
        return self.filing_due is not None and self.filed_on > self.filing_due


def recipient_unit(entry: AwardRecord) -> OrgUnit:
    """The unit whose officers answer for the entry: the person's unit, or the unit itself."""
    return entry.person.unit if entry.person is not None else entry.unit


def scope_unit(revocation: Revocation) -> OrgUnit:
    if revocation.dossier is not None:
        return revocation.dossier.unit
    return recipient_unit(revocation.award_record)


def recipient_name(entry: AwardRecord) -> str:
    return entry.person.full_name if entry.person is not None else entry.unit.name


def may_read(user: User, revocation: Revocation) -> bool:
    return bool(getattr(user, "is_active", False)) and user.can_see_unit(
        scope_unit(revocation), *READERS)


def may_decide(user: User, revocation: Revocation) -> bool:
    return bool(getattr(user, "is_active", False)) and user.can_see_unit(
        scope_unit(revocation), DECIDER)


def may_record_recovery(user: User, revocation: Revocation) -> bool:
    """The award is revoked, its items are still to be recovered, and `user` is a reviewer
    over it (the revocation page shows the recovery form then)."""
    return (revocation.status == "revoked" and revocation.recovery_required
            and revocation.recovered_on is None and bool(getattr(user, "is_active", False))
            and user.can_see_unit(scope_unit(revocation), PROPOSER))


def may_propose_for(user: User, entry: AwardRecord) -> bool:
    unit = entry.dossier.unit if entry.dossier is not None else recipient_unit(entry)
    return bool(getattr(user, "is_active", False)) and user.can_see_unit(unit, PROPOSER)


def level_of(session: Session, entry: AwardRecord) -> str:
    """"higher" when the award is conferred above this body (Prime Minister, President): the
    revocation is then decided there and recorded here; otherwise "own"."""
    if entry.source == "higher_decision":
        return "higher"
    award = award_by_code(session, entry.award_code)
    version = None
    if award is not None:
        version = award.version_on(entry.decision_date) or (
            award.versions[-1] if award.versions else None)
    return "higher" if version is not None and version.conferring_level in HIGHER_LEVELS \
        else "own"


def live_revocation(session: Session, entry: AwardRecord) -> Revocation | None:
    return session.scalar(select(Revocation).where(
        Revocation.award_record_id == entry.id, Revocation.status.in_(("proposed", "revoked"))))


def revocations_of_dossier(session: Session, dossier_id: int) -> list[Revocation]:
    return list(session.scalars(select(Revocation).where(Revocation.dossier_id == dossier_id)
                                .order_by(Revocation.id)))


def entry_of_dossier(session: Session, dossier) -> AwardRecord | None:
    """The dossier's active registry entry (what a revocation from the dossier page targets)."""
    return session.scalar(select(AwardRecord).where(
        AwardRecord.dossier_id == dossier.id, AwardRecord.revoked_at.is_(None))
        .order_by(AwardRecord.id))


def why_not_proposable(session: Session, entry: AwardRecord) -> str | None:
    """None when a revocation may be proposed against `entry`, else the reason."""
    if entry.revoked_at is not None:
        return str(_l("This award has already been revoked (%(number)s).",
                      number=entry.revocation_number or "—"))
    if live_revocation(session, entry) is not None:
        return str(_l("A revocation of this award is already proposed."))
    if entry.dossier is not None and entry.dossier.state != "decided":
        return str(_l("The award's dossier is not in the decided state."))
    return None


def check_proposal(inp: ProposalInput, entry: AwardRecord, today: date) -> None:
    if inp.ground not in GROUNDS:
        raise RevocationInputError(_l("Choose the ground of the revocation (Law Art. 93 k2)."))
    explanation = (inp.explanation or "").strip()
    if not explanation:
        raise RevocationInputError(_l("Explain the facts the revocation rests on."))
    if len(explanation) > MAX_EXPLANATION:
        raise RevocationInputError(_l("The explanation is too long (at most %(max)d "
                                      "characters).", max=MAX_EXPLANATION))
    if len(inp.evidence_reference or "") > MAX_REFERENCE:
        raise RevocationInputError(_l("The reference is too long (at most %(max)d "
                                      "characters).", max=MAX_REFERENCE))
    received = inp.conclusion_received_on
    if received is not None and received > today:
        raise RevocationInputError(_l("The date the conclusion was received cannot be in the "
                                      "future."))
    if received is not None and received < entry.decision_date:
        raise RevocationInputError(_l("The conclusion cannot have been received before the "
                                      "award decision (%(day)s).",
                                      day=entry.decision_date.strftime("%d/%m/%Y")))


def propose(session: Session, user: User, entry: AwardRecord, inp: ProposalInput,
            today: date, *, expected_version: int | str | None = None) -> Revocation:
    """Record a proposal against `entry` and, when it has a dossier, fire
    `propose_revocation` on it. Raises Forbidden, RevocationError or a workflow error."""
    if not may_propose_for(user, entry):
        raise Forbidden()
    check_proposal(inp, entry, today)
    if entry.dossier is not None:
        lock_dossier(session, entry.dossier, expected_version, user)
    problem = why_not_proposable(session, entry)
    if problem:
        raise RevocationError(problem)
    revocation = Revocation(
        award_record_id=entry.id, dossier_id=entry.dossier_id, ground=inp.ground,
        explanation=inp.explanation.strip(), evidence_reference=inp.evidence_reference.strip(),
        conclusion_received_on=inp.conclusion_received_on, level=level_of(session, entry),
        status="proposed", proposed_by_id=user.id, recovery_required=True)
    savepoint = session.begin_nested()
    try:
        session.add(revocation)
        session.flush()
    except IntegrityError:  # a concurrent proposal won the unique index
        savepoint.rollback()
        raise RevocationError(_l("A revocation of this award is already proposed.")) from None
    savepoint.commit()
    if entry.dossier is not None:
        fire(session, entry.dossier, "propose_revocation", user, reason=revocation.explanation,
             revocation_id=revocation.id, ground=revocation.ground)
    record(session, "revocation.proposed", "revocation", revocation.id, actor=user, data={
        "award_record_id": entry.id, "dossier_id": entry.dossier_id, "ground": inp.ground,
        "point": f"Art. 93 k2 {GROUND_POINT[inp.ground]}", "explanation": revocation.explanation,
        "evidence_reference": revocation.evidence_reference, "level": revocation.level,
        "conclusion_received_on": (inp.conclusion_received_on.isoformat()
                                   if inp.conclusion_received_on else None)})
    return revocation


def require_open(user: User, revocation: Revocation) -> None:
    if not may_decide(user, revocation):
        raise Forbidden()
    if revocation.status != "proposed":
        raise RevocationError(_l("This revocation has already been decided."))


def mark_decided(revocation: Revocation, user: User, status: str) -> None:
    revocation.status = status
    revocation.decided_by_id = user.id
    revocation.decided_at = utcnow()


def dismiss(session: Session, user: User, revocation: Revocation, reason: str) -> None:
    """The signer keeps the award: the proposal is closed with the reason; a dossier returns
    to `decided` (`dismiss_revocation`)."""
    require_open(user, revocation)
    reason = (reason or "").strip()
    if not reason:
        raise RevocationInputError(_l("Give the reason for keeping the award."))
    if len(reason) > MAX_EXPLANATION:
        raise RevocationInputError(_l("The reason is too long (at most %(max)d characters).",
                                      max=MAX_EXPLANATION))
    if revocation.dossier is not None:
        lock_dossier(session, revocation.dossier, None)
    mark_decided(revocation, user, "dismissed")
    revocation.dismissal_reason = reason
    session.flush()
    if revocation.dossier is not None:
        fire(session, revocation.dossier, "dismiss_revocation", user, reason=reason,
             revocation_id=revocation.id)
    record(session, "revocation.dismissed", "revocation", revocation.id, actor=user,
           data={"award_record_id": revocation.award_record_id, "reason": reason})


def record_recovery(session: Session, user: User, revocation: Revocation, on: date,
                    note: str, today: date) -> None:
    """Record that the award items and money were recovered (Art. 93 k2)."""
    if not (getattr(user, "is_active", False) and user.can_see_unit(scope_unit(revocation),
                                                                       PROPOSER)):
        raise Forbidden()
    if revocation.status != "revoked" or not revocation.recovery_required:
        raise RevocationError(_l("Nothing is to be recovered for this revocation."))
    if revocation.recovered_on is not None:
        raise RevocationError(_l("The recovery has already been recorded."))
    if on > today or (revocation.decision_date and on < revocation.decision_date):
        raise RevocationInputError(_l("The date of recovery must be between the revoking "
                                      "decision and today."))
    note = (note or "").strip()
    if len(note) > 500:
        raise RevocationInputError(_l("The note is too long (at most %(max)d characters).",
                                      max=500))
    revocation.recovered_on, revocation.recovery_note = on, note
    session.flush()
    record(session, "revocation.recovered", "revocation", revocation.id, actor=user,
           data={"recovered_on": on.isoformat(), "note": note})


def deadlines(revocation: Revocation) -> Deadlines:
    calendar = get_calendar()
    filed = local_date(revocation.proposed_at)
    received = revocation.conclusion_received_on
    return Deadlines(
        filing_due=received + timedelta(days=FILING_DAYS) if received else None,
        filed_on=filed,
        decision_due=calendar.add_working_days(filed, DECIDING_WORKING_DAYS))


def to_decide(session: Session, user: User) -> list[Revocation]:
    """Open proposals the signer may decide, oldest first."""
    rows = session.scalars(select(Revocation).where(Revocation.status == "proposed")
                           .order_by(Revocation.proposed_at, Revocation.id)).all()
    return [r for r in rows if may_decide(user, r)]


def readable(session: Session, user: User, limit: int = 500) -> list[Revocation]:
    rows = session.scalars(select(Revocation).order_by(Revocation.id.desc()).limit(limit)).all()
    return [r for r in rows if may_read(user, r)]


def readable_one(session: Session, viewer: User | None, revocation_id: int) -> Revocation:
    """The revocation when `viewer` may read it; NotFound otherwise (as for no such id)."""
    revocation = session.get(Revocation, revocation_id)
    if revocation is None or not may_read(viewer, revocation):
        raise NotFound()
    return revocation

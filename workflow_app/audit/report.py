"""One verification report: the chain and its head, the signed checkpoints (the database's
and the kept copies), the append-only triggers, and the dossier states.

A verification run from the auditor's page or `flask audit verify` is kept
(`AuditVerification`: who, when, intact or not, events checked, problems found) beside the
chain, not in it, so the auditor's dashboard can say when the trail was last verified and
with what result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.append_only import check_append_only
from workflow_app.audit.checkpoint import as_dict, check_checkpoint, read_kept_copies, unique
from workflow_app.audit.consistency import StateMismatch, dossier_state_mismatches
from workflow_app.audit.verify import VerifyResult, verify_chain
from workflow_app.models.audit import AuditCheckpoint, AuditVerification
from workflow_app.models.base import utcnow


@dataclass
class AuditReport:
    chain: VerifyResult
    checkpoint_problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    state_problems: list[str] = field(default_factory=list)
    triggers_guard: tuple[str, ...] = ()
    trigger_problems: list[str] = field(default_factory=list)
    state_mismatches: list[StateMismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.chain.ok and not self.checkpoint_problems and not self.state_problems
                and not self.trigger_problems)

    @property
    def problem_count(self) -> int:
        return ((0 if self.chain.ok else 1) + len(self.checkpoint_problems)
                + len(self.state_problems) + len(self.trigger_problems))

    def lines(self) -> list[str]:
        out = []
        if self.chain.ok:
            out.append(f"chain: OK, {self.chain.checked} events, head {self.chain.head_hash}")
        elif self.chain.first_bad_seq is None:
            out.append(f"chain: BROKEN: {self.chain.reason}")
        else:
            out.append(f"chain: BROKEN at seq {self.chain.first_bad_seq}: {self.chain.reason} "
                       f"({self.chain.checked} events verified before it)")
        out.append(f"checkpoints: {self.checkpoints_checked} checked")
        out.extend(f"checkpoint: {p}" for p in self.checkpoint_problems)
        if not self.trigger_problems:
            out.append(f"append-only triggers: OK ({', '.join(self.triggers_guard)} refused)")
        out.extend(f"append-only: {p}" for p in self.trigger_problems)
        out.extend(f"dossier state: {p}" for p in self.state_problems)
        return out


def build_report(session: Session, *kept_copies: Path | None) -> AuditReport:
    """`kept_copies`: kept-copies files of checkpoints (JSON Lines); a missing file holds none."""
    report = AuditReport(chain=verify_chain(session))
    checkpoints = [as_dict(c) for c in session.scalars(select(AuditCheckpoint))]
    for path in kept_copies:
        if path is None:
            continue
        kept, unreadable = read_kept_copies(path)
        checkpoints.extend(kept)
        report.checkpoint_problems.extend(unreadable)
    for data in unique(checkpoints):
        report.checkpoints_checked += 1
        problem = check_checkpoint(session, data)
        if problem:
            report.checkpoint_problems.append(problem)
    triggers = check_append_only(session)
    report.triggers_guard = triggers.guarded
    report.trigger_problems = list(triggers.problems)
    report.state_mismatches = dossier_state_mismatches(session)
    report.state_problems = [m.describe() for m in report.state_mismatches]
    return report


def record_run(session: Session, report: AuditReport, *, actor=None,
               actor_label: str = "") -> AuditVerification:
    """Keep the run and its result beside the chain (`AuditVerification`), in the caller's
    transaction; the chain itself is left exactly as it was verified."""
    run = AuditVerification(ran_at=utcnow(), actor_id=getattr(actor, "id", None),
                            actor_label=actor_label or getattr(actor, "username", ""),
                            intact=report.ok, events_checked=report.chain.checked,
                            problems=report.problem_count)
    session.add(run)
    session.flush()
    return run


def last_run(session: Session) -> AuditVerification | None:
    """The latest verification run."""
    return session.scalar(select(AuditVerification)
                          .order_by(AuditVerification.ran_at.desc(), AuditVerification.id.desc())
                          .limit(1))

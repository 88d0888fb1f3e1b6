"""One verification report: the chain, the signed checkpoints, and the dossier states."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.checkpoint import as_dict, check_checkpoint
from workflow_app.audit.consistency import dossier_state_mismatches
from workflow_app.audit.verify import VerifyResult, verify_chain
from workflow_app.models.audit import AuditCheckpoint


@dataclass
class AuditReport:
    chain: VerifyResult
    checkpoint_problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    state_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.checkpoint_problems and not self.state_problems

    def lines(self) -> list[str]:
        out = []
        if self.chain.ok:
            out.append(f"chain: OK, {self.chain.checked} events, head {self.chain.head_hash}")
        else:
            out.append(f"chain: BROKEN at seq {self.chain.first_bad_seq}: {self.chain.reason} "
                       f"({self.chain.checked} events verified before it)")
        out.append(f"checkpoints: {self.checkpoints_checked} checked")
        out.extend(f"checkpoint: {p}" for p in self.checkpoint_problems)
        out.extend(f"dossier state: {p}" for p in self.state_problems)
        return out


def build_report(session: Session, outside_checkpoints: Path | None = None) -> AuditReport:
    report = AuditReport(chain=verify_chain(session))
    checkpoints = [as_dict(c) for c in session.scalars(select(AuditCheckpoint))]
    if outside_checkpoints is not None and outside_checkpoints.exists():
        for line in outside_checkpoints.read_text(encoding="utf-8").splitlines():
            if line.strip():
                checkpoints.append(json.loads(line))
    seen = set()
    for data in checkpoints:
        key = (data["seq"], data["head_hash"], data["signature"])
        if key in seen:
            continue
        seen.add(key)
        report.checkpoints_checked += 1
        problem = check_checkpoint(session, data)
        if problem:
            report.checkpoint_problems.append(problem)
    report.state_problems = [m.describe() for m in dossier_state_mismatches(session)]
    return report

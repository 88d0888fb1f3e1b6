"""Helpers for revocation tests: a decided dossier with its registry entry, issued through a
real award decision (so the revocation's number follows it in the same QĐ series)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from workflow_app.decisions.service import issue
from workflow_app.decisions.service.revocation import ProposalInput
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User

AWARDED_ON = date(2024, 11, 15)
TODAY = date(2024, 12, 2)


def decide(tx, signer, dossiers, storage, on: date = AWARDED_ON):
    """Issue one award decision for `dossiers` (council-approved); commit; return it."""
    user = tx.get(User, signer.id)
    decision = issue.issue_decision(tx, user, issue.default_input(user, dossiers, on), storage,
                                    on)
    tx.commit()
    return decision


def entry_of(tx, dossier) -> AwardRecord:
    return tx.scalars(select(AwardRecord).where(AwardRecord.dossier_id == dossier.id)).one()


def proposal(ground: str = "false_papers", **changes) -> ProposalInput:
    values = {"ground": ground,
              "explanation": "Bằng tốt nghiệp nộp kèm hồ sơ là giả (Kết luận thanh tra).",
              "evidence_reference": "Kết luận thanh tra số 12/KL-TTr ngày 20/11/2024",
              "conclusion_received_on": date(2024, 11, 25)}
    values.update(changes)
    return ProposalInput(**values)

"""Quotas checked before a council session votes (issue 5 §5).

`agenda_quota_flags(session, meeting)` lists, for the dossiers on the agenda still to be
voted and those the secretary may still add, every quota (unit, award, year) that is over its
cap, with the dossiers concerned and whether a decision to exceed it is recorded. The engine's
`quota_respected` guard on `open_vote` refuses to open the vote on a dossier whose quota is
over without such a decision; `record_for_session` records it from the session page (who,
reason, and the session, audited `quota.exception_recorded`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.eligibility.service.quotas import (
    QuotaExceptionError,
    QuotaStatus,
    dossier_quota,
    record_quota_exception,
)
from workflow_app.models.council import CouncilSession
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import QuotaException
from workflow_app.models.user import User


@dataclass
class QuotaFlag:
    status: QuotaStatus
    on_agenda: list[Dossier] = field(default_factory=list)
    addable: list[Dossier] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.status.unit.id}-{self.status.award_code}-{self.status.year}"


def agenda_quota_flags(session: Session, meeting: CouncilSession) -> list[QuotaFlag]:
    """Quotas over their cap among the session's unvoted items and addable dossiers."""
    from workflow_app.council.service.sessions import eligible_dossiers

    flags: dict[tuple[int, str, int], QuotaFlag] = {}
    unvoted = [item.dossier for item in meeting.items if item.round_id is None]
    addable = eligible_dossiers(session, meeting) if meeting.ended_at is None else []
    for dossier, listed in [(d, "on_agenda") for d in unvoted] + [(d, "addable")
                                                                 for d in addable]:
        status = dossier_quota(session, dossier)
        if not status.over:
            continue
        key = (status.unit.id, status.award_code, status.year)
        flag = flags.setdefault(key, QuotaFlag(status))
        getattr(flag, listed).append(dossier)
    return list(flags.values())


def record_for_session(session: Session, meeting: CouncilSession, actor: User, *,
                       unit_id: int, award_code: str, year: int,
                       reason: str) -> QuotaException:
    """Record the decision to exceed one of the session's flagged quotas. Raises
    QuotaExceptionError when the quota is not one of the session's flags."""
    flag = next((f for f in agenda_quota_flags(session, meeting)
                 if (f.status.unit.id, f.status.award_code, f.status.year)
                 == (unit_id, award_code, year)), None)
    if flag is None or flag.status.exception is not None:
        raise QuotaExceptionError(_l("This quota is not exceeded by a dossier of this session, "
                                     "or its decision is already recorded."))
    return record_quota_exception(
        session, flag.status.unit, award_code, year, reason, actor,
        context={"council_session_id": meeting.id, "council_id": meeting.council_id})

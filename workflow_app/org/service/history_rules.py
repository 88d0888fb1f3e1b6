"""The per-body rule on whether a successor counts its predecessors' years (issue 19):
set by an administrator, audited. Configurable — no confirmed legal source."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.org import OrgUnit
from workflow_app.models.org_history import OrgHistoryRule


class HistoryRuleError(ValueError):
    """The rule cannot be saved; the message is safe to show."""


def rules(session: Session) -> list[OrgHistoryRule]:
    return list(session.scalars(select(OrgHistoryRule).order_by(
        OrgHistoryRule.body_unit_id, OrgHistoryRule.award_code)))


def set_rule(session: Session, body: OrgUnit, award_code: str | None, counts: bool,
             note: str = "", *, actor=None) -> OrgHistoryRule:
    """Create or change the body's rule for the award (None: every award)."""
    if body.valid_to is not None:
        raise HistoryRuleError(_("%(unit)s no longer exists: choose a current body.",
                                 unit=body.name))
    code = (award_code or "").strip() or None
    rule = session.scalar(select(OrgHistoryRule).where(
        OrgHistoryRule.body_unit_id == body.id,
        OrgHistoryRule.award_code.is_(None) if code is None
        else OrgHistoryRule.award_code == code))
    before = None if rule is None else rule.counts_predecessors
    if rule is None:
        rule = OrgHistoryRule(body_unit_id=body.id, award_code=code,
                              created_by_id=getattr(actor, "id", None))
        session.add(rule)
    rule.counts_predecessors, rule.note = counts, note.strip()
    session.flush()
    record(session, "org.history_rule_set", "org_history_rule", rule.id, actor=actor,
           data={"body_unit_id": body.id, "award_code": code, "counts_predecessors": counts,
                 "before": before, "note": rule.note})
    return rule

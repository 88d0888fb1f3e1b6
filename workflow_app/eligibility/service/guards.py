"""The eligibility rules a workflow transition checks, registered with the engine by name
(`eligibility_met`, `quota_respected`; `states/*.toml` names them). The engine never imports
this module: the app factory does (`workflow_app/parts.py`), before the definitions load.

Like every guard they only read, returning None when the rule holds or the reason it does not.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import object_session

from workflow_app.eligibility.service.dossier import blocking_rules
from workflow_app.eligibility.service.quotas import dossier_quota
from workflow_app.models.dossier import Dossier
from workflow_app.workflow.context import FireContext, guard


@guard("eligibility_met")
def eligibility_met(dossier: Dossier, ctx: FireContext) -> str | None:
    """Mandatory prerequisites of the award (workflow_app.eligibility) must not be "not met",
    unless a reviewer recorded an override; "unknown" is left to the reviewer."""
    session = ctx.session or object_session(dossier)
    if session is None:
        return None
    failed = blocking_rules(session, dossier, ctx.today)
    if failed:
        return _("A prerequisite of the award is not met: %(reasons)s",
                 reasons=" ".join(_describe_rule(r) for r in failed))
    return None


def _describe_rule(result) -> str:
    """A rule's explanation; for "at least one of" rules, followed by each option's."""
    if not result.options:
        return result.explanation
    options = "; ".join(option.explanation.rstrip(".") for option in result.options)
    return f"{result.explanation} {options}."


@guard("quota_respected")
def quota_respected(dossier: Dossier, ctx: FireContext) -> str | None:
    """The dossier's unit, award and year are within the award's quota, or a decision to
    exceed it is recorded (issue 5 §5: checked before the council votes)."""
    session = ctx.session or object_session(dossier)
    if session is None:
        return None
    status = dossier_quota(session, dossier)
    if status.blocked:
        return _("%(nominee)s: the quota of %(award)s for %(unit)s in %(year)d is exceeded "
                 "(%(used)d nominated, at most %(cap)d). Record the decision to exceed it, "
                 "with its reason, before the vote.", nominee=dossier.nominee_name,
                 award=status.award_name, unit=status.unit.name, year=status.year,
                 used=status.used, cap=status.cap)
    return None

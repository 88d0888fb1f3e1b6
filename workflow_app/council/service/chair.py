"""The chair's rulings (override) on an item, always with a recorded reason.

The chair reserves an item for a ruling before its round closes (`hold`): the tally is then
counted and recorded as usual, but the dossier stays in voting. The chair rules with a
reason (`rule`): the engine's `override_approve` / `override_reject`, whose guard requires
the vote's outcome to be recorded. The tally stays in the record next to the ruling.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import access
from workflow_app.council.service.errors import CouncilError, InvalidInput, NotAllowed
from workflow_app.models.council import OUTCOMES, AgendaItem
from workflow_app.models.user import User
from workflow_app.workflow import fire

MAX_REASON = 4000


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("The chair's ruling needs a reason."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is too long (at most %(max)d characters).",
                             max=MAX_REASON))
    return reason


def hold(session: Session, item: AgendaItem, reason: str, *, actor: User) -> None:
    """Reserve the item for the chair's ruling; only before its round closes."""
    if not access.is_chair(actor, item.session.council):
        raise NotAllowed()
    if item.outcome is not None:
        raise CouncilError(_("This item has already been counted."))
    if item.held_for_chair:
        raise CouncilError(_("This item is already reserved for the chair's ruling."))
    item.held_for_chair = True
    item.hold_reason = _reason(reason)
    session.flush()
    record(session, "council.item_held", "council_session", item.session_id, actor=actor,
           data={"item_id": item.id, "dossier_id": item.dossier_id, "reason": item.hold_reason})


def rule(session: Session, item: AgendaItem, decision: str, reason: str, *,
         actor: User) -> None:
    """The chair's ruling on a held, counted item: approved or rejected, with a reason."""
    if not access.is_chair(actor, item.session.council):
        raise NotAllowed()
    if decision not in OUTCOMES:
        raise InvalidInput(_("The ruling is either approved or rejected."))
    if not item.held_for_chair or item.outcome is None or item.ruling is not None:
        raise CouncilError(_("Only a counted item reserved for the chair can be ruled on, "
                             "once."))
    reason = _reason(reason)
    trigger = "override_approve" if decision == "approved" else "override_reject"
    fire(session, item.dossier, trigger, actor, reason=reason)
    item.ruling = decision
    item.ruling_reason = reason
    session.flush()
    record(session, "council.chair_ruling", "council_session", item.session_id, actor=actor,
           data={"item_id": item.id, "dossier_id": item.dossier_id,
                 "tally_outcome": item.outcome, "ruling": decision, "reason": reason})

"""Effects: named changes a transition makes to the dossier besides its state.

Effects that belong to a capability (the notifications of `dossiers/service/notices.py`)
register there by name. Effects run inside the engine's transaction, after the state change
and before the audit event, which lists the fields they changed. An effect that cannot do
its job raises `EffectFailed` (or any exception): the engine then undoes the whole
transition. Effects write no audit events of their own and never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.models.dossier import Dossier
from workflow_app.workflow.context import FireContext, effect
from workflow_app.workflow.errors import EffectFailed
from workflow_app.workflow.guards import parse_document_date

# Public disclosure lasts at least 10 working days (ND 98/2023 Art. 46 k2; ND 152/2025
# Art. 44 k2 [S] — LEGAL_FACTS §4.1). Used when the award's rule does not give its own length.
DEFAULT_DISCLOSURE_WORKING_DAYS = 10


@effect("stamp_received_at")
def stamp_received_at(dossier: Dossier, ctx: FireContext) -> None:
    """Record the date of receipt once, and fix the award's rule version in force that day.

    A dossier that is returned and sent again keeps its first receipt date and rule version.
    """
    if dossier.received_at is not None:
        return
    version = dossier.award.version_on(ctx.today)
    if version is None:
        raise EffectFailed("stamp_received_at",
                           _("No rule of this award is in force on the date of receipt."))
    dossier.received_at = ctx.now
    dossier.award_version = version


@effect("open_disclosure_window")
def open_disclosure_window(dossier: Dossier, ctx: FireContext) -> None:
    """Open the public disclosure window today for the rule's number of working days."""
    version = dossier.award_version
    days = (version.disclosure or {}).get("working_days") if version is not None else None
    days = days or DEFAULT_DISCLOSURE_WORKING_DAYS
    dossier.disclosure_started_on = ctx.today
    dossier.disclosure_ends_on = ctx.calendar.add_working_days(ctx.today, days)


@effect("restart_clock")
def restart_clock(dossier: Dossier, ctx: FireContext) -> None:
    """Start the new step's clock from zero, dropping time carried from before a return.

    By default the clock only pauses while a dossier is returned; add this effect to a
    resubmission when the body counts the time limit afresh from the complete dossier.
    """
    dossier.step_days_carried = 0


def _document_number(ctx: FireContext, effect_name: str) -> str:
    number = str(ctx.data.get("document_number") or "").strip()
    if not number:  # the transition must also carry the document_number_given guard
        raise EffectFailed(effect_name, _("Enter the document's number and symbol."))
    return number


@effect("record_decision")
def record_decision(dossier: Dossier, ctx: FireContext) -> None:
    """Store the award decision's number and date (today when no date is given)."""
    dossier.decision_number = _document_number(ctx, "record_decision")
    dossier.decision_date = parse_document_date(ctx.data.get("document_date")) or ctx.today


@effect("record_forwarding")
def record_forwarding(dossier: Dossier, ctx: FireContext) -> None:
    """Store the number of the tờ trình that sends the dossier to the higher authority."""
    dossier.forward_reference = _document_number(ctx, "record_forwarding")

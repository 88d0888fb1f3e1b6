"""A council session's tallies as XLSX (issue 14 item 5): one row per agenda item whose
round is closed, with the counts, the denominator, the votes needed, the outcome and any
chair's ruling, as the round's page shows them. Items not yet voted are listed without
counts, so the sheet covers the whole agenda."""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.council.service.labels import DENOMINATORS, METHODS, OUTCOMES, label
from workflow_app.dossiers.service.exports import award_name
from workflow_app.models.council import CouncilSession
from workflow_app.workdays import local_date
from workflow_app.xlsx import Sheet


def tally_sheet(meeting: CouncilSession, locale: str) -> Sheet:
    def rows():
        for item in sorted(meeting.items, key=lambda i: i.position):
            tally = item.tally or {}
            voted = bool(tally)
            closed = item.round.closed_at if item.round is not None else None
            yield [item.position, item.dossier_id, item.dossier.nominee_name,
                   award_name(item.dossier, locale),
                   item.round.number if item.round is not None else None,
                   local_date(closed) if closed else None,
                   label(METHODS, tally.get("method")) if voted else "",
                   tally.get("agree") if voted else None,
                   tally.get("disagree") if voted else None,
                   tally.get("abstain") if voted else None,
                   len(tally.get("recused", [])) if voted else None,
                   label(DENOMINATORS, (tally.get("rule") or {}).get("denominator"))
                   if voted else "",
                   tally.get("denominator") if voted else None,
                   tally.get("votes_needed") if voted else None,
                   label(OUTCOMES, item.outcome) if item.outcome else "",
                   label(OUTCOMES, item.ruling) if item.ruling else ""]

    return Sheet(_("Tallies"), [
        _("No."), _("Dossier"), _("Nominee"), _("Award or title"), _("Round"), _("Closed on"),
        _("Method"), _("Agree"), _("Disagree"), _("Abstain"), _("Recused"),
        _("Counted over"), _("Denominator"), _("Votes needed"), _("Outcome"),
        _("Chair's ruling"),
    ], rows(), widths=(6, 10, 28, 30, 8, 12, 20, 8, 8, 8, 8, 18, 10, 10, 16, 16))

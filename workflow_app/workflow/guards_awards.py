"""Guards about what happens around an award: its revocation. (The quota guard belongs to
`eligibility/service/guards.py`, which registers it by name.)

Like every guard they only read, returning None when the rule holds or the reason it does
not. The revocation guards make the engine refuse `propose_revocation`, `revoke` and
`dismiss_revocation` unless the revocation service (`workflow_app.decisions.service.revocation`) has
just written the matching record in the same transaction: a revocation always carries its
ground (Law Art. 93 k2) and, when revoked, its numbered decision.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import object_session

from workflow_app.models.dossier import Dossier
from workflow_app.workflow.context import FireContext, guard


def _session(dossier: Dossier, ctx: FireContext):
    return ctx.session or object_session(dossier)


def _latest_revocation_status(dossier: Dossier, ctx: FireContext) -> str | None:
    from workflow_app.models.revocation import Revocation

    session = _session(dossier, ctx)
    if session is None:
        return None
    return session.scalar(select(Revocation.status).where(Revocation.dossier_id == dossier.id)
                          .order_by(Revocation.id.desc()).limit(1))


@guard("revocation_proposal_recorded")
def revocation_proposal_recorded(dossier: Dossier, ctx: FireContext) -> str | None:
    if _latest_revocation_status(dossier, ctx) != "proposed":
        return _("A revocation is proposed on its own page, with its ground (Law Art. 93 k2) "
                 "and the facts it rests on.")
    return None


@guard("revocation_decided")
def revocation_decided(dossier: Dossier, ctx: FireContext) -> str | None:
    if _latest_revocation_status(dossier, ctx) != "revoked":
        return _("A revocation is decided on its own page, with a numbered decision.")
    return None


@guard("revocation_dismissed")
def revocation_dismissed(dossier: Dossier, ctx: FireContext) -> str | None:
    if _latest_revocation_status(dossier, ctx) != "dismissed":
        return _("A revocation is dismissed on its own page, with the reason.")
    return None

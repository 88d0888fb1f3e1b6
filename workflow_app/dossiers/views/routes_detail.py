"""The dossier page and the one route every action button posts to.

`POST /dossiers/<id>/transitions/<trigger>` (endpoint `dossiers.transition`) is a contract
other pages rely on (the reviewer queue, the council): form fields `csrf_token`, `version`
(the version the page showed), `reason`, the inputs some actions need (`document_number` /
`decision_number`, `document_date` / `decision_date`) and `next` (a local path to go back
to). It fires the engine once and commits once; a refusal re-renders the dossier page with
the engine's message and status (403, 404, 409, 422) and nothing written.
"""

from __future__ import annotations

from contextlib import suppress

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from workflow_app.dossiers.service import labels
from workflow_app.dossiers.service.access import visible_dossier_or_404
from workflow_app.dossiers.views.blueprint import bp
from workflow_app.dossiers.views.pages import render_dossier, safe_next, user
from workflow_app.extensions import db
from workflow_app.formkit import parse_day
from workflow_app.i18n import current_locale
from workflow_app.workflow import InputInvalid, WorkflowError, definition_of, fire

# Form names accepted for the inputs the engine's guards and effects read.
EXTRA_INPUTS = {
    "document_number": "document_number", "decision_number": "document_number",
    "document_date": "document_date", "decision_date": "document_date",
}


@bp.get("/<int:dossier_id>")
def detail(dossier_id: int):
    dossier = visible_dossier_or_404(db.session, user(), dossier_id)
    return render_dossier(dossier, next_url=safe_next(request.args.get("next")))


def _extra_inputs() -> dict[str, str]:
    data: dict[str, str] = {}
    for name, key in EXTRA_INPUTS.items():
        value = (request.form.get(name) or "").strip()
        if value and key not in data:
            data[key] = value[:200]
    if "document_date" in data:  # typed dd/mm/yyyy; the engine reads ISO days
        with suppress(ValueError):  # else kept as typed: the engine's guard refuses it
            data["document_date"] = parse_day(data["document_date"]).isoformat()
    return data


@bp.post("/<int:dossier_id>/transitions/<trigger>")
def transition(dossier_id: int, trigger: str):
    actor = user()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    next_url = safe_next(request.form.get("next"))
    version = (request.form.get("version") or "").strip()
    try:
        if not version:
            raise InputInvalid(_("The form did not say which version of the dossier it "
                                 "showed. Reload the page and try again."))
        fire(db.session, dossier, trigger, actor, expected_version=version,
             reason=request.form.get("reason"), **_extra_inputs())
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        dossier = visible_dossier_or_404(db.session, actor, dossier_id)
        return render_dossier(dossier, status=error.code, error=str(error.description),
                              next_url=next_url, failed_trigger=trigger)
    locale = current_locale()
    action = next(t for t in definition_of(dossier).transitions if t.trigger == trigger)
    flash(_("Done: %(action)s. The dossier is now “%(state)s”.",
            action=action.label(locale),
            state=labels.state_label(dossier.workflow, dossier.state, locale)), "success")
    return redirect(next_url or url_for("dossiers.detail", dossier_id=dossier.id))


"""Signer pages: the dossiers to sign, the preview, and issuing the decision.

Flow: /to-sign (tick dossiers, edit the wording) → POST /preview (everything validated, the
decision drawn in HTML with the number still pending; nothing written) → POST /issue (the
same inputs as hidden fields, validated again; one transaction issues the decision). Any
refusal re-renders the form with the reason (422), after a rollback: no decision row, no
number taken.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.service import issue, selection
from workflow_app.decisions.service.numbering import NumberingError
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.decisions.views.forms import DecisionForm
from workflow_app.decisions.views.routes_common import bp, group_by_award, prefilled, user
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.extensions import db
from workflow_app.security import roles_required
from workflow_app.signing import confirm_identity
from workflow_app.workflow import WorkflowError


def _ready():
    return selection.ready_dossiers(db.session, user(), issue.TRIGGER, issue.ROLE)


def _render_form(form: DecisionForm, *, status: int = 200, notice: str | None = None):
    ready = _ready()
    chosen = {str(value) for value in (form.dossier_ids.data or [])}
    return render_template("decisions/to_sign.html", form=form, groups=group_by_award(ready),
                           chosen=chosen, notice=notice, total=len(ready)), status


def _refuse(form: DecisionForm, message, status: int = 422):
    db.session.rollback()
    form.form_errors.append(str(message))
    return _render_form(form, status=status)


@bp.get("/to-sign")
@roles_required(issue.ROLE)
def to_sign():
    """The dossiers this signer may decide now, grouped by award, and the decision's
    wording prefilled for the ticked ones (or for all when none is ticked)."""
    form = DecisionForm(formdata=None)
    notice = prefilled(form, _ready(), issue.default_input, request.args.get("award"))
    return _render_form(form, notice=notice)


def _validated(form: DecisionForm):
    """(input, dossiers, issuer, signer) or raises SelectionError / NumberingError."""
    inp = form.to_input()
    dossiers, issuer, signer = issue.prepare(db.session, user(), inp, today_vn())
    return inp, dossiers, issuer, signer


@bp.post("/preview")
@roles_required(issue.ROLE)
def preview():
    if "refill" in request.form:  # the wording again, for the dossiers now ticked
        form = DecisionForm(formdata=None)
        notice = prefilled(form, _ready(), issue.default_input, None,
                           request.form.getlist("dossier_ids"))
        return _render_form(form, notice=notice)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_form(form, status=422)
    if "edit" in request.form:  # back from the preview to the form, values kept
        return _render_form(form)
    try:
        inp, dossiers, issuer, signer = _validated(form)
    except (SelectionError, NumberingError) as error:
        return _refuse(form, error.message)
    return _preview_page(form, inp, dossiers, issuer, signer)


def _preview_page(form: DecisionForm, inp, dossiers, issuer, signer, *,
                  reauth_error: str | None = None):
    document = issue.build_document(inp, issuer, signer, dossiers)
    form.issuer_id.data = str(issuer.id)  # issue under the unit that was previewed
    db.session.rollback()  # a preview writes nothing
    return render_template("decisions/preview.html", form=form, document=document,
                           dossiers=dossiers, reauth_error=reauth_error), (
        422 if reauth_error else 200)


@bp.post("/issue")
@roles_required(issue.ROLE)
def issue_view():
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_form(form, status=422)
    problem = confirm_identity(form, "decision")
    if problem is not None:  # the preview again, with the reason; nothing issued
        try:
            return _preview_page(form, *_validated(form), reauth_error=problem)
        except (SelectionError, NumberingError) as error:
            return _refuse(form, error.message)
    try:
        decision = issue.issue_decision(db.session, user(), form.to_input(), app_storage(DOCUMENTS),
                                        today_vn())
        db.session.flush()
        decision_id, reference = decision.id, decision.reference
        db.session.commit()
    except (SelectionError, NumberingError) as error:
        return _refuse(form, error.message)
    except WorkflowError as error:
        return _refuse(form, error.description, status=error.code)
    flash(_("Decision %(reference)s was issued.", reference=reference), "success")
    return redirect(url_for("decisions.detail", decision_id=decision_id), code=303)

"""Eligibility exceptions asked for and answered from the dossier page (issue 17 item 4):
a submitter over the dossier's unit asks, with a reason; a reviewer over the unit grants
(with the password again, as for any override) or refuses, with a reason. Both answer with a
redirect back to the dossier; a refusal keeps what was typed for that page."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_babel import gettext as _

from workflow_app.dossiers.service.access import may_submit_for, visible_dossier_or_404
from workflow_app.eligibility.service import exception_requests as service
from workflow_app.extensions import db
from workflow_app.models.eligibility import EligibilityExceptionRequest
from workflow_app.registry.views.forms import ExceptionAnswerForm, ExceptionRequestForm
from workflow_app.registry.views.pages import back_url, bp, viewer
from workflow_app.security import roles_required
from workflow_app.signing import confirm_identity, keep_typed


@bp.route("/dossiers/<int:dossier_id>/exception-requests", methods=["POST"])
@roles_required("submitter")
def request_exception(dossier_id: int):
    user = viewer()
    dossier = visible_dossier_or_404(db.session, user, dossier_id)
    if not may_submit_for(user, dossier.unit):
        abort(403)
    form = ExceptionRequestForm()
    back = back_url()
    if not form.validate_on_submit():
        keep_typed(f"ask-{dossier.id}-{form.rule_id.data}", form.reason.data)
        flash(_("Give the reason for the exception you ask for."), "danger")
        return redirect(back), 303
    try:
        service.request_exception(db.session, dossier, form.rule_id.data, form.reason.data,
                                  user)
    except service.RequestError as error:
        db.session.rollback()
        keep_typed(f"ask-{dossier.id}-{form.rule_id.data}", form.reason.data)
        flash(str(error), "danger")
        return redirect(back), 303
    db.session.commit()
    flash(_("Your request is sent to the reviewer. You will be told the answer."), "success")
    return redirect(back), 303


@bp.route("/exception-requests/<int:request_id>/answer", methods=["POST"])
@roles_required("reviewer")
def answer_exception(request_id: int):
    user = viewer()
    entry = db.session.get(EligibilityExceptionRequest, request_id)
    if entry is None:
        abort(404)
    dossier = visible_dossier_or_404(db.session, user, entry.dossier_id)
    if not user.can_see_unit(dossier.unit, "reviewer"):
        abort(403)
    form = ExceptionAnswerForm()
    back = back_url()
    key = f"answer-{entry.id}"
    if not form.validate_on_submit():
        keep_typed(key, form.reason.data)
        flash(_("Give the reason for your answer."), "danger")
        return redirect(back), 303
    grant = form.decision.data == "grant"
    if grant:  # granting records an exception: the password again
        problem = confirm_identity(form, "override")
        if problem is not None:
            keep_typed(key, form.reason.data)
            flash(problem, "danger")
            return redirect(back), 303
    try:
        service.answer(db.session, entry, grant, form.reason.data, user)
    except service.RequestError as error:
        db.session.rollback()
        keep_typed(key, form.reason.data)
        flash(str(error), "danger")
        return redirect(back), 303
    db.session.commit()
    flash(_("The exception is granted: the rule counts as met for this dossier.") if grant
          else _("The request is refused; the submitter is told why."), "success")
    return redirect(back), 303

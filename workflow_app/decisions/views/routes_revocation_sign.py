"""The signer's steps on a revocation: preview and issue this body's numbered decision,
record a higher authority's decision, or dismiss the proposal; and the issued files.

Flow as for award decisions: the revocation page (wording prefilled) → POST preview
(validated, drawn in HTML with the number pending, nothing written) → POST issue (the same
inputs, validated again; one transaction). Any refusal re-renders the revocation page with
the reason after a rollback: no decision row, no number taken.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service import revocation_issue
from workflow_app.decisions.service.numbering import NumberingError, file_stem
from workflow_app.decisions.views.revocation_forms import (
    DismissForm,
    HigherRevocationForm,
    RevocationDecisionForm,
)
from workflow_app.decisions.views.routes_common import bp, user
from workflow_app.decisions.views.routes_revocation import readable_or_404, render_revocation
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_stored
from workflow_app.extensions import db
from workflow_app.security import roles_required
from workflow_app.signing import confirm_identity
from workflow_app.workflow import WorkflowError


def _refused(revocation_id: int, message: str, status: int, **forms):
    db.session.rollback()
    return render_revocation(readable_or_404(revocation_id), status=status, error=message,
                             **forms)


@bp.post("/revocations/<int:revocation_id>/preview")
@roles_required(service.DECIDER)
def revocation_preview(revocation_id: int):
    revocation = readable_or_404(revocation_id)
    form = RevocationDecisionForm()
    if not form.validate_on_submit():
        return render_revocation(revocation, status=422, decision_form=form)
    if "edit" in request.form:  # back from the preview, values kept
        return render_revocation(revocation, decision_form=form)
    return _preview_page(revocation, form)


def _preview_page(revocation, form: RevocationDecisionForm, reauth_error: str | None = None):
    inp = form.to_input()
    try:
        issuer, signer = revocation_issue.prepare(db.session, user(), revocation, inp,
                                                  today_vn())
    except (WorkflowError, NumberingError) as error:
        message = error.description if isinstance(error, WorkflowError) else error.message
        code = error.code if isinstance(error, WorkflowError) else 422
        return _refused(revocation.id, str(message), code, decision_form=form)
    document = revocation_issue.build_document(inp, issuer, signer)
    form.issuer_id.data = str(issuer.id)  # issue under the unit that was previewed
    db.session.rollback()  # a preview writes nothing
    return render_template("decisions/revocation_preview.html", revocation=revocation,
                           form=form, document=document, reauth_error=reauth_error), (
        422 if reauth_error else 200)


@bp.post("/revocations/<int:revocation_id>/issue")
@roles_required(service.DECIDER)
def revocation_issue_view(revocation_id: int):
    revocation = readable_or_404(revocation_id)
    form = RevocationDecisionForm()
    if not form.validate_on_submit():
        return render_revocation(revocation, status=422, decision_form=form)
    problem = confirm_identity(form, "revocation")
    if problem is not None:  # the preview again, with the reason; nothing issued
        return _preview_page(revocation, form, problem)
    try:
        decision = revocation_issue.issue_revocation(db.session, user(), revocation,
                                                     form.to_input(), app_storage(DOCUMENTS),
                                                     today_vn())
        reference = decision.reference
        db.session.commit()
    except NumberingError as error:
        return _refused(revocation_id, str(error.message), 422, decision_form=form)
    except WorkflowError as error:
        return _refused(revocation_id, str(error.description), error.code, decision_form=form)
    flash(_("Revocation decision %(reference)s was issued; the award is revoked in the "
            "registry.", reference=reference), "success")
    return redirect(url_for("decisions.revocation", revocation_id=revocation_id), code=303)


@bp.post("/revocations/<int:revocation_id>/higher")
@roles_required(service.DECIDER)
def revocation_higher(revocation_id: int):
    revocation = readable_or_404(revocation_id)
    form = HigherRevocationForm()
    if not form.validate_on_submit():
        return render_revocation(revocation, status=422, higher_form=form)
    try:
        revocation_issue.record_higher_revocation(
            db.session, user(), revocation, number=form.number.data,
            decided_on=form.decided_on.data, today=today_vn())
        db.session.commit()
    except WorkflowError as error:
        return _refused(revocation_id, str(error.description), error.code, higher_form=form)
    flash(_("The higher authority's decision %(number)s is recorded; the award is revoked in "
            "the registry.", number=form.number.data.strip()), "success")
    return redirect(url_for("decisions.revocation", revocation_id=revocation_id), code=303)


@bp.post("/revocations/<int:revocation_id>/dismiss")
@roles_required(service.DECIDER)
def revocation_dismiss(revocation_id: int):
    revocation = readable_or_404(revocation_id)
    form = DismissForm()
    if not form.validate_on_submit():
        return render_revocation(revocation, status=422, dismiss_form=form)
    try:
        service.dismiss(db.session, user(), revocation, form.reason.data)
        db.session.commit()
    except WorkflowError as error:
        return _refused(revocation_id, str(error.description), error.code, dismiss_form=form)
    flash(_("The proposal is dismissed; the award is kept."), "success")
    return redirect(url_for("decisions.revocation", revocation_id=revocation_id), code=303)


@bp.get("/revocations/<int:revocation_id>/docx", defaults={"fmt": "docx"})
@bp.get("/revocations/<int:revocation_id>/pdf", defaults={"fmt": "pdf"})
def revocation_download(revocation_id: int, fmt: str):
    document = readable_or_404(revocation_id).document
    if document is None:
        abort(404)
    if fmt == "docx":
        return send_stored(DOCUMENTS,
                           document.docx_sha256, f"{file_stem(document)}.docx", DOCX_MIMETYPE)
    return send_stored(DOCUMENTS, document.pdf_sha256, f"{file_stem(document)}.pdf", PDF_MIMETYPE)

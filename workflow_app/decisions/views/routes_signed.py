"""The digitally signed PDF of an issued decision or tờ trình (issue 20 item 1): the upload
form on the document's page and its handling.

The issuing unit's signer uploads the file they signed with their token; a signing act, so
the password is asked again (`signing.confirm_identity`, purpose "signed_pdf"). Any refusal
(re-authentication, the file's checks) re-renders the document's page with the reason (422)
after a rollback: nothing recorded. Success commits once and redirects to the page, which
then shows the signer's certificate and the validation result.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.config import current_config
from workflow_app.decisions.service import agency_signing, signed_pdf
from workflow_app.decisions.service.numbering import file_stem
from workflow_app.decisions.service.pades import SignatureRefused
from workflow_app.decisions.service.revoked_items import revocations_of
from workflow_app.decisions.views.forms import AgencySignForm, SignedPdfForm
from workflow_app.decisions.views.routes_common import bp, readable_or_404, user
from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.signing import confirm_identity


def document_page(document, *, form: SignedPdfForm | None = None, status: int = 200,
                  reauth_error: str | None = None, agency_form: AgencySignForm | None = None,
                  agency_error: str | None = None):
    """A decision's or tờ trình's page, with its signed PDF or the forms to upload it or to
    sign it with the agency's certificate (when the server holds one)."""
    is_decision = isinstance(document, Decision)
    signed = signed_pdf.signed_of(db.session, document)
    may = signed is None and signed_pdf.may_upload(user(), document)
    if form is None and may:
        form = SignedPdfForm(formdata=None)
    if agency_form is None and may and agency_signing.enabled(current_config()):
        agency_form = AgencySignForm(formdata=None, prefix="agency")
    return render_template(
        "decisions/detail.html", document=document,
        kind="decision" if is_decision else "letter", stem=file_stem(document),
        revoked=revocations_of(db.session, document) if is_decision else {},
        signed=signed, signed_form=form if signed is None else None,
        reauth_error=reauth_error, agency_form=agency_form if signed is None else None,
        agency_error=agency_error), status


def _upload(document):
    if not signed_pdf.may_upload(user(), document):
        abort(403)
    form = SignedPdfForm()
    if not form.validate_on_submit():
        return document_page(document, form=form, status=422)
    problem = confirm_identity(form, "signed_pdf")
    if problem is not None:
        return document_page(document, form=form, status=422, reauth_error=problem)
    try:
        signed_pdf.record_signed_pdf(db.session, user(), document, form.file.data.read(),
                                     app_storage(DOCUMENTS), utcnow())
        db.session.commit()
    except SignatureRefused as refused:
        db.session.rollback()
        form.form_errors.append(" ".join((str(refused.message),
                                          _("The signed PDF was not recorded."))))
        return document_page(document, form=form, status=422)
    flash(_("The signed PDF was checked and recorded; it is now the document of record."),
          "success")
    return _back(document)


def _agency_sign(document):
    if not signed_pdf.may_upload(user(), document):
        abort(403)
    form = AgencySignForm(prefix="agency")
    if not form.validate_on_submit():
        return document_page(document, agency_form=form, status=422)
    problem = confirm_identity(form, "signed_pdf")
    if problem is not None:
        return document_page(document, agency_form=form, status=422, agency_error=problem)
    try:
        agency_signing.sign_with_agency_certificate(
            db.session, user(), document, app_storage(DOCUMENTS), utcnow(), current_config())
        db.session.commit()
    except SignatureRefused as refused:
        db.session.rollback()
        form.form_errors.append(" ".join((str(refused.message),
                                          _("The signed PDF was not recorded."))))
        return document_page(document, agency_form=form, status=422)
    flash(_("The PDF was signed with the agency's certificate, checked and recorded; it is "
            "now the document of record."), "success")
    return _back(document)


def _back(document):
    if isinstance(document, Decision):
        return redirect(url_for("decisions.detail", decision_id=document.id), code=303)
    return redirect(url_for("decisions.letter", letter_id=document.id), code=303)


@bp.post("/<int:decision_id>/signed-pdf")
def upload_signed_decision(decision_id: int):
    return _upload(readable_or_404(db.session, Decision, decision_id))


@bp.post("/submissions/<int:letter_id>/signed-pdf")
def upload_signed_letter(letter_id: int):
    return _upload(readable_or_404(db.session, SubmissionLetter, letter_id))


@bp.post("/<int:decision_id>/agency-sign")
def agency_sign_decision(decision_id: int):
    return _agency_sign(readable_or_404(db.session, Decision, decision_id))


@bp.post("/submissions/<int:letter_id>/agency-sign")
def agency_sign_letter(letter_id: int):
    return _agency_sign(readable_or_404(db.session, SubmissionLetter, letter_id))

"""A dossier's documents: upload (checked by content), remove (kept as history), download,
view (PDFs and images shown in the browser, under the download's checks).

Downloads go only to those who may see the dossier, always as an attachment with the
detected type, a clean file name (RFC 5987 for Vietnamese names) and `nosniff`, after
checking the stored bytes still match their recorded SHA-256.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from workflow_app.attachments.storage import ATTACHMENTS
from workflow_app.dossiers.service.access import visible_dossier_or_404
from workflow_app.dossiers.service.documents import (
    FilesRefused,
    Incoming,
    add_documents,
    remove_document,
)
from workflow_app.dossiers.service.labels import doc_type_label
from workflow_app.dossiers.views.blueprint import bp
from workflow_app.dossiers.views.forms import DocumentsForm
from workflow_app.dossiers.views.pages import (
    max_upload_bytes,
    render_dossier,
    storage,
    user,
)
from workflow_app.downloads import send_stored
from workflow_app.extensions import db
from workflow_app.workflow import WorkflowError


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """The request body is over MAX_CONTENT_LENGTH: refused before anything is read."""
    db.session.rollback()
    mb = f"{max_upload_bytes() / (1024 * 1024):g}"
    return render_template(
        "errors/error.html", status=413, title=_("Too large"),
        message=_("The file is larger than the limit of %(mb)s MB. Nothing was saved.", mb=mb),
    ), 413


def _sent_files() -> list[Incoming]:
    """The files of the sending, each with the type of the input it came in
    (`files-<code>`; an input left empty sends an unnamed empty part, skipped)."""
    sent = []
    for key in request.files:
        if not key.startswith(DocumentsForm.FIELD_PREFIX):
            continue
        doc_type = key.removeprefix(DocumentsForm.FIELD_PREFIX)
        for incoming in request.files.getlist(key):
            if not incoming.filename:
                continue
            sent.append(Incoming(doc_type, incoming.filename, incoming.read()))
    return sent


@bp.post("/<int:dossier_id>/documents")
def upload(dossier_id: int):
    """One sending: several document types, several files per type. Every file is checked
    first; when any is refused nothing is kept and each refusal is listed by the form."""
    actor = user()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    form = DocumentsForm()
    if not form.validate_on_submit():
        return render_dossier(dossier, status=422, upload_form=form,
                              error=_("The documents were not added: see the upload form."))
    try:
        added = add_documents(db.session, dossier, actor, _sent_files(), storage=storage(),
                              max_size=max_upload_bytes())
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        dossier = visible_dossier_or_404(db.session, actor, dossier_id)
        refusals = error.refusals if isinstance(error, FilesRefused) else []
        return render_dossier(dossier, status=error.code, upload_form=form,
                              error=str(error.description), upload_refusals=refusals)
    flash(ngettext("Added %(num)d document: %(names)s.", "Added %(num)d documents: %(names)s.",
                   len(added.documents),
                   names="; ".join(f"{doc_type_label(d.doc_type)} — {d.filename}"
                                   for d in added.documents)), "success")
    for warning in added.warnings:
        flash(warning, "warning")
    return redirect(url_for("dossiers.detail", dossier_id=dossier_id) + "#documents")


@bp.post("/<int:dossier_id>/documents/<int:document_id>/remove")
def remove(dossier_id: int, document_id: int):
    actor = user()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    try:
        remove_document(db.session, dossier, document_id, actor)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        dossier = visible_dossier_or_404(db.session, actor, dossier_id)
        return render_dossier(dossier, status=error.code, error=str(error.description))
    flash(_("The document was removed. It stays in the dossier's history."), "success")
    return redirect(url_for("dossiers.detail", dossier_id=dossier_id) + "#documents")


@bp.get("/<int:dossier_id>/documents/<int:document_id>")
def download(dossier_id: int, document_id: int, inline: bool = False):
    dossier = visible_dossier_or_404(db.session, user(), dossier_id)
    document = next((d for d in dossier.document_history if d.id == document_id), None)
    if document is None:
        abort(404)
    return send_stored(ATTACHMENTS, document.sha256, document.filename, document.mimetype,
                       inline=inline)


@bp.get("/<int:dossier_id>/documents/<int:document_id>/view")
def view_document(dossier_id: int, document_id: int):
    """The document shown in the browser ("Xem": a PDF or an image, sandboxed), to the same
    people as its download; any other type is downloaded."""
    return download(dossier_id, document_id, inline=True)

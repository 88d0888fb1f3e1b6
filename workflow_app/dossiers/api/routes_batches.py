"""Batches: one covering letter, many nominees (each its own dossier), as the batch pages,
through the same services (`dossiers/service/batches.py`): list, read, create, upload or remove a
shared document, submit every complete dossier. Scoped like the pages: a batch of a unit
your roles do not cover is a 404."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.api.pagination import PageQuery, keyset_page
from workflow_app.attachments.storage import ATTACHMENTS, app_storage
from workflow_app.config import current_config
from workflow_app.dossiers.api.presenters_batches import (
    batch_document_out,
    batch_out,
    batch_summary,
    outcomes_out,
)
from workflow_app.dossiers.api.routes import READERS
from workflow_app.dossiers.api.routes_edit import from_service, invalid
from workflow_app.dossiers.api.schemas_batches import (
    BatchIn,
    BatchOut,
    BatchOutcomes,
    BatchPage,
    BatchUploadOut,
)
from workflow_app.dossiers.api.schemas_documents import DOWNLOAD_TYPES, UploadForm
from workflow_app.dossiers.service import batches as batch_service
from workflow_app.dossiers.service import offers as offer
from workflow_app.dossiers.service.access import (
    EDITOR_ROLES,
    visible_batch_or_404,
    visible_condition,
)
from workflow_app.dossiers.service.fields import DossierInvalid
from workflow_app.downloads import send_stored
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.batch import BatchDocument, DossierBatch
from workflow_app.models.catalogue import Award
from workflow_app.models.org import OrgUnit


@operation("GET", "/batches", summary="Batches the caller may see, newest first",
           description="The batches of the units your roles cover (auditors: all).",
           tags=["batches"], roles=READERS, query=PageQuery, response=BatchPage)
def list_batches(query: PageQuery) -> BatchPage:
    statement = (select(DossierBatch).join(OrgUnit, DossierBatch.unit_id == OrgUnit.id)
                 .where(visible_condition(caller())))
    rows, next_cursor = keyset_page(db.session, statement, DossierBatch.id, query,
                                    descending=True)
    locale = current_locale()
    return BatchPage(items=[batch_summary(b, locale) for b in rows], next_cursor=next_cursor)


@operation("GET", "/batches/{batch_id}", summary="One batch with its dossiers and documents",
           tags=["batches"], roles=READERS, response=BatchOut, errors=[404])
def get_batch(batch_id: int) -> BatchOut:
    batch = visible_batch_or_404(db.session, caller(), batch_id)
    return batch_out(db.session, batch, current_locale())


@operation("POST", "/batches", summary="Create a batch: one draft dossier per nominee",
           description="As the new-batch form: nominees are people and units within the "
                       "submitting unit; each gets a draft dossier of its own. Field errors: "
                       "422 with the field in `details`.",
           tags=["batches"], roles=EDITOR_ROLES, request=BatchIn, response=BatchOut,
           status=201)
def create_batch(body: BatchIn) -> BatchOut:
    actor = caller()
    units = offer.submitting_units(actor)
    unit = next((u for u in units if u.id == body.unit_id), None)
    if unit is None:
        raise invalid("unit_id", _("Choose a unit your submitter role covers."))
    persons = offer.persons_in(db.session, units, body.person_ids)
    if len(persons) != len(set(body.person_ids)):
        raise invalid("person_ids", _("Choose the people nominated among those of your units."))
    nominee_units = offer.units_in(db.session, units, body.unit_ids)
    if len(nominee_units) != len(set(body.unit_ids)):
        raise invalid("unit_ids", _("Choose the units nominated among your units."))
    by_person = {p.id: p for p in persons}
    by_unit = {u.id: u for u in nominee_units}
    try:
        batch = batch_service.create_batch(
            db.session, actor, unit=unit, award=db.session.get(Award, body.award_id),
            commendation_type=body.commendation_type, year=body.year, title=body.title,
            movement_reference=body.movement_reference,
            persons=[by_person[i] for i in body.person_ids],
            units=[by_unit[i] for i in body.unit_ids])
    except DossierInvalid as error:
        raise from_service(error) from None
    return batch_out(db.session, batch, current_locale())


@operation("POST", "/batches/{batch_id}/documents", summary="Upload a shared document",
           description="`multipart/form-data` with `doc_type` (one of the batch's "
                       "`document_types`) and the file in `file`, checked like a dossier "
                       "upload. Stored once and copied onto every dossier of the batch that "
                       "can still change; `outcomes` names the others.",
           tags=["batches"], roles=EDITOR_ROLES, form=UploadForm, files=("file",),
           response=BatchUploadOut, status=201, errors=[404])
def upload_batch_document(batch_id: int, form: UploadForm,
                          files: dict[str, FileStorage]) -> BatchUploadOut:
    actor = caller()
    batch = visible_batch_or_404(db.session, actor, batch_id)
    dossiers = batch_service.batch_dossiers(db.session, batch)
    incoming = files["file"]
    shared, outcomes = batch_service.add_batch_document(
        db.session, batch, actor, doc_type=form.doc_type, filename=incoming.filename or "",
        data=incoming.read(), storage=app_storage(ATTACHMENTS),
        max_size=current_config().max_content_length,
        allowed_types=batch_service.upload_document_types(dossiers))
    return BatchUploadOut(document=batch_document_out(shared), outcomes=outcomes_out(outcomes))


@operation("GET", "/batches/{batch_id}/documents/{document_id}",
           summary="Download a shared document", tags=["batches"], roles=READERS,
           errors=[404], raw_content_type=DOWNLOAD_TYPES)
def download_batch_document(batch_id: int, document_id: int):
    batch = visible_batch_or_404(db.session, caller(), batch_id)
    document = db.session.get(BatchDocument, document_id)
    if document is None or document.batch_id != batch.id:
        abort(404)
    return send_stored(ATTACHMENTS, document.sha256, document.filename, document.mimetype)


@operation("DELETE", "/batches/{batch_id}/documents/{document_id}",
           summary="Remove a shared document",
           description="Also from every dossier of the batch that can still change; the "
                       "others keep it (`outcomes`).",
           tags=["batches"], roles=EDITOR_ROLES, response=BatchOutcomes, errors=[404])
def remove_batch_document(batch_id: int, document_id: int) -> BatchOutcomes:
    actor = caller()
    batch = visible_batch_or_404(db.session, actor, batch_id)
    outcomes = batch_service.remove_batch_document(db.session, batch, document_id, actor)
    return BatchOutcomes(outcomes=outcomes_out(outcomes))


@operation("POST", "/batches/{batch_id}/submit", summary="Submit the batch's complete dossiers",
           description="Fires `submit` (or `resubmit` after a return) on every dossier of the "
                       "batch still with the unit, each through the engine on its own; one "
                       "the engine refuses stays as it was, with the reason in `outcomes`. "
                       "Dossiers already sent are not listed.",
           tags=["batches"], roles=EDITOR_ROLES, response=BatchOutcomes, errors=[404])
def submit_batch(batch_id: int) -> BatchOutcomes:
    actor = caller()
    batch = visible_batch_or_404(db.session, actor, batch_id)
    return BatchOutcomes(outcomes=outcomes_out(
        batch_service.submit_complete(db.session, batch, actor)))

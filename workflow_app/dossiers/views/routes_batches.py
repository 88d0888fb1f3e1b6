"""Batches: one covering letter, many nominees, tracked and submitted together."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.attachments.storage import ATTACHMENTS
from workflow_app.catalogue.service.queries import titles_and_forms_in_force
from workflow_app.dossiers.service import batches as batch_service
from workflow_app.dossiers.service import offers
from workflow_app.dossiers.service.access import (
    is_editable,
    may_submit_for,
    visible_batch_or_404,
    visible_condition,
)
from workflow_app.dossiers.service.clock import clock_of
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.fields import DossierInvalid
from workflow_app.dossiers.service.labels import doc_type_label
from workflow_app.dossiers.views import choices as offer
from workflow_app.dossiers.views.blueprint import bp
from workflow_app.dossiers.views.forms import BatchForm, UploadForm
from workflow_app.dossiers.views.pages import max_upload_bytes, storage, user
from workflow_app.dossiers.views.routes_edit import add_error
from workflow_app.downloads import send_stored
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.batch import BatchDocument, DossierBatch
from workflow_app.models.catalogue import Award
from workflow_app.models.org import OrgUnit
from workflow_app.workflow import WorkflowError
from workflow_app.workflow.guards import missing_items

BATCH_LIST_LIMIT = 100


def _visible_batch_or_404(batch_id: int) -> DossierBatch:
    return visible_batch_or_404(db.session, user(), batch_id)


@bp.get("/batches/")
def batches():
    viewer = user()
    rows = db.session.scalars(
        select(DossierBatch).join(OrgUnit, DossierBatch.unit_id == OrgUnit.id)
        .where(visible_condition(viewer)).options(selectinload(DossierBatch.unit))
        .order_by(DossierBatch.id.desc()).limit(BATCH_LIST_LIMIT)).all()
    return render_template("dossiers/batches.html", batches=rows,
                           may_create=bool(offers.submitting_units(viewer)))


@bp.route("/batches/new", methods=["GET", "POST"])
def new_batch():
    viewer = user()
    locale = current_locale()
    units = offers.submitting_units(viewer)
    if not units:
        abort(403)
    today = today_vn()
    form = BatchForm() if request.method == "POST" else BatchForm(
        data={"year": today.year, "unit": units[0].id})
    persons = offers.persons_in(db.session, units)
    nominee_units = offers.units_in(db.session, units)
    form.unit.choices = offer.unit_choices(units, locale, blank=False)
    form.persons.choices = offer.person_checkboxes(persons, locale)
    form.units.choices = offer.unit_choices(nominee_units, locale, blank=False)
    form.award.choices = offer.award_choices(
        titles_and_forms_in_force(db.session, today), locale)
    form.commendation_type.choices = offer.commendation_choices()
    if form.validate_on_submit():
        by_person = {p.id: p for p in persons}
        by_unit = {u.id: u for u in nominee_units}
        try:
            batch = batch_service.create_batch(
                db.session, viewer, unit={u.id: u for u in units}[form.unit.data],
                award=db.session.get(Award, form.award.data),
                commendation_type=form.commendation_type.data, year=form.year.data,
                title=form.title.data, movement_reference=form.movement_reference.data,
                persons=[by_person[i] for i in form.persons.data or []],
                units=[by_unit[i] for i in form.units.data or []])
            db.session.commit()
        except DossierInvalid as error:
            db.session.rollback()
            add_error(form, {"nominee": "persons", "nominees": "persons"}.get(
                error.field, error.field), error.message)
        else:
            flash(_("Batch created with %(count)d draft dossiers. Upload the covering letter "
                    "once here; it is added to every dossier.",
                    count=len(batch_service.batch_dossiers(db.session, batch))), "success")
            return redirect(url_for("dossiers.batch", batch_id=batch.id))
    status = 422 if request.method == "POST" else 200
    return render_template("dossiers/batch_new.html", form=form,
                           fixed_unit=units[0] if len(units) == 1 else None), status


def _batch_upload_form(batch: DossierBatch, dossiers, form: UploadForm | None = None):
    form = form or UploadForm()
    form.doc_type.choices = offer.doc_type_choices(batch_service.upload_document_types(dossiers))
    return form


def render_batch(batch: DossierBatch, *, status: int = 200, form: UploadForm | None = None,
                 error: str | None = None):
    viewer = user()
    dossiers = batch_service.batch_dossiers(db.session, batch)
    today = today_vn()
    may_act = may_submit_for(viewer, batch.unit)
    return render_template(
        "dossiers/batch.html", batch=batch, dossiers=dossiers, may_act=may_act,
        clocks={d.id: clock_of(d) for d in dossiers},
        missing={d.id: missing_items(d, today) for d in dossiers if is_editable(d)},
        upload_form=_batch_upload_form(batch, dossiers, form) if may_act else None,
        any_editable=any(is_editable(d) for d in dossiers), error=error,
    ), status


@bp.get("/batches/<int:batch_id>")
def batch(batch_id: int):
    return render_batch(_visible_batch_or_404(batch_id))


def _report(outcomes, done_message: Callable[[int], str], *, sending: bool = False) -> None:
    """One success message for what was done, one warning per dossier left as it was."""
    done = [o for o in outcomes if o.done]
    if done:
        flash(done_message(len(done)), "success")
    for outcome in outcomes:
        if outcome.done:
            continue
        values = {"id": outcome.dossier.id, "nominee": outcome.dossier.nominee_name,
                  "reason": outcome.reason}
        flash(_("Dossier #%(id)d (%(nominee)s) was not sent: %(reason)s", **values) if sending
              else _("Dossier #%(id)d (%(nominee)s) was not changed: %(reason)s", **values),
              "warning")


@bp.post("/batches/<int:batch_id>/documents")
def batch_upload(batch_id: int):
    actor = user()
    batch = _visible_batch_or_404(batch_id)
    dossiers = batch_service.batch_dossiers(db.session, batch)
    form = _batch_upload_form(batch, dossiers, UploadForm())
    if not form.validate_on_submit():
        return render_batch(batch, status=422, form=form)
    try:
        shared, outcomes = batch_service.add_batch_document(
            db.session, batch, actor, doc_type=form.doc_type.data,
            filename=form.file.data.filename or "", data=form.file.data.read(),
            storage=storage(), max_size=max_upload_bytes(),
            allowed_types=[choice.value for choice in form.doc_type.choices])
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        form.file.errors = [*form.file.errors, str(error.description)]
        return render_batch(_visible_batch_or_404(batch_id), status=error.code, form=form,
                            error=str(error.description))
    label = doc_type_label(shared.doc_type)
    _report(outcomes, lambda n: ngettext("%(type)s added to %(num)d dossier.",
                                         "%(type)s added to %(num)d dossiers.", n, type=label))
    return redirect(url_for("dossiers.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/documents/<int:document_id>/remove")
def batch_remove(batch_id: int, document_id: int):
    actor = user()
    batch = _visible_batch_or_404(batch_id)
    try:
        outcomes = batch_service.remove_batch_document(db.session, batch, document_id, actor)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        return render_batch(_visible_batch_or_404(batch_id), status=error.code,
                            error=str(error.description))
    _report(outcomes, lambda n: ngettext("Document removed from %(num)d dossier.",
                                         "Document removed from %(num)d dossiers.", n))
    return redirect(url_for("dossiers.batch", batch_id=batch_id))


@bp.get("/batches/<int:batch_id>/documents/<int:document_id>")
def batch_download(batch_id: int, document_id: int, inline: bool = False):
    batch = _visible_batch_or_404(batch_id)
    document = db.session.get(BatchDocument, document_id)
    if document is None or document.batch_id != batch.id:
        abort(404)
    return send_stored(ATTACHMENTS, document.sha256, document.filename, document.mimetype,
                       inline=inline)


@bp.get("/batches/<int:batch_id>/documents/<int:document_id>/view")
def batch_view(batch_id: int, document_id: int):
    """A shared document shown in the page ("Xem": PDF or image), under the download's
    checks; any other type is downloaded."""
    return batch_download(batch_id, document_id, inline=True)


@bp.post("/batches/<int:batch_id>/submit")
def batch_submit(batch_id: int):
    actor = user()
    batch = _visible_batch_or_404(batch_id)
    try:
        outcomes = batch_service.submit_complete(db.session, batch, actor)
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        return render_batch(_visible_batch_or_404(batch_id), status=error.code,
                            error=str(error.description))
    if not outcomes:
        flash(_("No dossier of this batch is waiting to be sent."), "info")
    _report(outcomes, lambda n: ngettext("%(num)d dossier submitted.",
                                         "%(num)d dossiers submitted.", n), sending=True)
    return redirect(url_for("dossiers.batch", batch_id=batch_id))


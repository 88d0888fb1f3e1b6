"""Opening a dossier and changing its fields (submitters, while a draft or returned)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow_app.catalogue.service.queries import titles_and_forms_in_force
from workflow_app.dossiers.service import offers
from workflow_app.dossiers.service.access import (
    is_editable,
    may_submit_for,
    visible_dossier_or_404,
)
from workflow_app.dossiers.service.dossiers import (
    NotEditable,
    create_dossier,
    edit_dossier,
    today_vn,
)
from workflow_app.dossiers.service.fields import (
    DEFAULT_SECTION_HEADINGS,
    DossierInvalid,
    has_report_sections,
)
from workflow_app.dossiers.views import choices as offer
from workflow_app.dossiers.views.blueprint import bp
from workflow_app.dossiers.views.forms import (
    EXTRA_SECTION_SLOTS,
    DossierDetailsForm,
    NewDossierForm,
)
from workflow_app.dossiers.views.pages import render_dossier, user
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.catalogue import Award
from workflow_app.workflow import WorkflowError

# A service's field name → the form field that shows its error.
ERROR_FIELDS = {"nominee": "person", "sections": "sections"}


def add_error(form, field_name: str, message: str) -> None:
    field = getattr(form, ERROR_FIELDS.get(field_name, field_name), None)
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


def _sections(form) -> list[dict[str, str]]:
    return [{"heading": entry.heading.data or "", "body": entry.body.data or ""}
            for entry in form.sections]


def _slots(sections: list[dict]) -> list[dict]:
    return list(sections) + [{"heading": "", "body": ""}] * EXTRA_SECTION_SLOTS


def _detail_values(form) -> dict:
    return {
        "commendation_type": form.commendation_type.data, "year": form.year.data,
        "year_from": form.year_from.data, "movement_reference": form.movement_reference.data,
        "title": form.title.data, "summary": form.summary.data,
    }


@bp.route("/new", methods=["GET", "POST"])
def new():
    viewer = user()
    locale = current_locale()
    units = offers.submitting_units(viewer)
    if not units:
        abort(403)
    today = today_vn()
    if request.method == "POST":
        form = NewDossierForm()
    else:
        form = NewDossierForm(data={"year": today.year, "unit": units[0].id, "sections": _slots(
            [{"heading": h, "body": ""} for h in DEFAULT_SECTION_HEADINGS])})
    persons = offers.persons_in(db.session, units)
    nominee_units = offers.units_in(db.session, units)
    form.unit.choices = offer.unit_choices(units, locale, blank=False)
    form.person.choices = offer.person_choices(persons, locale)
    form.nominee_unit.choices = offer.unit_choices(nominee_units, locale)
    form.award.choices = offer.award_choices(
        titles_and_forms_in_force(db.session, today), locale)
    form.commendation_type.choices = offer.commendation_choices()
    if form.validate_on_submit():
        dossier = _create(form, viewer, {u.id: u for u in units}, {p.id: p for p in persons},
                          {u.id: u for u in nominee_units})
        if dossier is not None:
            flash(_("Dossier #%(id)d opened as a draft. Add its documents, then submit it.",
                    id=dossier.id), "success")
            return redirect(url_for("dossiers.detail", dossier_id=dossier.id))
    status = 422 if request.method == "POST" else 200
    fixed_unit = units[0] if len(units) == 1 else None
    return render_template("dossiers/form.html", form=form, dossier=None,
                           show_sections=True, fixed_unit=fixed_unit), status


def _create(form, viewer, units, persons, nominee_units):
    person = persons.get(form.person.data) if form.nominee_kind.data == "person" else None
    nominee_unit = (nominee_units.get(form.nominee_unit.data)
                    if form.nominee_kind.data == "unit" else None)
    if form.nominee_kind.data == "person" and person is None:
        add_error(form, "person", _("Choose the person nominated."))
        return None
    if form.nominee_kind.data == "unit" and nominee_unit is None:
        add_error(form, "nominee_unit", _("Choose the unit nominated."))
        return None
    try:
        dossier = create_dossier(
            db.session, viewer, unit=units[form.unit.data], person=person,
            nominee_unit=nominee_unit, award=db.session.get(Award, form.award.data),
            report_sections=_sections(form), **_detail_values(form))
        db.session.commit()
    except DossierInvalid as error:
        db.session.rollback()
        add_error(form, error.field, error.message)
        return None
    return dossier


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
def edit(dossier_id: int):
    viewer = user()
    locale = current_locale()
    dossier = visible_dossier_or_404(db.session, viewer, dossier_id)
    if not may_submit_for(viewer, dossier.unit):
        abort(403)
    if not is_editable(dossier):
        return render_dossier(dossier, status=409, error=str(NotEditable().description))
    show_sections = has_report_sections(dossier.workflow)
    if request.method == "POST":
        form = DossierDetailsForm()
    else:
        form = DossierDetailsForm(data={
            "version": dossier.version, "award": dossier.award_id,
            "commendation_type": dossier.commendation_type, "year": dossier.year,
            "year_from": dossier.year_from, "movement_reference": dossier.movement_reference,
            "title": dossier.title, "summary": dossier.summary,
            "sections": _slots(dossier.report_sections or []) if show_sections else []})
    _award_choices(form, dossier, locale)
    form.commendation_type.choices = offer.commendation_choices()
    status = 200
    if form.validate_on_submit():
        changes = _detail_values(form)
        if show_sections:
            changes["report_sections"] = _sections(form)
        try:
            event = edit_dossier(db.session, dossier, viewer, form.version.data,
                                 award=db.session.get(Award, form.award.data), **changes)
            db.session.commit()
        except DossierInvalid as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        except WorkflowError as error:
            db.session.rollback()
            form.form_errors.append(str(error.description))
            status = error.code
        else:
            flash(_("Changes saved.") if event else _("Nothing was changed."), "success")
            return redirect(url_for("dossiers.detail", dossier_id=dossier.id))
    if request.method == "POST" and status == 200:
        status = 422
    return render_template("dossiers/form.html", form=form, dossier=dossier,
                           show_sections=show_sections), status


def _award_choices(form, dossier, locale: str) -> None:
    if dossier.award_version_id is not None:  # fixed at receipt: shown, not changeable
        form.award.choices = [offer.current_award_choice(dossier, locale)]
        return
    versions = titles_and_forms_in_force(db.session, today_vn())
    pairs = list(offer.award_choices(versions, locale,
                                     person=dossier.nominee_person_id is not None))
    if all(choice.value != dossier.award_id for choice in pairs):
        pairs.insert(0, offer.current_award_choice(dossier, locale))
    form.award.choices = pairs

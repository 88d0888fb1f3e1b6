"""Entering one registry row by hand from a person's or a unit's page: an award, a rating,
an initiative. Each POST validates the form, calls one service, commits once and returns to
the page; a refusal shows the page again with the form's errors (422) and nothing written."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from workflow_app.catalogue.service.queries import today_local
from workflow_app.extensions import db
from workflow_app.models.org import OrgUnit
from workflow_app.registry.service import entries
from workflow_app.registry.service.entries import EntryError, Recipient
from workflow_app.registry.views.entry_forms import build
from workflow_app.registry.views.pages import (
    bp,
    render_person,
    render_unit,
    visible_person_or_404,
)
from workflow_app.security import roles_required
from workflow_app.workflow import WorkflowError

DONE = {"award": _l("The award is entered in the registry."),
        "rating": _l("The rating is entered in the registry."),
        "initiative": _l("The initiative is entered in the registry.")}


def _save(kind: str, recipient: Recipient, form) -> None:
    today = today_local()
    user = current_user._get_current_object()
    if kind == "award":
        entries.add_award(db.session, user, recipient, award_code=form.award_code.data,
                          year=form.year.data, decision_number=form.decision_number.data,
                          decision_date=form.decision_date.data, issuer=form.issuer.data or "",
                          today=today)
    elif kind == "rating":
        entries.add_rating(db.session, user, recipient, year=form.year.data,
                           rating=form.rating.data, today=today)
    else:
        entries.add_initiative(db.session, user, recipient.person, year=form.year.data,
                               title=form.title.data, scope=form.scope.data,
                               kind=form.kind.data, recognised_by=form.recognised_by.data or "",
                               today=today)


def _enter(kind: str, recipient: Recipient, render, target: str):
    if not entries.may_enter(current_user._get_current_object(), recipient):
        abort(403)
    form = build(kind, recipient, request.form)
    if form.validate_on_submit():
        try:
            _save(kind, recipient, form)
            db.session.commit()
        except (EntryError, WorkflowError) as error:
            db.session.rollback()
            form.form_errors.append(str(getattr(error, "message", None) or error.description))
        else:
            flash(str(DONE[kind]), "success")
            return redirect(target, code=303)
    return render(recipient.person or recipient.unit, {kind: form}, 422)


PERSON_KINDS = ("award", "rating", "initiative")
UNIT_KINDS = ("award", "rating")


@bp.route("/persons/<int:person_id>/entries/<kind>", methods=["POST"])
@roles_required(*entries.ROLES)
def person_entry(person_id: int, kind: str):
    if kind not in PERSON_KINDS:
        abort(404)
    person = visible_person_or_404(person_id)
    return _enter(kind, Recipient(person=person), render_person,
                  url_for("registry.person", person_id=person.id))


@bp.route("/units/<int:unit_id>/entries/<kind>", methods=["POST"])
@roles_required(*entries.ROLES)
def unit_entry(unit_id: int, kind: str):
    if kind not in UNIT_KINDS:
        abort(404)
    unit = db.get_or_404(OrgUnit, unit_id)
    return _enter(kind, Recipient(unit=unit), render_unit,
                  url_for("registry.unit", unit_id=unit.id))

"""Admin views: organisation units."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.admin.views.blueprint import bp
from workflow_app.admin.views.formflow import submit
from workflow_app.admin.views.forms import UnitForm
from workflow_app.extensions import db
from workflow_app.formkit import choices, unit_choices
from workflow_app.labels import unit_kind_label
from workflow_app.models.org import UNIT_KINDS, OrgUnit
from workflow_app.org.service import units as service


def _form(obj: OrgUnit | None = None) -> UnitForm:
    form = UnitForm(obj=obj)
    form.kind.choices = choices((kind, unit_kind_label(kind)) for kind in UNIT_KINDS)
    form.parent_id.choices = unit_choices(blank=_("— top level —"))
    if obj is not None and request.method == "GET":
        form.parent_id.data = obj.parent_id or 0
    return form


@bp.route("/units")
def units():
    rows = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    return render_template("admin/units.html", units=rows)


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int | None = None):
    unit = db.session.get(OrgUnit, unit_id) if unit_id else None
    if unit_id and unit is None:
        abort(404)
    form = _form(unit)

    def save():
        parent = db.session.get(OrgUnit, form.parent_id.data) if form.parent_id.data else None
        fields = {"code": form.code.data, "name": form.name.data,
                  "name_en": form.name_en.data or "", "kind": form.kind.data,
                  "symbol": form.symbol.data or "",
                  "founding_ground": " ".join((form.founding_ground.data or "").split()),
                  "head_title": form.head_title.data or ""}
        if unit is None:
            return service.create_unit(db.session, parent=parent, actor=current_user, **fields)
        return service.update_unit(db.session, unit, parent=parent, actor=current_user,
                                   **fields)

    response, status = submit(form, save, service.UnitError, _("Unit saved."),
                              lambda _unit: url_for("admin.units"))
    if response:
        return response
    return render_template("admin/unit_edit.html", form=form, unit=unit), status

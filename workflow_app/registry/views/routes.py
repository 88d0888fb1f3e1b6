"""Registry pages. Persons are scoped (`org.service.scope`: 404 outside scope); the import is for
admins and reviewers; overrides and quota exceptions for reviewers of the dossier's unit."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from workflow_app.dossiers.service.access import visible_dossier_or_404
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.eligibility.service import quotas
from workflow_app.eligibility.service.dossier import (
    OverrideError,
    override_rule,
)
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit
from workflow_app.registry.service import exports, importer, layout, queries
from workflow_app.registry.views.forms import (
    ImportForm,
    OverrideForm,
    ReviewerQuotaExceptionForm,
    SearchForm,
)
from workflow_app.registry.views.pages import (
    back_url,
    bp,
    render_person,
    render_unit,
    viewer,
    visible_person_or_404,
)
from workflow_app.security import roles_required
from workflow_app.signing import confirm_identity, keep_typed


@bp.route("/")
def search():
    form = SearchForm(request.args)
    query = form.q.data or "" if form.validate() else ""
    page = request.args.get("page", 1, type=int) or 1
    return render_template(
        "registry/search.html", form=form, query=query,
        persons=queries.search_persons(db.session, viewer(), query, page=page),
        units=queries.search_units(db.session, viewer(), query, page=page))


@bp.route("/persons/<int:person_id>")
def person(person_id: int):
    return render_person(visible_person_or_404(person_id))


@bp.route("/units/<int:unit_id>")
def unit(unit_id: int):
    return render_unit(db.get_or_404(OrgUnit, unit_id))


@bp.route("/persons/<int:person_id>/export.xlsx")
def person_export(person_id: int):
    """The person's registry (awards, ratings, initiatives) as XLSX."""
    person = visible_person_or_404(person_id)
    return send_xlsx(f"so-khen-thuong-ca-nhan-{person.id}.xlsx",
                     exports.person_sheets(db.session, person, current_locale()))


@bp.route("/units/<int:unit_id>/export.xlsx")
def unit_export(unit_id: int):
    """The unit's own registry (awards as a collective, ratings) as XLSX."""
    unit = db.get_or_404(OrgUnit, unit_id)
    return send_xlsx(f"so-khen-thuong-tap-the-{unit.code}.xlsx",
                     exports.unit_sheets(db.session, unit, current_locale()))


@bp.route("/import", methods=["GET", "POST"])
@roles_required("admin", "reviewer")
def import_page():
    form = ImportForm()
    plan = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(layout.MAX_BYTES + 1)
        plan = importer.validate(db.session, data)
        if plan.ok and not form.dry_run.data:
            importer.apply(db.session, plan, actor=viewer(), filename=upload.filename or "")
            db.session.commit()
            flash(_("Imported: %(awards)d awards, %(ratings)d ratings, %(initiatives)d "
                    "initiatives.", **plan.counts), "success")
            return redirect(url_for("registry.import_page"))
        db.session.rollback()
    status = 422 if (plan is not None and not plan.ok) or form.errors else 200
    return render_template("registry/import.html", form=form, plan=plan), status


@bp.route("/import/template.xlsx")
@roles_required("admin", "reviewer")
def import_template():
    return Response(layout.template_bytes(), mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": "attachment; filename=registry-import-template.xlsx"})


@bp.route("/dossiers/<int:dossier_id>/override", methods=["POST"])
@roles_required("reviewer")
def override(dossier_id: int):
    user = viewer()
    dossier = visible_dossier_or_404(db.session, user, dossier_id)
    if not user.can_see_unit(dossier.unit, "reviewer"):
        abort(403)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the override."), "danger")
        return redirect(back_url()), 303
    problem = confirm_identity(form, "override")
    if problem is not None:  # nothing recorded; the reason typed is kept for the page
        keep_typed(f"override-{dossier.id}-{form.rule_id.data}", form.reason.data)
        flash(problem, "danger")
        return redirect(back_url()), 303
    try:
        override_rule(db.session, dossier, form.rule_id.data, form.reason.data, user)
    except OverrideError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back_url()), 303
    db.session.commit()
    flash(_("The override is recorded."), "success")
    return redirect(back_url()), 303


@bp.route("/quota-exceptions", methods=["POST"])
@roles_required("reviewer", "admin")
def quota_exception():
    form = ReviewerQuotaExceptionForm()
    back = back_url()
    unit = db.session.get(OrgUnit, int(form.unit_id.data or 0)) if (
        form.unit_id.data or "").isdigit() else None
    if unit is None or not form.validate_on_submit():
        flash(_("Give the reason for exceeding the quota."), "danger")
        return redirect(back), 303
    user = viewer()
    if not (user.has_role("admin") or user.can_see_unit(unit, "reviewer")):
        abort(403)
    problem = confirm_identity(form, "quota_exception")
    if problem is not None:  # nothing recorded; the reason typed is kept for the page
        keep_typed(f"quota-{unit.id}-{form.award_code.data}-{form.year.data}", form.reason.data)
        flash(problem, "danger")
        return redirect(back), 303
    try:
        quotas.record_quota_exception(db.session, unit, form.award_code.data, form.year.data,
                                      form.reason.data, user)
    except quotas.QuotaExceptionError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back), 303
    db.session.commit()
    flash(_("The decision to exceed the quota is recorded."), "success")
    return redirect(back), 303


from workflow_app.registry.views import routes_entries  # noqa: E402, F401 - registers the entry views

"""Registry pages. Persons are scoped (`org.service.scope`: 404 outside scope); the import is for
admins and reviewers; overrides and quota exceptions for reviewers of the dossier's unit."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.dossiers.service.access import visible_dossier_or_404
from workflow_app.eligibility.service import quotas
from workflow_app.eligibility.service.dossier import (
    OverrideError,
    override_rule,
    person_eligibility,
)
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit, Person
from workflow_app.org.service import scope
from workflow_app.registry.service import importer, layout, queries
from workflow_app.registry.service.entries import Recipient
from workflow_app.registry.service.labels import registry_labels
from workflow_app.registry.views.entry_forms import entry_forms
from workflow_app.registry.views.forms import (
    ImportForm,
    OverrideForm,
    QuotaExceptionForm,
    SearchForm,
)
from workflow_app.security import roles_required

bp = Blueprint("registry", __name__, url_prefix="/registry")
bp.app_context_processor(registry_labels)


@bp.app_context_processor
def quota_helpers() -> dict:
    """`agenda_quota_flags(meeting)` for the council session page's quota panel."""
    from workflow_app.eligibility.service.council_quotas import agenda_quota_flags

    return {"agenda_quota_flags": lambda meeting: agenda_quota_flags(db.session, meeting)}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user():
    return current_user._get_current_object()


def _back() -> str:
    """Where a POST from a partial returns: its `next` field when it is a local path."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("registry.search")


@bp.route("/")
def search():
    form = SearchForm(request.args)
    query = form.q.data or "" if form.validate() else ""
    return render_template(
        "registry/search.html", form=form, query=query,
        persons=queries.search_persons(db.session, _user(), query),
        units=queries.search_units(db.session, query))


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 1945 <= year <= 2200 else today_local().year


def visible_person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not scope.can_see_person(_user(), person):
        abort(404)
    return person


def render_person(person: Person, forms: dict | None = None, status: int = 200):
    """The person's page; `forms` holds a refused entry form to show with its errors."""
    year, today = _year(), today_local()
    return render_template(
        "registry/person.html", person=person, year=year,
        names=award_names(db.session, current_locale(), today),
        awards=queries.awards_of(db.session, person=person),
        ratings=queries.ratings_of(db.session, person),
        initiatives=queries.initiatives_of(db.session, person),
        eligibility=person_eligibility(db.session, person, year, today),
        entry_forms=entry_forms(Recipient(person=person), forms)), status


@bp.route("/persons/<int:person_id>")
def person(person_id: int):
    return render_person(visible_person_or_404(person_id))


def render_unit(unit: OrgUnit, forms: dict | None = None, status: int = 200):
    return render_template(
        "registry/unit.html", unit=unit,
        names=award_names(db.session, current_locale(), today_local()),
        awards=queries.awards_of(db.session, unit=unit),
        ratings=queries.unit_ratings_of(db.session, unit),
        entry_forms=entry_forms(Recipient(unit=unit), forms)), status


@bp.route("/units/<int:unit_id>")
def unit(unit_id: int):
    return render_unit(db.get_or_404(OrgUnit, unit_id))


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
            importer.apply(db.session, plan, actor=_user(), filename=upload.filename or "")
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
    return Response(layout.template_bytes(), mimetype=XLSX, headers={
        "Content-Disposition": "attachment; filename=registry-import-template.xlsx"})


@bp.route("/dossiers/<int:dossier_id>/override", methods=["POST"])
@roles_required("reviewer")
def override(dossier_id: int):
    user = _user()
    dossier = visible_dossier_or_404(db.session, user, dossier_id)
    if not user.can_see_unit(dossier.unit, "reviewer"):
        abort(403)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the override."), "danger")
        return redirect(_back()), 303
    try:
        override_rule(db.session, dossier, form.rule_id.data, form.reason.data, user)
    except OverrideError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(_back()), 303
    db.session.commit()
    flash(_("The override is recorded."), "success")
    return redirect(_back()), 303


@bp.route("/quota-exceptions", methods=["POST"])
@roles_required("reviewer", "admin")
def quota_exception():
    form = QuotaExceptionForm()
    back = _back()
    unit = db.session.get(OrgUnit, int(form.unit_id.data or 0)) if (
        form.unit_id.data or "").isdigit() else None
    if unit is None or not form.validate_on_submit():
        flash(_("Give the reason for exceeding the quota."), "danger")
        return redirect(back), 303
    user = _user()
    if not (user.has_role("admin") or user.can_see_unit(unit, "reviewer")):
        abort(403)
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

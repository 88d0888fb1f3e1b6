"""Award catalogue pages: read-only for every signed-in user, reload for admins."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app import i18n
from workflow_app.catalogue.service import queries, words
from workflow_app.catalogue.service.errors import CatalogueError
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.catalogue.views.forms import ReloadForm
from workflow_app.extensions import db
from workflow_app.formkit import day_format_message, parse_day
from workflow_app.security import roles_required

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")

MAX_FLASHED_PROBLEMS = 20


@bp.context_processor
def _words():
    return words.template_globals()


def _names(day: date) -> dict[str, str]:
    return queries.award_names(db.session, i18n.current_locale(), day)


@bp.route("/")
def index():
    """Awards in force on a day (today by default, `?on=dd/mm/yyyy` or ISO for another)."""
    day, error = queries.today_local(), None
    if request.args.get("on"):
        try:
            day = parse_day(request.args["on"]) or day
        except ValueError:
            error = _("“%(value)s” is not a date. %(hint)s", value=request.args["on"][:40],
                      hint=day_format_message())
    grouped = queries.versions_in_force(db.session, day)
    page = render_template("catalogue/index.html", grouped=grouped, day=day, error=error,
                           award_names=_names(day))
    return page, 400 if error else 200


@bp.route("/admin")
@roles_required("admin")
def admin():
    return render_template("catalogue/admin.html", versions=queries.all_versions(db.session),
                           form=ReloadForm())


@bp.route("/admin/reload", methods=["POST"])
@roles_required("admin")
def reload():
    """Run the loader on the catalogue files; report the outcome as a flash message."""
    form = ReloadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = load_catalogue(db.session, current_app.config.get("CATALOGUE_DIR"),
                                actor=current_user._get_current_object())
    except CatalogueError as exc:
        db.session.rollback()
        flash(_("The catalogue was not reloaded; nothing changed. Problems found: %(count)d.",
                count=len(exc.problems)), "error")
        for problem in exc.problems[:MAX_FLASHED_PROBLEMS]:
            flash(str(problem), "error")
        return redirect(url_for("catalogue.admin"))
    db.session.commit()
    flash(_("Catalogue reloaded: %(added)d added, %(changed)d changed, %(restored)d restored, "
            "%(withdrawn)d withdrawn, %(unchanged)d unchanged.",
            **{action: result.count(action) for action in
               ("added", "changed", "restored", "withdrawn", "unchanged")}), "success")
    return redirect(url_for("catalogue.admin"))


@bp.route("/<code>")
def detail(code: str):
    award = queries.award_by_code(db.session, code)
    if award is None or not award.versions:
        abort(404)
    today = queries.today_local()
    current = award.version_on(today)
    return render_template("catalogue/detail.html", award=award, today=today, current=current,
                           shown=current or award.versions[0], award_names=_names(today))

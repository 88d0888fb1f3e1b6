"""Scoring pages: a movement's or a cluster's criteria table (new), its overview (criteria,
bands, ranking with ties named, lock and publish), and one member's score sheet (its own
scores and evidence notes; the assessor's scores and reasons).

Each POST validates its form, calls one service, commits once and redirects; a refusal
shows the page again with the reason (422), nothing written.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.attachments.storage import ATTACHMENTS
from workflow_app.catalogue.service.queries import today_local
from workflow_app.council.service.acclamation import collective_titles
from workflow_app.downloads import send_stored
from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import current_locale
from workflow_app.models.catalogue import Award
from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.movements.service import files, year_end
from workflow_app.movements.service.movements import MovementError
from workflow_app.scoring.service import access, building, queries, results, scores
from workflow_app.scoring.service import ranking as ranks
from workflow_app.scoring.service.access import ScoringError
from workflow_app.scoring.service.criteria_rows import groups_from_rows
from workflow_app.scoring.service.labels import scoring_labels
from workflow_app.scoring.service.scores import ScoreInput
from workflow_app.scoring.views.forms import (
    DEFAULT_BANDS,
    AcclamationForm,
    SheetForm,
    TableForm,
    VersionForm,
)
from workflow_app.workflow import WorkflowError

bp = Blueprint("scoring", __name__, url_prefix="/scoring")
bp.app_context_processor(scoring_labels)


def viewer():
    return current_user._get_current_object()


def _message(error) -> str:
    return str(getattr(error, "message", None) or error.description)


@bp.route("/")
def index():
    user = viewer()
    rows = [t for t in queries.all_tables(db.session) if access.may_read(user, t, db.session)]
    clusters = [c for c in db.session.scalars(select(Cluster).order_by(Cluster.name))
                if user.can_see_unit(c.organiser, *access.ORGANISER_ROLES)]
    return render_template("scoring/index.html", rows=rows, clusters=clusters)


@bp.route("/new", methods=["GET", "POST"])
def new():
    movement = db.session.get(Movement, request.args.get("movement_id", type=int) or 0)
    cluster = db.session.get(Cluster, request.args.get("cluster_id", type=int) or 0)
    if (movement is None) == (cluster is None):
        abort(404)
    owner = movement.unit if movement is not None else cluster.organiser
    if not viewer().can_see_unit(owner, *access.ORGANISER_ROLES):
        abort(403)
    form = TableForm(request.form if request.method == "POST" else None,
                     data=None if request.method == "POST" else {"bands": list(DEFAULT_BANDS)})
    locale = current_locale()
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.is_active.is_(True))
                               .order_by(OrgUnit.path)).all()
    form.assessor_unit_id.choices = choices((u.id, u.display_name(locale)) for u in units)
    if request.method == "GET":
        year = movement.year if movement is not None else today_local().year
        form.year.data = year
        head = next((m.unit_id for m in (cluster.members_in(year) if cluster else [])
                     if m.role == "head"), None)
        form.assessor_unit_id.data = head or owner.id
    if request.method == "POST" and "more" in request.form:  # more blank rows, nothing saved
        form.add_criterion_rows()
        return render_template("scoring/new.html", form=form, movement=movement,
                               cluster=cluster)
    if form.validate_on_submit():
        try:
            table = building.create_table(
                db.session, viewer(), title=form.title.data, year=form.year.data,
                assessor=db.session.get(OrgUnit, form.assessor_unit_id.data),
                groups=groups_from_rows(form.criterion_rows()), bands=form.band_list(),
                movement=movement, cluster=cluster)
            db.session.commit()
        except (ScoringError, WorkflowError) as error:
            db.session.rollback()
            form.form_errors.append(_message(error))
        else:
            flash(_("The criteria table is saved: members may score themselves."), "success")
            return redirect(url_for("scoring.table", table_id=table.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("scoring/new.html", form=form, movement=movement,
                           cluster=cluster), status


def _readable(table_id: int):
    table = queries.table_or_404(db.session, table_id)
    if not access.may_read(viewer(), table, db.session):
        abort(404)
    return table


@bp.route("/<int:table_id>")
def table(table_id: int):
    table = _readable(table_id)
    user = viewer()
    members = access.members(db.session, table)
    sees_all = access.sees_all_units(user, table)
    return render_template(
        "scoring/table.html", table=table, members=members, locale=current_locale(),
        ranking=ranks.ranking(db.session, table) if sees_all else None,
        may_organise=access.may_organise(user, table),
        may_assess=access.may_assess(user, table),
        sheets={u.id for u in members if sees_all or access.may_self_score(user, u)},
        version_form=VersionForm(data={"version": str(table.version)}),
        acclamation_form=_acclamation_form(table) if table.cluster_id and
        table.status == "published" and access.may_organise(user, table) else None)


def _acclamation_form(table, form: AcclamationForm | None = None) -> AcclamationForm:
    """The titles a cluster acclaims units for (collective titles), by their names."""
    form = form or AcclamationForm(data={"seats": 1, "held_on": today_local()})
    locale = current_locale()
    form.award_id.choices = choices(
        (award.id, version.name(locale))
        for award, version in collective_titles(db.session, today_local()))
    return form


@bp.route("/<int:table_id>/acclamation", methods=["POST"])
def acclamation(table_id: int):
    """From the published ranking, open the cluster's acclamation vote for an award."""
    table = _readable(table_id)
    if not access.may_organise(viewer(), table):
        abort(403)
    form = _acclamation_form(table, AcclamationForm(request.form))
    if form.validate_on_submit():
        try:
            contest, proposed = year_end.acclamation_from_ranking(
                db.session, viewer(), table, db.session.get(Award, form.award_id.data),
                form.seats.data, held_on=form.held_on.data, today=today_local(),
                place=form.place.data or "")
            names = [db.session.get(OrgUnit, i).name for i in proposed]
            db.session.commit()
        except (MovementError, ScoringError, WorkflowError) as error:
            db.session.rollback()
            flash(_message(error), "danger")
        else:
            flash(_("The acclamation vote is open. Proposed from the ranking: %(units)s.",
                    units=", ".join(names)), "success")
            return redirect(url_for("council.acclamation_contest", contest_id=contest.id),
                            code=303)
    else:
        flash(_("Check the award, the number of units and the date."), "danger")
    return redirect(url_for("scoring.table", table_id=table_id), code=303)


@bp.route("/<int:table_id>/lock", methods=["POST"], defaults={"step": "lock"})
@bp.route("/<int:table_id>/publish", methods=["POST"], defaults={"step": "publish"})
def approve(table_id: int, step: str):
    table = _readable(table_id)
    form = VersionForm(request.form)
    if not form.validate_on_submit():
        abort(400)
    try:
        if step == "lock":
            results.lock_results(db.session, viewer(), table, form.version.data)
        else:
            results.publish_results(db.session, viewer(), table, form.version.data)
        db.session.commit()
    except (ScoringError, WorkflowError) as error:
        db.session.rollback()
        flash(_message(error), "danger")
    else:
        flash(_("The results are locked.") if step == "lock"
              else _("The results are published and written to the registry."), "success")
    return redirect(url_for("scoring.table", table_id=table_id), code=303)


def _sheet_side(table, unit) -> str | None:
    user = viewer()
    if table.status != "open":
        return None
    if access.may_assess(user, table) and unit.id != table.assessor_unit_id:
        return "assessor"
    if access.may_self_score(user, unit):
        return "self"
    return None


def _evidence(criterion_id: int) -> tuple[str, str] | None:
    upload = request.files.get(f"evidence-{criterion_id}")
    if upload is None or not upload.filename:
        return None
    return files.store(upload.read(), upload.filename)


@bp.route("/<int:table_id>/units/<int:unit_id>/evidence/<int:criterion_id>")
def evidence(table_id: int, unit_id: int, criterion_id: int):
    table = _readable(table_id)
    unit = db.get_or_404(OrgUnit, unit_id)
    user = viewer()
    if not (access.sees_all_units(user, table) or access.may_self_score(user, unit)):
        abort(404)
    entry = queries.entries_of(db.session, table, unit.id).get(criterion_id)
    if entry is None or not entry.evidence_sha256:
        abort(404)
    name = entry.evidence_filename or "minh-chung.pdf"
    return send_stored(ATTACHMENTS, entry.evidence_sha256, name, files.mimetype_of(name))


@bp.route("/<int:table_id>/units/<int:unit_id>", methods=["GET", "POST"])
def sheet(table_id: int, unit_id: int):
    table = _readable(table_id)
    unit = db.get_or_404(OrgUnit, unit_id)
    user = viewer()
    if unit.id not in {u.id for u in access.members(db.session, table)} or not (
            access.sees_all_units(user, table) or access.may_self_score(user, unit)):
        abort(404)
    side = _sheet_side(table, unit)
    problems: dict[int, str] = {}
    form = SheetForm(request.form if request.method == "POST" else None,
                     data={"version": str(table.version), "side": side or ""})
    status = 200
    if request.method == "POST":
        if side is None or form.side.data != side:
            abort(403)
        if form.validate_on_submit():
            try:
                inputs = [ScoreInput(c.id, request.form.get(f"points-{c.id}", ""),
                                     request.form.get(f"note-{c.id}", ""),
                                     _evidence(c.id) if side == "self" else None)
                          for c in queries.criteria_of(table)]
                scores.save_scores(db.session, user, table, unit, side, form.version.data,
                                   inputs)
                db.session.commit()
            except (ScoringError, WorkflowError) as error:
                db.session.rollback()
                form.form_errors.append(_message(error))
                problems = dict(getattr(error, "problems", None) or [])
            else:
                flash(_("The scores are saved."), "success")
                return redirect(url_for("scoring.sheet", table_id=table.id, unit_id=unit.id),
                                code=303)
        status = 422
    table = queries.table_or_404(db.session, table_id)
    return render_template("scoring/sheet.html", table=table, unit=unit, side=side, form=form,
                           entries=queries.entries_of(db.session, table, unit.id),
                           posted=request.form if status == 422 else None,
                           problems=problems,
                           locale=current_locale()), status

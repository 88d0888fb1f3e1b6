"""Pact pages: a cluster's pact for a year (text, targets, who signed and who has not), the
signatures, and next year's head and deputies elected at the year-end review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from workflow_app.catalogue.service.queries import today_local
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.movement import Pact
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.movements.service import pacts
from workflow_app.movements.service.pacts import PactError
from workflow_app.movements.views.forms import ElectionForm, PactForm, SignForm
from workflow_app.movements.views.pages import bp, unit_choices, viewer
from workflow_app.workflow import WorkflowError


def _message(error) -> str:
    return str(getattr(error, "message", None) or error.description)


@bp.route("/pacts")
def pact_index():
    rows = db.session.scalars(select(Pact).order_by(Pact.year.desc(), Pact.id)).all()
    user = viewer()
    clusters = [c for c in db.session.scalars(select(Cluster).order_by(Cluster.name))
                if pacts.is_organiser(user, c) or any(
                    m.role == "head" and user.can_see_unit(m.unit, *pacts.OFFICER_ROLES)
                    for m in c.memberships)]
    return render_template("movements/pacts.html", rows=rows, clusters=clusters,
                           year=today_local().year)


def _forms(cluster: Cluster, year: int, forms: dict):
    members = [m.unit for m in pacts.members_of(db.session, cluster, year)]
    user = viewer()
    sign_form = forms.get("sign") or SignForm(data={"signed_on": today_local()})
    sign_form.unit_id.choices = unit_choices(
        [u for u in members if pacts.is_organiser(user, cluster)
         or user.can_see_unit(u, *pacts.OFFICER_ROLES)])
    election = forms.get("elect") or ElectionForm()
    election.head_unit_id.choices = unit_choices(members)
    election.deputy_unit_ids.choices = unit_choices(members)
    return members, sign_form, election


def _render(cluster: Cluster, year: int, status: int = 200, forms: dict | None = None):
    forms = forms or {}
    pact = db.session.scalar(select(Pact).where(Pact.cluster_id == cluster.id,
                                                Pact.year == year))
    members, sign_form, election = _forms(cluster, year, forms)
    pact_form = forms.get("pact") or PactForm(data={
        "text": pact.text if pact else "", "place": pact.signed_at_place if pact else "",
        "targets": "\n".join(pact.targets) if pact else ""})
    signed = {s.unit_id: s for s in (pact.signatures if pact else [])}
    return render_template(
        "movements/pact.html", cluster=cluster, year=year, pact=pact, members=members,
        signed=signed, locale=current_locale(), pact_form=pact_form, sign_form=sign_form,
        election=election, may_keep=pacts.may_keep(db.session, viewer(), cluster, year),
        is_organiser=pacts.is_organiser(viewer(), cluster),
        next_year=pacts.members_of(db.session, cluster, year + 1)), status


def _cluster(cluster_id: int, year: int) -> Cluster:
    if not 1945 <= year <= 2200:
        abort(404)
    return db.get_or_404(Cluster, cluster_id)


@bp.route("/pacts/<int:cluster_id>/<int:year>")
def pact(cluster_id: int, year: int):
    return _render(_cluster(cluster_id, year), year)


@bp.route("/pacts/<int:cluster_id>/<int:year>", methods=["POST"])
def save_pact(cluster_id: int, year: int):
    cluster = _cluster(cluster_id, year)
    if not pacts.may_keep(db.session, viewer(), cluster, year):
        abort(403)
    form = PactForm(request.form)
    if form.validate_on_submit():
        try:
            pacts.save_pact(db.session, viewer(), cluster, year, text=form.text.data,
                            targets=(form.targets.data or "").splitlines(),
                            place=form.place.data or "")
            db.session.commit()
        except (PactError, WorkflowError) as error:
            db.session.rollback()
            form.form_errors.append(_message(error))
        else:
            flash(_("The pact is saved."), "success")
            return redirect(url_for("movements.pact", cluster_id=cluster_id, year=year),
                            code=303)
    return _render(cluster, year, 422, {"pact": form})


@bp.route("/pacts/<int:cluster_id>/<int:year>/sign", methods=["POST"])
def sign_pact(cluster_id: int, year: int):
    cluster = _cluster(cluster_id, year)
    pact = db.session.scalar(select(Pact).where(Pact.cluster_id == cluster.id,
                                                Pact.year == year))
    if pact is None:
        abort(404)
    form = SignForm(request.form)
    _forms(cluster, year, {"sign": form})
    if form.validate_on_submit():
        try:
            pacts.sign(db.session, viewer(), pact, db.session.get(OrgUnit, form.unit_id.data),
                       signed_by=form.signed_by.data, on_behalf_of=form.on_behalf_of.data,
                       signed_on=form.signed_on.data, today=today_local())
            db.session.commit()
        except (PactError, WorkflowError) as error:
            db.session.rollback()
            form.form_errors.append(_message(error))
        else:
            flash(_("The signature is recorded."), "success")
            return redirect(url_for("movements.pact", cluster_id=cluster_id, year=year),
                            code=303)
    return _render(cluster, year, 422, {"sign": form})


@bp.route("/pacts/<int:cluster_id>/<int:year>/elect", methods=["POST"])
def elect(cluster_id: int, year: int):
    cluster = _cluster(cluster_id, year)
    form = ElectionForm(request.form)
    _forms(cluster, year, {"elect": form})
    if form.validate_on_submit():
        try:
            pacts.elect_next_year(
                db.session, viewer(), cluster, year,
                head=db.session.get(OrgUnit, form.head_unit_id.data),
                deputies=[db.session.get(OrgUnit, i) for i in form.deputy_unit_ids.data or []])
            db.session.commit()
        except (PactError, WorkflowError) as error:
            db.session.rollback()
            form.form_errors.append(_message(error))
        else:
            flash(_("Next year's head and deputies are recorded."), "success")
            return redirect(url_for("movements.pact", cluster_id=cluster_id, year=year),
                            code=303)
    return _render(cluster, year, 422, {"elect": form})

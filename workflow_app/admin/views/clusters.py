"""Admin views: emulation clusters and blocks, their members, head and deputy per year."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.admin.views.blueprint import bp
from workflow_app.admin.views.formflow import submit
from workflow_app.admin.views.forms import ActionForm, ClusterForm, MembershipForm
from workflow_app.extensions import db
from workflow_app.formkit import unit_choices
from workflow_app.models.base import utcnow
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit
from workflow_app.org.service import clusters as service


def _membership_form() -> MembershipForm:
    form = MembershipForm()
    form.unit_id.choices = unit_choices()
    if form.year.data is None and request.method == "GET":
        form.year.data = utcnow().year
    return form


@bp.route("/clusters", methods=["GET", "POST"])
def clusters():
    form = ClusterForm()
    form.organiser_unit_id.choices = unit_choices()
    response, status = submit(
        form,
        lambda: service.create_cluster(
            db.session, code=form.code.data, name=form.name.data,
            name_en=form.name_en.data or "", kind=form.kind.data,
            organiser=db.session.get(OrgUnit, form.organiser_unit_id.data), actor=current_user),
        service.ClusterError, _("Cluster created."),
        lambda cluster: url_for("admin.cluster_detail", cluster_id=cluster.id))
    if response:
        return response
    rows = db.session.scalars(select(Cluster).order_by(Cluster.name)).all()
    return render_template("admin/clusters.html", clusters=rows, form=form), status


@bp.route("/clusters/<int:cluster_id>", methods=["GET", "POST"])
def cluster_detail(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    form = _membership_form()
    response, status = submit(
        form,
        lambda: service.set_membership(db.session, cluster,
                                       db.session.get(OrgUnit, form.unit_id.data),
                                       form.year.data, form.role.data, actor=current_user),
        service.ClusterError, _("Membership saved."),
        lambda _membership: url_for("admin.cluster_detail", cluster_id=cluster.id))
    if response:
        return response
    return render_template("admin/cluster_detail.html", cluster=cluster, form=form,
                           action_form=ActionForm()), status


@bp.route("/clusters/<int:cluster_id>/memberships/<int:membership_id>/remove", methods=["POST"])
def cluster_remove_member(cluster_id: int, membership_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    membership = db.session.get(ClusterMembership, membership_id)
    if membership is None or membership.cluster_id != cluster.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.remove_membership(db.session, membership, actor=current_user)
    db.session.commit()
    flash(_("Membership removed."), "success")
    return redirect(url_for("admin.cluster_detail", cluster_id=cluster.id))

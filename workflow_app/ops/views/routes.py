"""`/health` (liveness), `/ready` (readiness) and the admin status page `/admin/status`."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.extensions import db
from workflow_app.formkit import AppForm
from workflow_app.notify.service.mailer import retry_failed
from workflow_app.ops.service import readiness, status
from workflow_app.ops.service.worker import ALIVE_WITHIN
from workflow_app.security import public, roles_required

bp = Blueprint("ops", __name__)


@bp.route("/health")
@public
def health():
    """Liveness: the process answers. Touches no database (a load balancer must not restart
    healthy workers because the database is down; /ready says that)."""
    return jsonify(status="ok")


@bp.route("/ready")
@public
def ready():
    """Readiness: the database answers and its schema is at the code's head (and, with
    READY_REQUIRES_WORKER, a worker beat within 5 minutes); else 503 with the reason."""
    config = current_app.extensions["workflow_config"]
    ok, body = readiness.readiness(db.engine, require_worker=config.ready_requires_worker,
                                   worker_within=ALIVE_WITHIN)
    return jsonify(body), 200 if ok else 503


@bp.route("/admin/status")
@roles_required("admin")
def status_page():
    config = current_app.extensions["workflow_config"]
    figures = status.gather(db.session, Path(config.instance_dir))
    return render_template("ops/status.html", status=figures, action_form=AppForm())


@bp.route("/admin/status/outbox/retry", methods=["POST"])
@roles_required("admin")
def retry_outbox():
    """Queue every failed e-mail again (a fresh count of attempts), e.g. after the relay was
    repaired; audited."""
    if not AppForm().validate_on_submit():
        abort(400)
    count = retry_failed(db.session, actor=current_user)
    db.session.commit()
    flash(_("%(n)d failed e-mail queued again.", n=count), "success")
    return redirect(url_for("ops.status_page"))

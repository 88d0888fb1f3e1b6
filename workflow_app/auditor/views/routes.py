"""Auditor pages: the log with filters, one event, "verify now", export download.

Everything here reads; nothing writes. Only the auditor role may enter.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from workflow_app.audit.cli import outside_copy_path
from workflow_app.audit.export import export_zip
from workflow_app.audit.report import build_report
from workflow_app.auditor.service import queries
from workflow_app.auditor.views.forms import LogFilterForm
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow

bp = Blueprint("audit_ui", __name__, url_prefix="/audit")


@bp.app_template_global("audit_changes")
def _audit_changes(event):
    return queries.changes_of(event)


@bp.before_request
def _auditors_only():
    if not current_user.is_authenticated or not current_user.has_role("auditor"):
        abort(403)


@bp.route("/")
def log():
    form = LogFilterForm(request.args)
    status = 200
    if request.args and not form.validate():
        events, next_before, status = [], None, 400
    else:
        events, next_before = queries.page(db.session, form.data)
    next_args = {k: v for k, v in request.args.items() if k != "before"}
    return render_template("auditor/log.html", form=form, events=events,
                           next_before=next_before, next_args=next_args,
                           actions=queries.known_actions(db.session)), status


@bp.route("/events/<int:seq>")
def event(seq: int):
    item = db.get_or_404(AuditEvent, seq)
    pretty = json.dumps(item.data, indent=2, ensure_ascii=False, sort_keys=True)
    return render_template("auditor/event.html", event=item, data=pretty)


@bp.route("/subjects/<subject_type>/<subject_id>")
def history(subject_type: str, subject_id: str):
    """Every event about one subject (a dossier, a user, a unit …), oldest first, with the
    field-level changes each one recorded."""
    if len(subject_type) > 30 or len(subject_id) > 64:
        abort(404)
    events = queries.history(db.session, subject_type, subject_id)
    if not events:
        abort(404)
    return render_template("auditor/history.html", events=events,
                           subject_type=subject_type, subject_id=subject_id)


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    report = build_report(db.session, outside_copy_path()) if request.method == "POST" else None
    return render_template("auditor/verify.html", report=report)


@bp.route("/export.zip")
def export():
    payload = export_zip(db.session)
    name = f"audit-export-{utcnow():%Y%m%dT%H%M%SZ}.zip"
    return Response(payload, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

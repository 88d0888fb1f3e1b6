"""Home page per role and language switch (health and readiness: ops/views)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from workflow_app.extensions import db
from workflow_app.home.service import dashboard as dashboard_service
from workflow_app.i18n import LOCALES
from workflow_app.security import public

bp = Blueprint("main", __name__)

# role → (endpoint of the role's own page, what the page is for, the link's label).
ROLE_PAGES = {
    "submitter": ("dossiers.index", _l("Your unit's nomination dossiers, from draft to "
                                       "decision."), _l("Open dossiers")),
    "reviewer": ("review.queue", _l("Dossiers waiting for appraisal, with their checklists."),
                 _l("Open the review queue")),
    "council_member": ("council.index", _l("Your council sessions: agenda, ballot papers "
                                           "and published results."), _l("Open council "
                                                                         "sessions")),
    "secretary": ("council.index", _l("Schedule sessions, build the agenda, record "
                                      "attendance, open and close votes."),
                  _l("Open council sessions")),
    "chair": ("council.index", _l("Sessions you chair: conflicts, reserved items and the "
                                  "minutes to sign off."), _l("Open council sessions")),
    "signer": ("decisions.to_sign", _l("Award decisions waiting for your signature."),
               _l("Open decisions to sign")),
    "auditor": ("audit_ui.log", _l("Every recorded change, with verification and export."),
                _l("Open the audit trail")),
    "admin": ("admin.users", _l("Accounts, roles, units and clusters."),
              _l("Open administration")),
}


@bp.route("/")
def dashboard():
    panels = dashboard_service.panels_for(db.session, current_user,
                                          registry=current_app.extensions["workflows"])
    return render_template("home/dashboard.html", role_pages=ROLE_PAGES, panels=panels)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Switch language; remembered on the account when signed in, else in the session."""
    locale = request.form.get("locale", "")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated and current_user.locale != locale:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.dashboard")
    return redirect(target)

"""Administration: users and roles, units, clusters. Admins never touch dossiers or votes."""

from flask import Blueprint, render_template

from workflow_app.security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required("admin")
def users():
    return render_template("admin/users.html")

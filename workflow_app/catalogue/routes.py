"""Award catalogue pages (read-only for every signed-in user)."""

from flask import Blueprint, render_template

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@bp.route("/")
def index():
    return render_template("catalogue/index.html")

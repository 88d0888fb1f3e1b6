"""Organisation pages: the unit tree, a unit with its persons, clusters."""

from flask import Blueprint, render_template

bp = Blueprint("org", __name__, url_prefix="/org")


@bp.route("/units")
def units():
    return render_template("org/units.html")


@bp.route("/clusters")
def clusters():
    return render_template("org/clusters.html")

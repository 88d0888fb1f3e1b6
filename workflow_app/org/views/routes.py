"""Organisation pages: the unit tree, a unit, a person, clusters and blocks by year.

Read-only. The tree and clusters are open to every signed-in user; persons are scoped by
`workflow_app.org.service.scope` (404 outside scope, masked national ID unless entitled).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit, Person
from workflow_app.org.service import history, queries, scope, transfers
from workflow_app.org.service.labels import cluster_kind_label

bp = Blueprint("org", __name__, url_prefix="/org")

YEAR_MIN, YEAR_MAX = 1945, 2200


@bp.context_processor
def _org_helpers():
    return {"cluster_kind_label": cluster_kind_label}


def _user():
    return current_user._get_current_object()


@bp.route("/units")
def units():
    tree = queries.unit_tree(db.session, current_locale())
    return render_template("org/units.html", tree=tree)


@bp.route("/units/<int:unit_id>")
def unit(unit_id: int):
    unit = db.get_or_404(OrgUnit, unit_id)
    user = _user()
    locale = current_locale()
    return render_template(
        "org/unit.html",
        unit=unit,
        ancestors=queries.ancestors(db.session, unit),
        sub_units=queries.sub_units(db.session, unit, locale),
        persons=queries.persons_in_unit(db.session, user, unit),
        sees_persons=scope.can_see_persons_of(user, unit),
        memberships=queries.memberships_of_unit(db.session, unit),
        national_id=lambda person: scope.national_id_for(user, person),
        life=history.unit_life(db.session, unit),
    )


@bp.route("/persons/<int:person_id>")
def person(person_id: int):
    person = db.session.get(Person, person_id)
    user = _user()
    # Same answer for "no such person" and "not yours to see": existence is not disclosed.
    if person is None or not scope.can_see_person(user, person):
        abort(404)
    return render_template(
        "org/person.html",
        person=person,
        ancestors=queries.ancestors(db.session, person.unit),
        national_id=scope.national_id_for(user, person),
        national_id_full=scope.can_see_full_national_id(user, person.unit),
        transfers=transfers.transfers_of(db.session, person),
    )


@bp.route("/clusters")
def clusters():
    locale = current_locale()
    rows = [(c, queries.cluster_years(c, locale)) for c in queries.all_clusters(db.session)]
    return render_template("org/clusters.html", rows=rows)


def _parse_year(raw: str | None, years: list[int]) -> tuple[int | None, str | None]:
    """The year asked for, or the latest recorded one; with an error message when invalid."""
    latest = years[0] if years else None
    if raw is None or raw.strip() == "":
        return latest, None
    text = raw.strip()
    if not (text.isdigit() and len(text) == 4 and YEAR_MIN <= int(text) <= YEAR_MAX):
        return latest, _("“%(value)s” is not a year. Enter a four-digit year such as 2026.",
                         value=text[:20])
    year = int(text)
    if year not in years:
        return latest, _("No member units are recorded for %(year)d.", year=year)
    return year, None


@bp.route("/clusters/<int:cluster_id>")
def cluster(cluster_id: int):
    cluster = queries.get_cluster(db.session, cluster_id)
    if cluster is None:
        abort(404)
    by_year = queries.cluster_years(cluster, current_locale())
    years = [entry.year for entry in by_year]
    year, error = _parse_year(request.args.get("year"), years)
    selected = next((entry for entry in by_year if entry.year == year), None)
    return render_template(
        "org/cluster.html", cluster=cluster, years=years, selected=selected, year_error=error
    ), (400 if error else 200)

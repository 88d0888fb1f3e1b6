"""The search page: one box, persons, units, dossiers and decisions (issue 14 item 6).

Without a kind: the first results of each kind with its full total and a link to all of
them; with a kind: that kind, paged. What a user may see is decided in the query.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.extensions import db
from workflow_app.formkit import AppForm
from workflow_app.i18n import current_locale
from workflow_app.models.search import SEARCH_KINDS
from workflow_app.search.service import queries

bp = Blueprint("search", __name__, url_prefix="/search")

KIND_LABELS = {"person": _l("Persons"), "unit": _l("Units"), "dossier": _l("Dossiers"),
               "decision": _l("Decisions"),
               "record": _l("Decisions known only from the registry")}


class SearchForm(AppForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Length(max=120)])
    kind = HiddenField(validators=[Optional()])


@bp.get("/")
def index():
    form = SearchForm(request.args)
    valid = form.validate()
    q = (form.q.data or "").strip() if valid else ""
    kind = form.kind.data if valid and form.kind.data in SEARCH_KINDS else ""
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100000))
    if kind:
        results = [queries.search_kind(db.session, current_user, kind, q, page=page)]
    else:
        results = queries.search_all(db.session, current_user, q) if q else []
    awards = (award_names(db.session, current_locale(), today_local())
              if any(h.kind == "record" and h.items for h in results) else {})
    return render_template("search/results.html", form=form, q=q, kind=kind, results=results,
                           labels=KIND_LABELS, awards=awards,
                           no_words=bool(q) and not queries.query_words(q))

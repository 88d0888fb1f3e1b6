"""What the registry pages share: the blueprint, the signed-in user, where a form returns,
the chosen year, and the person's and unit's pages (drawn again with a refused entry form)."""

from __future__ import annotations

from flask import (
    Blueprint,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.eligibility.service.dossier import (
    person_eligibility,
)
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit, Person
from workflow_app.org.service import history, scope
from workflow_app.registry.service import queries
from workflow_app.registry.service.entries import Recipient
from workflow_app.registry.service.labels import registry_labels
from workflow_app.registry.views.entry_forms import entry_forms

bp = Blueprint("registry", __name__, url_prefix="/registry")
bp.app_context_processor(registry_labels)


@bp.app_context_processor
def quota_helpers() -> dict:
    """`agenda_quota_flags(meeting)` for the council session page's quota panel."""
    from workflow_app.eligibility.service.council_quotas import agenda_quota_flags

    return {"agenda_quota_flags": lambda meeting: agenda_quota_flags(db.session, meeting)}


def viewer():
    return current_user._get_current_object()


def back_url() -> str:
    """Where a POST from a partial returns: its `next` field when it is a local path."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("registry.search")


def chosen_year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 1945 <= year <= 2200 else today_local().year


def visible_person_or_404(person_id: int) -> Person:
    return scope.visible_person(db.session, viewer(), person_id)


def render_person(person: Person, forms: dict | None = None, status: int = 200):
    """The person's page; `forms` holds a refused entry form to show with its errors."""
    year, today = chosen_year(), today_local()
    return render_template(
        "registry/person.html", person=person, year=year,
        names=award_names(db.session, current_locale(), today),
        awards=queries.awards_of(db.session, person=person),
        ratings=queries.ratings_of(db.session, person),
        initiatives=queries.initiatives_of(db.session, person),
        eligibility=person_eligibility(db.session, person, year, today),
        entry_forms=entry_forms(Recipient(person=person), forms)), status


def render_unit(unit: OrgUnit, forms: dict | None = None, status: int = 200):
    locale = current_locale()
    predecessors = history.predecessors(db.session, unit)
    names_then = history.NamesThen(db.session, [unit] + [p.unit for p in predecessors],
                                   locale)
    return render_template(
        "registry/unit.html", unit=unit,
        names=award_names(db.session, locale, today_local()),
        then_and_now=lambda record: names_then.then_and_now(record.unit_id,
                                                            record.decision_date),
        predecessor_awards=[(p, queries.awards_of(db.session, unit=p.unit))
                            for p in predecessors],
        successors=history.successors_of(db.session, unit) if unit.is_closed else [],
        awards=queries.awards_of(db.session, unit=unit),
        ratings=queries.unit_ratings_of(db.session, unit),
        entry_forms=entry_forms(Recipient(unit=unit), forms)), status

"""What the movement pages share: the blueprint, the signed-in user, unit and title choices."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from workflow_app.formkit import choices
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit
from workflow_app.movements.service.labels import movement_labels

bp = Blueprint("movements", __name__, url_prefix="/movements")
bp.app_context_processor(movement_labels)


@bp.app_context_processor
def registration_helpers() -> dict:
    """`nominee_registration(dossier)` for the nomination page: did its nominee register?
    `movement_mimetype(name)`: a movement file's type, for its "View" link."""
    from workflow_app.extensions import db
    from workflow_app.movements.service.files import mimetype_of
    from workflow_app.movements.service.registration import nominee_registration

    return {"nominee_registration": lambda dossier: nominee_registration(db.session, dossier),
            "movement_mimetype": mimetype_of}


def viewer():
    return current_user._get_current_object()


def unit_choices(units: list[OrgUnit]) -> list:
    locale = current_locale()
    return choices((u.id, u.display_name(locale)) for u in units)


SUBJECT_GROUPS = {"individual": _l("For individuals"), "collective": _l("For collectives"),
                  "both": _l("For individuals or collectives")}


def registration_choices(form, units: list[OrgUnit]) -> list[str]:
    """Fill the registration form's title choices (by name, grouped by whom they are for) and
    return the names the registering units may type, for the name field's suggestions."""
    from workflow_app.catalogue.service.queries import today_local, versions_in_force
    from workflow_app.extensions import db
    from workflow_app.movements.service.registration import people_names

    locale = current_locale()
    grouped = versions_in_force(db.session, today_local())
    versions = grouped.get("title", []) + grouped.get("form", [])
    form.set_awards([SelectChoice(v.award.code, v.name(locale),
                                  optgroup=str(SUBJECT_GROUPS.get(v.subject, "")))
                     for v in sorted(versions, key=lambda v: list(SUBJECT_GROUPS).index(
                         v.subject) if v.subject in SUBJECT_GROUPS else 3)])
    return sorted({name for unit in units for name in people_names(db.session, unit)})

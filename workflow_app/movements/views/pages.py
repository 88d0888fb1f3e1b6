"""What the movement pages share: the blueprint, the signed-in user, unit and title choices."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from workflow_app.formkit import choices, grouped_award_choices
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


def registration_choices(form, units: list[OrgUnit]) -> list[str]:
    """Fill the registration form's title choices (by name, grouped by whom they are for;
    the form posts the award's code) and return the names the registering units may type,
    for the name field's suggestions."""
    from workflow_app.catalogue.service.queries import titles_and_forms_in_force, today_local
    from workflow_app.extensions import db
    from workflow_app.movements.service.registration import people_names

    versions = titles_and_forms_in_force(db.session, today_local())
    form.set_awards(grouped_award_choices(versions, current_locale(),
                                          value=lambda v: v.award.code))
    return sorted({name for unit in units for name in people_names(db.session, unit)})

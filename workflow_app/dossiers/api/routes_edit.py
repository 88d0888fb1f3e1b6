"""Opening a dossier and changing its fields, as the dossier form does, through the same
services (`create_dossier`, `edit_dossier`): submitters, over their units, while a dossier
is a draft or returned for supplementation.

Ids in the body are looked up only among what the form would offer the caller (their
submitting units; people and units within them), so an id out of scope is refused exactly
like an id that does not exist: 422, nothing disclosed.
"""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.dossiers.api.presenters import dossier_out
from workflow_app.dossiers.api.schemas import DossierOut
from workflow_app.dossiers.api.schemas_edit import DossierIn, DossierPatch
from workflow_app.dossiers.service import dossiers as dossier_service
from workflow_app.dossiers.service import offers as offer
from workflow_app.dossiers.service.access import EDITOR_ROLES, visible_dossier_or_404
from workflow_app.dossiers.service.fields import DossierInvalid, has_report_sections
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.catalogue import Award

# The service's field names → the API's.
API_FIELDS = {"award": "award_id", "sections": "report_sections", "unit": "unit_id",
              "nominees": "person_ids", "persons": "person_ids"}
# Fields a PATCH copies to the service as they are.
PLAIN_FIELDS = ("commendation_type", "year", "year_from", "movement_reference", "title",
                "summary")


def invalid(field: str, message: str) -> ApiError:
    """A 422 naming one field, like a pydantic validation error."""
    name = API_FIELDS.get(field, field)
    return ApiError(422, "validation_failed", message,
                    [{"loc": [name], "msg": message, "type": "invalid"}])


def from_service(error: DossierInvalid) -> ApiError:
    return invalid(error.field, error.message)


def _sections(sections) -> list[dict[str, str]]:
    return [section.model_dump() for section in sections or []]


@operation("POST", "/dossiers", summary="Open a draft dossier",
           description="As the new-dossier form: one nominee (a person or a unit of the "
                       "submitting unit), an award in force today, the commendation type and "
                       "year(s). The workflow (normal or simplified) follows from the award's "
                       "rule. Field errors: 422 with the field in `details`.",
           tags=["dossiers"], roles=EDITOR_ROLES, request=DossierIn, response=DossierOut,
           status=201)
def create_dossier(body: DossierIn) -> DossierOut:
    actor = caller()
    units = offer.submitting_units(actor)
    unit = next((u for u in units if u.id == body.unit_id), None)
    if unit is None:
        raise invalid("unit_id", _("Choose a unit your submitter role covers."))
    person = nominee_unit = None
    if body.nominee_person_id is not None:
        person = next(iter(offer.persons_in(db.session, units, [body.nominee_person_id])), None)
        if person is None:
            raise invalid("nominee_person_id", _("Choose the person nominated."))
    if body.nominee_unit_id is not None:
        nominee_unit = next(iter(offer.units_in(db.session, units, [body.nominee_unit_id])),
                            None)
        if nominee_unit is None:
            raise invalid("nominee_unit_id", _("Choose the unit nominated."))
    try:
        dossier = dossier_service.create_dossier(
            db.session, actor, unit=unit, person=person, nominee_unit=nominee_unit,
            award=db.session.get(Award, body.award_id), report_sections=_sections(
                body.report_sections), commendation_type=body.commendation_type,
            year=body.year, year_from=body.year_from, title=body.title, summary=body.summary,
            movement_reference=body.movement_reference)
    except DossierInvalid as error:
        raise from_service(error) from None
    return dossier_out(db.session, dossier, actor, current_locale())


@operation("PATCH", "/dossiers/{dossier_id}", summary="Change a dossier's fields",
           description="As the edit form, while the dossier is a draft or returned: only the "
                       "fields sent change. Send the `version` you saw: 409 `stale_version` "
                       "if it changed meanwhile; 409 `not_editable` once the dossier was sent; "
                       "403 `forbidden` without a submitter role over its unit. Nothing "
                       "changed: no new version, no audit event.",
           tags=["dossiers"], roles=EDITOR_ROLES, request=DossierPatch, response=DossierOut,
           errors=[404, 409])
def edit_dossier(dossier_id: int, body: DossierPatch) -> DossierOut:
    actor = caller()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    given = body.model_fields_set
    changes = {name: getattr(body, name) for name in PLAIN_FIELDS if name in given}
    if "report_sections" in given:
        if not has_report_sections(dossier.workflow):
            raise invalid("report_sections", _(
                "A dossier of the simplified procedure has no report sections: use the "
                "summary."))
        changes["report_sections"] = _sections(body.report_sections)
    if "award_id" in given:
        award = db.session.get(Award, body.award_id) if body.award_id else None
        if award is None:
            raise invalid("award_id", _("Choose an award that is in force today."))
        changes["award"] = award
    try:
        dossier_service.edit_dossier(db.session, dossier, actor, body.version, **changes)
    except DossierInvalid as error:
        raise from_service(error) from None
    return dossier_out(db.session, dossier, actor, current_locale())

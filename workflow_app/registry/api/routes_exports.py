"""A person's or a unit's registry as XLSX over the API: the same scope and sheets as the
registry pages' "Export XLSX" (`registry.service.exports`)."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit
from workflow_app.org.service import scope
from workflow_app.registry.service import exports

TAGS = ["registry"]


@operation("GET", "/registry/persons/{person_id}/export", summary="A person's registry as XLSX",
           description="Awards (revoked ones marked), yearly ratings and initiatives, one sheet "
                       "each. 404 outside the units your roles cover (admins, auditors: all).",
           tags=TAGS, errors=[404], raw_content_type=XLSX_MIMETYPE)
def export_person_registry(person_id: int):
    person = scope.visible_person(db.session, caller(), person_id)
    return send_xlsx(f"so-khen-thuong-ca-nhan-{person.id}.xlsx",
                     exports.person_sheets(db.session, person, current_locale()))


@operation("GET", "/registry/units/{unit_id}/export", summary="A unit's registry as XLSX",
           description="The unit's own awards as a collective (revoked ones marked) and its "
                       "yearly ratings, one sheet each.",
           tags=TAGS, errors=[404], raw_content_type=XLSX_MIMETYPE)
def export_unit_registry(unit_id: int):
    unit = db.get_or_404(OrgUnit, unit_id)
    return send_xlsx(f"so-khen-thuong-tap-the-{unit.code}.xlsx",
                     exports.unit_sheets(db.session, unit, current_locale()))

"""The award registry over the API, as the registry pages (`registry/views/routes.py`): search by
person or unit, a person's and a unit's history, and the XLSX_MIMETYPE import with its template —
through the same functions (`registry.service.queries`, `registry.service.importer`,
`registry.service.layout`).

Scope as on the pages: persons are personal data (404 outside the units your roles cover;
admins and auditors see all); units, and a unit's own awards and ratings, are visible to
every signed-in user. The import is for admins and reviewers: every row is checked first and
nothing is imported unless all are valid (422 `import_invalid` with the row-by-row report).
"""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.presenters import award_record_out, names, person_out, unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.downloads import XLSX_MIMETYPE
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit
from workflow_app.org.service import scope
from workflow_app.registry.api.presenters import initiative_out, rating_out
from workflow_app.registry.api.schemas import (
    ImportForm,
    ImportProblemOut,
    ImportReportOut,
    PersonHistoryOut,
    PersonHit,
    SearchOut,
    SearchQuery,
    UnitHistoryOut,
)
from workflow_app.registry.service import importer, layout, queries
from workflow_app.registry.service.entries import Recipient, may_enter

TAGS = ["registry"]
IMPORTERS = ("admin", "reviewer")


@operation("GET", "/registry/search", summary="Search the registry by person or unit",
           description="The words in the order typed (the last one possibly unfinished), "
                       "else every word in any order, in the name (persons) or the name or "
                       "code (units), ignoring case and diacritics. 50 of each per page, by "
                       "name, with the totals; persons only those you may see.",
           tags=TAGS, query=SearchQuery, response=SearchOut)
def search_registry(query: SearchQuery) -> SearchOut:
    locale = current_locale()
    persons = queries.search_persons(db.session, caller(), query.q, page=query.page)
    units = queries.search_units(db.session, caller(), query.q, page=query.page)
    return SearchOut(
        persons=[PersonHit(id=p.id, full_name=p.full_name, unit=unit_ref(p.unit, locale))
                 for p in persons.items],
        units=[unit_ref(u, locale) for u in units.items],
        persons_total=persons.total, units_total=units.total, page=persons.page)


@operation("GET", "/registry/persons/{person_id}", summary="A person's award history",
           description="Awards (revoked ones included, with the revoking decision and the "
                       "revocation's id), yearly ratings, initiatives and science topics. "
                       "Eligibility: GET /registry/persons/{person_id}/eligibility.",
           tags=TAGS, response=PersonHistoryOut, errors=[404])
def get_person_history(person_id: int) -> PersonHistoryOut:
    viewer, locale = caller(), current_locale()
    person = scope.visible_person(db.session, caller(), person_id)
    award_name = names(db.session, locale)
    return PersonHistoryOut(
        person=person_out(viewer, person, locale),
        awards=[award_record_out(db.session, viewer, entry, locale, award_name)
                for entry in queries.awards_of(db.session, person=person)],
        ratings=[rating_out(r) for r in queries.ratings_of(db.session, person)],
        initiatives=[initiative_out(i) for i in queries.initiatives_of(db.session, person)],
        can_enter=may_enter(viewer, Recipient(person=person)))


def unit_or_404(unit_id: int) -> OrgUnit:
    return db.get_or_404(OrgUnit, unit_id)


@operation("GET", "/registry/units/{unit_id}", summary="A unit's award history",
           description="The unit's own awards (as a collective; revoked ones included) and "
                       "its yearly ratings.",
           tags=TAGS, response=UnitHistoryOut, errors=[404])
def get_unit_history(unit_id: int) -> UnitHistoryOut:
    viewer, locale = caller(), current_locale()
    unit = unit_or_404(unit_id)
    award_name = names(db.session, locale)
    return UnitHistoryOut(
        unit=Ref(id=unit.id, code=unit.code, name=unit.display_name(locale)),
        awards=[award_record_out(db.session, viewer, entry, locale, award_name)
                for entry in queries.awards_of(db.session, unit=unit)],
        ratings=[rating_out(r) for r in queries.unit_ratings_of(db.session, unit)],
        can_enter=may_enter(viewer, Recipient(unit=unit)))


def _report(plan: importer.ImportPlan, imported: bool) -> ImportReportOut:
    return ImportReportOut(
        ok=plan.ok, imported=imported, sha256=plan.sha256, counts=plan.counts,
        problems=[ImportProblemOut(sheet=p.sheet, row=p.row, column=p.column, reason=p.reason)
                  for p in plan.problems])


@operation("POST", "/registry/imports", summary="Import registry rows from an XLSX workbook",
           description="`multipart/form-data`: the workbook in `file` (sheets `awards`, "
                       "`ratings`, `initiatives`; see the template), and `dry_run=true` to "
                       "only check it. Every row is checked first; with any problem nothing is "
                       "imported and the answer is 422 `import_invalid` with the report "
                       "(sheet, row as Excel numbers it, column, reason) in `error.details`. "
                       "A valid file is imported in one transaction, audited "
                       "`registry.imported` with the counts and the file's SHA-256.",
           tags=TAGS, roles=IMPORTERS, form=ImportForm, files=("file",),
           response=ImportReportOut)
def import_registry(form: ImportForm, files: dict[str, FileStorage]) -> ImportReportOut:
    upload = files["file"]
    plan = importer.validate(db.session, upload.read(layout.MAX_BYTES + 1))
    if not plan.ok:
        report = _report(plan, imported=False)
        raise ApiError(422, "import_invalid", _(
            "Nothing was imported: %(count)d problems found in the file.",
            count=len(plan.problems)), report.model_dump(mode="json"))
    if not form.dry_run:
        importer.apply(db.session, plan, actor=caller(), filename=upload.filename or "")
    return _report(plan, imported=not form.dry_run)


@operation("GET", "/registry/imports/template", summary="The XLSX import template",
           description="One sheet per kind of row with its header, as the import page offers.",
           tags=TAGS, roles=IMPORTERS, raw_content_type=XLSX_MIMETYPE)
def download_import_template():
    return Response(layout.template_bytes(), mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": "attachment; filename=registry-import-template.xlsx"})

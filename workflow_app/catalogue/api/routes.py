"""The award catalogue: read-only for every signed-in user, as its pages are; reloading it
from the catalogue files is for admins, as on the catalogue admin page."""

from __future__ import annotations

from flask import abort, current_app
from flask_babel import gettext as _

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.catalogue.api.schemas import (
    AwardList,
    AwardOut,
    AwardQuery,
    AwardSummary,
    AwardVersionOut,
    CatalogueChangeOut,
    CatalogueReloadOut,
)
from workflow_app.catalogue.service import queries
from workflow_app.catalogue.service.errors import CatalogueError
from workflow_app.catalogue.service.loader import ACTIONS, load_catalogue
from workflow_app.extensions import db


@operation("GET", "/catalogue/awards", summary="Awards in force on a day", tags=["catalogue"],
           query=AwardQuery, response=AwardList)
def list_awards(query: AwardQuery) -> AwardList:
    day = query.on or queries.today_local()
    grouped = queries.versions_in_force(db.session, day)
    items = [AwardSummary(id=v.award.id, code=v.award.code, kind=v.award.kind,
                          version=AwardVersionOut.model_validate(v))
             for kind in sorted(grouped) for v in grouped[kind]]
    return AwardList(on=day, items=items)


@operation("GET", "/catalogue/awards/{code}", summary="One award with every version",
           tags=["catalogue"], response=AwardOut, errors=[404])
def get_award(code: str) -> AwardOut:
    award = queries.award_by_code(db.session, code)
    if award is None or not award.versions:
        abort(404)
    current = award.version_on(queries.today_local())
    return AwardOut(id=award.id, code=award.code, kind=award.kind,
                    current_version_id=current.id if current else None,
                    versions=[AwardVersionOut.model_validate(v) for v in award.versions])


@operation("POST", "/catalogue/reload", summary="Reload the catalogue from its files",
           description="As the catalogue admin page: every file is validated first; when one "
                       "is broken nothing changes and the answer is a 409 "
                       "`catalogue_invalid` listing every problem (`details`). Versions no "
                       "longer in the files are withdrawn, never deleted. Audited.",
           tags=["catalogue"], roles=("admin",), response=CatalogueReloadOut, errors=[409])
def reload_catalogue() -> CatalogueReloadOut:
    try:
        result = load_catalogue(db.session, current_app.config.get("CATALOGUE_DIR"),
                                actor=caller())
    except CatalogueError as exc:
        db.session.rollback()
        raise ApiError(409, "catalogue_invalid", _(
            "The catalogue was not reloaded; nothing changed. Problems found: %(count)d.",
            count=len(exc.problems)), [str(problem) for problem in exc.problems]) from None
    return CatalogueReloadOut(
        counts={action: result.count(action) for action in ACTIONS},
        changes=[CatalogueChangeOut(action=c.action, code=c.code, basis_key=c.basis_key,
                                    source_file=c.source_file) for c in result.changes])

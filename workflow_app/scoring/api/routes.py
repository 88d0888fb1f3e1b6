"""Scoring and classification, as the scoring pages (`scoring/views/routes.py`), through the
same services (`scoring/service/`): a criteria table (the organiser: reviewer over the
movement's or the cluster's organising unit), a member's score sheet (its own officers score
it; the assessing unit scores every other member, with reasons), the ranking, lock, publish.

Readers: organisers, the assessor, auditors and the member units (404 for anyone else); a
member sees other members' scores and the ranking once the results are published.
Refusals: 422 `invalid_input` with the reason (points above the maximum, a negative score
outside a penalty item, a locked table, the assessor scoring itself); 409 `stale_version`
("reload") when the table changed since the `version` sent; 403 `forbidden`.
"""

from __future__ import annotations

from flask import abort

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.presenters import cluster_ref, unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.scoring import ScoreTable
from workflow_app.scoring.api.schemas import (
    BandOut,
    CriterionOut,
    EntryOut,
    GroupOut,
    RankOut,
    SheetIn,
    SheetOut,
    TableIn,
    TableOut,
    VersionIn,
)
from workflow_app.scoring.service import access, building, queries, results, scores
from workflow_app.scoring.service import ranking as ranks
from workflow_app.scoring.service.access import ScoringError
from workflow_app.scoring.service.building import CriterionSpec, GroupSpec
from workflow_app.scoring.service.labels import band_label
from workflow_app.scoring.service.points import as_number
from workflow_app.scoring.service.scores import ScoreInput

TAGS = ["scoring"]
SCORERS = access.SCORER_ROLES
READERS = access.READER_ROLES


def _refused(error: ScoringError, criteria: list[int] | None = None) -> ApiError:
    """422 with the reason; a refused save names every bad score, each at its place in the
    body (`scores`, index, `points`)."""
    if error.problems and criteria is not None:
        return ApiError(422, "invalid_input", str(error.message), [
            {"loc": ["scores", criteria.index(cid), "points"] if cid in criteria
             else ["scores"], "msg": message, "type": "invalid"}
            for cid, message in error.problems])
    field = error.field or "body"
    return ApiError(422, "invalid_input", str(error.message),
                    [{"loc": [field], "msg": str(error.message), "type": "invalid"}])


def _readable(table_id: int) -> ScoreTable:
    table = db.session.get(ScoreTable, table_id)
    if table is None or not access.may_read(caller(), table, db.session):
        abort(404)
    return table


def table_out(table: ScoreTable) -> TableOut:
    locale, user = current_locale(), caller()
    table = queries.table_or_404(db.session, table.id)
    ranking = None
    if access.sees_all_units(user, table):
        ranking = [RankOut(unit=Ref(id=r.unit_id, name=r.unit_name),
                           own_points=as_number(r.self_cp), total_points=as_number(r.total_cp),
                           rank=r.rank, scored=r.scored, tied_with=list(r.tied_with),
                           band=r.band["code"] if r.band else None)
                   for r in ranks.ranking(db.session, table)]
    return TableOut(
        id=table.id, version=table.version, title=table.title, year=table.year,
        status=table.status,
        movement=Ref(id=table.movement.id, name=table.movement.title) if table.movement
        else None,
        cluster=cluster_ref(table.cluster, locale) if table.cluster else None,
        assessor=unit_ref(table.assessor, locale),
        groups=[GroupOut(code=g.code, title=g.title, criteria=[CriterionOut(
            id=c.id, code=c.code, title=c.title, kind=c.kind, max_points=as_number(c.max_cp),
            guidance=c.guidance) for c in g.criteria]) for g in table.groups],
        bands=[BandOut(code=b["code"], label=band_label(b, locale),
                       min_points=as_number(b["min_cp"]), rating=b.get("rating"))
               for b in table.bands],
        members=[unit_ref(u, locale) for u in access.members(db.session, table)],
        ranking=ranking)


@operation("POST", "/scoring/tables", summary="Set a criteria table",
           description="For a movement (`movement_id`) or a cluster's year (`cluster_id`): "
                       "groups of criteria (standard, bonus, penalty) with maxima and "
                       "guidance, and the bands (best first by `min_points`). The organiser's "
                       "standing agency only (403).",
           tags=TAGS, roles=("reviewer",), request=TableIn, response=TableOut, status=201,
           errors=[404])
def create_score_table(body: TableIn) -> TableOut:
    movement = db.get_or_404(Movement, body.movement_id) if body.movement_id else None
    cluster = db.get_or_404(Cluster, body.cluster_id) if body.cluster_id else None
    assessor = db.get_or_404(OrgUnit, body.assessor_unit_id)
    owner = movement.unit if movement is not None else cluster.organiser if cluster else None
    if owner is not None and not caller().can_see_unit(owner, *access.ORGANISER_ROLES):
        abort(403)
    try:
        table = building.create_table(
            db.session, caller(), title=body.title, year=body.year, assessor=assessor,
            movement=movement, cluster=cluster,
            groups=[GroupSpec(title=g.title, code=g.code, criteria=[CriterionSpec(
                title=c.title, max_points=str(c.max_points), kind=c.kind, code=c.code,
                guidance=c.guidance) for c in g.criteria]) for g in body.groups],
            bands=[{"code": b.code, "label_vi": b.label_vi, "label_en": b.label_en,
                    "min_points": str(b.min_points), "rating": b.rating} for b in body.bands])
    except ScoringError as error:
        raise _refused(error) from None
    return table_out(table)


@operation("GET", "/scoring/tables/{table_id}", summary="A criteria table and its ranking",
           description="The ranking (computed in SQL; tied members named) is shown to the "
                       "organiser, the assessor and auditors, and to members once published.",
           tags=TAGS, roles=READERS, response=TableOut, errors=[404])
def get_score_table(table_id: int) -> TableOut:
    return table_out(_readable(table_id))


def _member(table: ScoreTable, unit_id: int) -> OrgUnit:
    unit = db.session.get(OrgUnit, unit_id)
    user = caller()
    if unit is None or unit.id not in {u.id for u in access.members(db.session, table)} or not (
            access.sees_all_units(user, table) or access.may_self_score(user, unit)):
        abort(404)
    return unit


def _sheet(table: ScoreTable, unit: OrgUnit) -> SheetOut:
    entries = queries.entries_of(db.session, table, unit.id)
    return SheetOut(table_version=table.version, unit=unit_ref(unit, current_locale()),
                    entries=[EntryOut(criterion_id=e.criterion_id,
                                      own_points=as_number(e.self_cp), evidence=e.self_note,
                                      assessed_points=as_number(e.assessed_cp),
                                      reason=e.reason)
                             for e in sorted(entries.values(), key=lambda x: x.criterion_id)])


@operation("GET", "/scoring/tables/{table_id}/units/{unit_id}", summary="A member's score sheet",
           description="Its own scores with evidence, the assessor's with reasons.",
           tags=TAGS, roles=READERS, response=SheetOut, errors=[404])
def get_score_sheet(table_id: int, unit_id: int) -> SheetOut:
    table = _readable(table_id)
    return _sheet(table, _member(table, unit_id))


@operation("PUT", "/scoring/tables/{table_id}/units/{unit_id}",
           summary="Save a member's scores (its own, or the assessor's)",
           description="All or nothing: a refusal names every bad score at once (`loc`: "
                       "scores, its index, points). `side` self: the unit's own officers; "
                       "assessor: the assessing unit, never for itself, with a `note` (reason) "
                       "wherever its "
                       "points differ from the unit's own. 409 `stale_version`: reload.",
           tags=TAGS, roles=SCORERS, request=SheetIn, response=SheetOut, errors=[404, 409])
def save_score_sheet(table_id: int, unit_id: int, body: SheetIn) -> SheetOut:
    table = _readable(table_id)
    unit = _member(table, unit_id)
    try:
        scores.save_scores(db.session, caller(), table, unit, body.side, body.version, [
            ScoreInput(s.criterion_id, None if s.points is None else repr(s.points), s.note)
            for s in body.scores])
    except ScoringError as error:
        raise _refused(error, [s.criterion_id for s in body.scores]) from None
    return _sheet(table, unit)


@operation("POST", "/scoring/tables/{table_id}/lock", summary="Approve and lock the results",
           description="Stores each member's total, band and rank; scores are frozen.",
           tags=TAGS, roles=("reviewer",), request=VersionIn, response=TableOut,
           errors=[404, 409])
def lock_score_table(table_id: int, body: VersionIn) -> TableOut:
    table = _readable(table_id)
    try:
        results.lock_results(db.session, caller(), table, body.version)
    except ScoringError as error:
        raise _refused(error) from None
    return table_out(table)


@operation("POST", "/scoring/tables/{table_id}/publish",
           summary="Publish the results to the members and the registry",
           description="Each band's rating becomes the unit's rating for the year.",
           tags=TAGS, roles=("reviewer",), request=VersionIn, response=TableOut,
           errors=[404, 409])
def publish_score_table(table_id: int, body: VersionIn) -> TableOut:
    table = _readable(table_id)
    try:
        results.publish_results(db.session, caller(), table, body.version)
    except ScoringError as error:
        raise _refused(error) from None
    return table_out(table)

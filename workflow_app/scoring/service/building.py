"""Setting a criteria table: groups, criteria (standard, bonus, penalty) with their maxima
and guidance, and the classification bands. Checked whole before anything is kept; audited
`scoring.table_created`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.registry import RATINGS
from workflow_app.models.scoring import CRITERION_KINDS, ScoreCriterion, ScoreGroup, ScoreTable
from workflow_app.models.user import User
from workflow_app.scoring.service.access import ORGANISER_ROLES, ScoringError
from workflow_app.scoring.service.points import parse_points
from workflow_app.workflow import Forbidden

MAX_CRITERIA = 500
MAX_BANDS = 10


@dataclass
class CriterionSpec:
    title: str
    max_points: Any
    kind: str = "standard"
    code: str = ""
    guidance: str = ""


@dataclass
class GroupSpec:
    title: str
    criteria: list[CriterionSpec]
    code: str = ""


def _bands(raw: list[dict]) -> list[dict]:
    if not raw:
        raise ScoringError(_l("Give at least one band (e.g. A from 90 points)."), "bands")
    if len(raw) > MAX_BANDS:
        raise ScoringError(_l("At most %(max)d bands.", max=MAX_BANDS), "bands")
    bands, codes = [], set()
    for band in raw:
        code = str(band.get("code") or "").strip()[:20]
        label_vi = str(band.get("label_vi") or "").strip()[:120]
        label_en = str(band.get("label_en") or "").strip()[:120] or label_vi
        rating = band.get("rating") or None
        try:
            minimum = parse_points(band.get("min_points"))
        except ValueError:
            minimum = None
        if not code or not label_vi or minimum is None or code in codes:
            raise ScoringError(_l("Each band needs a distinct code, a name and its lowest "
                                  "total (e.g. A, Xuất sắc, 90)."), "bands")
        if rating is not None and rating not in RATINGS:
            raise ScoringError(_l("A band's registry rating must be one of the registry's "
                                  "ratings."), "bands")
        codes.add(code)
        bands.append({"code": code, "label_vi": label_vi, "label_en": label_en,
                      "min_cp": minimum, "rating": rating})
    return sorted(bands, key=lambda b: -b["min_cp"])


def create_table(session: Session, actor: User, *, title: str, year: int,
                 assessor: OrgUnit, groups: list[GroupSpec], bands: list[dict],
                 movement: Movement | None = None, cluster: Cluster | None = None) -> ScoreTable:
    if (movement is None) == (cluster is None):
        raise ScoringError(_l("A table belongs to one movement or to one cluster's year."))
    owner_unit = movement.unit if movement is not None else cluster.organiser
    if actor is None or not actor.can_see_unit(owner_unit, *ORGANISER_ROLES):
        raise Forbidden(_l("Only the organiser's standing agency sets the criteria table."))
    title = str(title or "").strip()
    if not title or len(title) > 255:
        raise ScoringError(_l("Give the table a name (at most 255 characters)."), "title")
    if not 1945 <= int(year or 0) <= 2200:
        raise ScoringError(_l("The year must be between 1945 and 2200."), "year")
    if not groups or not any(g.criteria for g in groups):
        raise ScoringError(_l("Give at least one group with one criterion."), "groups")
    if sum(len(g.criteria) for g in groups) > MAX_CRITERIA:
        raise ScoringError(_l("At most %(max)d criteria.", max=MAX_CRITERIA), "groups")
    table = ScoreTable(movement_id=getattr(movement, "id", None),
                       cluster_id=getattr(cluster, "id", None), year=year, title=title,
                       assessor_unit_id=assessor.id, bands=_bands(bands),
                       created_by_id=actor.id)
    session.add(table)
    session.flush()
    for g_index, spec in enumerate(groups, 1):
        group_title = str(spec.title or "").strip()[:500]
        if not group_title:
            raise ScoringError(_l("Group %(n)d has no title.", n=g_index), "groups")
        group = ScoreGroup(table_id=table.id, position=g_index, code=str(spec.code)[:20],
                           title=group_title)
        session.add(group)
        session.flush()
        for c_index, item in enumerate(spec.criteria, 1):
            session.add(_criterion(table, group, c_index, item))
    session.flush()
    record(session, "scoring.table_created", "score_table", table.id, actor=actor,
           data={"title": title, "year": year, "movement_id": table.movement_id,
                 "cluster_id": table.cluster_id, "assessor_unit_id": assessor.id,
                 "criteria": sum(len(g.criteria) for g in groups)})
    return table


def _criterion(table: ScoreTable, group: ScoreGroup, position: int,
               item: CriterionSpec) -> ScoreCriterion:
    where = f"{group.code or group.position}.{position}"
    title = str(item.title or "").strip()[:500]
    if not title:
        raise ScoringError(_l("Criterion %(where)s has no title.", where=where), "groups")
    if item.kind not in CRITERION_KINDS:
        raise ScoringError(_l("Criterion %(where)s: the kind is standard, bonus or penalty.",
                              where=where), "groups")
    try:
        maximum = parse_points(item.max_points)
    except ValueError:
        maximum = None
    if maximum is None or maximum <= 0:
        raise ScoringError(_l("Criterion %(where)s: the maximum must be a positive number of "
                              "points.", where=where), "groups")
    return ScoreCriterion(table_id=table.id, group_id=group.id, position=position,
                          code=str(item.code or "")[:20], title=title, kind=item.kind,
                          max_cp=maximum, guidance=str(item.guidance or "")[:4000])

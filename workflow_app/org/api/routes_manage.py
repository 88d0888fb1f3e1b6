"""Changing the organisation over the API, as the admin pages for units and clusters
(`admin/views/units.py`, `clusters.py`): units, emulation clusters and blocks, and each
year's members. Admins only (over any unit), each action through the same service as the
page (`org.service.units`, `org.service.clusters`), audited there. A broken rule is a 409
`rule_broken` with the page's message; an id in the body that names nothing is a 404
`unknown_reference` naming the field.
"""

from __future__ import annotations

from flask import abort

from workflow_app.api.auth import caller
from workflow_app.api.errors import apply_rules, referenced
from workflow_app.api.operations import operation
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit
from workflow_app.org.api.presenters import cluster_detail, unit_detail
from workflow_app.org.api.schemas import ClusterDetail, UnitDetail
from workflow_app.org.api.schemas_manage import ClusterIn, MembershipIn, UnitIn, UnitPatch
from workflow_app.org.service import clusters as cluster_service
from workflow_app.org.service import queries as org_queries
from workflow_app.org.service import units as unit_service

ADMINS = ("admin",)
TAGS = ["administration"]
RULE_ERRORS = (unit_service.UnitError, cluster_service.ClusterError)


# Units ------------------------------------------------------------------------------------

def _parent(parent_id: int | None) -> OrgUnit | None:
    return referenced(OrgUnit, parent_id, "parent_id") if parent_id is not None else None


@operation("POST", "/units", summary="Create a unit", tags=TAGS, roles=ADMINS, request=UnitIn,
           response=UnitDetail, status=201, errors=[404, 409])
def create_unit(body: UnitIn) -> UnitDetail:
    parent = _parent(body.parent_id)
    unit = apply_rules(RULE_ERRORS, lambda: unit_service.create_unit(
        db.session, code=body.code, name=body.name, name_en=body.name_en, kind=body.kind,
        symbol=body.symbol, founding_ground=body.founding_ground, head_title=body.head_title,
        parent=parent, actor=caller()))
    return unit_detail(db.session, caller(), unit, current_locale())


@operation("PATCH", "/units/{unit_id}", summary="Edit a unit",
           description="Only the fields sent change. Moving a unit moves its sub-units with "
                       "it; a unit cannot move under itself (409 `rule_broken`).",
           tags=TAGS, roles=ADMINS, request=UnitPatch, response=UnitDetail, errors=[404, 409])
def update_unit(unit_id: int, body: UnitPatch) -> UnitDetail:
    unit = db.get_or_404(OrgUnit, unit_id)
    sent = body.model_fields_set
    changes = {name: getattr(body, name) for name in ("code", "name", "name_en", "kind",
                                                      "symbol", "founding_ground",
                                                      "head_title")
               if name in sent and getattr(body, name) is not None}
    if "parent_id" in sent:
        changes["parent"] = _parent(body.parent_id)
    apply_rules(RULE_ERRORS, lambda:
                unit_service.update_unit(db.session, unit, actor=caller(), **changes))
    return unit_detail(db.session, caller(), unit, current_locale())


# Clusters ---------------------------------------------------------------------------------

def _cluster(cluster_id: int) -> Cluster:
    cluster = org_queries.get_cluster(db.session, cluster_id)
    if cluster is None:
        abort(404)
    return cluster


@operation("POST", "/clusters", summary="Create an emulation cluster or block", tags=TAGS,
           roles=ADMINS, request=ClusterIn, response=ClusterDetail, status=201, errors=[404, 409])
def create_cluster(body: ClusterIn) -> ClusterDetail:
    organiser = referenced(OrgUnit, body.organiser_unit_id, "organiser_unit_id")
    cluster = apply_rules(RULE_ERRORS, lambda: cluster_service.create_cluster(
        db.session, code=body.code, name=body.name, name_en=body.name_en, kind=body.kind,
        organiser=organiser, actor=caller()))
    return cluster_detail(cluster, current_locale())


@operation("POST", "/clusters/{cluster_id}/memberships",
           summary="Add a member unit for a year (or change its role that year)",
           description="A year has one head (409 `rule_broken` for a second one) and any "
                       "number of deputies.",
           tags=TAGS, roles=ADMINS, request=MembershipIn, response=ClusterDetail, status=201,
           errors=[404, 409])
def set_cluster_membership(cluster_id: int, body: MembershipIn) -> ClusterDetail:
    cluster = _cluster(cluster_id)
    unit = referenced(OrgUnit, body.unit_id, "unit_id")
    apply_rules(RULE_ERRORS, lambda:
                cluster_service.set_membership(db.session, cluster, unit, body.year,
                                                  body.role, actor=caller()))
    return cluster_detail(cluster, current_locale())


@operation("DELETE", "/clusters/{cluster_id}/memberships/{membership_id}",
           summary="Remove a member unit for a year", tags=TAGS, roles=ADMINS,
           response=ClusterDetail, errors=[404])
def remove_cluster_membership(cluster_id: int, membership_id: int) -> ClusterDetail:
    cluster = _cluster(cluster_id)
    membership = db.session.get(ClusterMembership, membership_id)
    if membership is None or membership.cluster_id != cluster.id:
        abort(404)
    cluster_service.remove_membership(db.session, membership, actor=caller())
    db.session.expire(cluster, ["memberships"])
    return cluster_detail(cluster, current_locale())

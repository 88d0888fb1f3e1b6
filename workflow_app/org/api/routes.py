"""Organisation: units, persons, clusters — read-only, scoped exactly as the organisation
pages (`workflow_app/org/`): the unit tree and clusters are open to every signed-in user
(unit names are not personal data); persons are personal data, scoped by `org.service.scope`
(404 outside scope, the national ID number masked unless entitled)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor, keyset_page
from workflow_app.api.presenters import person_out
from workflow_app.api.schemas.shared import PersonOut
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import Cluster, OrgUnit, Person
from workflow_app.org.api.presenters import cluster_detail, cluster_out, unit_detail
from workflow_app.org.api.schemas import (
    ClusterDetail,
    ClusterDetailQuery,
    ClusterPage,
    ClusterQuery,
    PersonPage,
    PersonQuery,
    UnitDetail,
    UnitOut,
    UnitPage,
    UnitQuery,
)
from workflow_app.org.service import queries, scope


@operation("GET", "/units", summary="Organisation units, by id", tags=["organisation"],
           query=UnitQuery, response=UnitPage)
def list_units(query: UnitQuery) -> UnitPage:
    statement = select(OrgUnit)
    if query.parent_id is not None:
        statement = statement.where(OrgUnit.parent_id == query.parent_id)
    rows, next_cursor = keyset_page(db.session, statement, OrgUnit.id, query)
    return UnitPage(items=[UnitOut.model_validate(u) for u in rows], next_cursor=next_cursor)


@operation("GET", "/units/{unit_id}", summary="One unit with its sub-units, people and clusters",
           description="As the unit page: open to every signed-in user, but `persons` lists "
                       "only people your roles cover (`persons_visible` says which case).",
           tags=["organisation"], response=UnitDetail, errors=[404])
def get_unit(unit_id: int) -> UnitDetail:
    unit = db.get_or_404(OrgUnit, unit_id)
    return unit_detail(db.session, caller(), unit, current_locale())


@operation("GET", "/persons", summary="Persons your roles cover, by id",
           description="Admins and auditors see everyone; others the people of the units their "
                       "roles cover (with sub-units), as the person pages.",
           tags=["organisation"], query=PersonQuery, response=PersonPage)
def list_persons(query: PersonQuery) -> PersonPage:
    viewer = caller()
    rows, key = queries.person_page(db.session, viewer, q=query.q or "", unit_id=query.unit_id,
                                    after=decode_cursor(query.cursor), limit=query.limit)
    locale = current_locale()
    return PersonPage(items=[person_out(viewer, p, locale) for p in rows],
                      next_cursor=encode_cursor(key) if key is not None else None)


@operation("GET", "/persons/{person_id}", summary="One person",
           description="404 also when the person exists outside your roles' scope.",
           tags=["organisation"], response=PersonOut, errors=[404])
def get_person(person_id: int) -> PersonOut:
    viewer = caller()
    person = db.session.get(Person, person_id)
    # Same answer for "no such person" and "not yours to see", as the page.
    if person is None or not scope.can_see_person(viewer, person):
        abort(404)
    return person_out(viewer, person, current_locale())


@operation("GET", "/clusters", summary="Emulation clusters and blocks, by id",
           tags=["organisation"], query=ClusterQuery, response=ClusterPage)
def list_clusters(query: ClusterQuery) -> ClusterPage:
    statement = select(Cluster).options(
        selectinload(Cluster.memberships), selectinload(Cluster.organiser))
    if query.kind is not None:
        statement = statement.where(Cluster.kind == query.kind)
    rows, next_cursor = keyset_page(db.session, statement, Cluster.id, query)
    locale = current_locale()
    return ClusterPage(items=[cluster_out(c, locale) for c in rows], next_cursor=next_cursor)


@operation("GET", "/clusters/{cluster_id}", summary="One cluster with its members per year",
           tags=["organisation"], query=ClusterDetailQuery, response=ClusterDetail,
           errors=[404])
def get_cluster(cluster_id: int, query: ClusterDetailQuery) -> ClusterDetail:
    cluster = queries.get_cluster(db.session, cluster_id)
    if cluster is None:
        abort(404)
    return cluster_detail(cluster, current_locale(), query.year)


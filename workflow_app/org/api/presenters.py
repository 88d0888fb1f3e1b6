"""Organisation rows → response models, in the caller's language, with the pages' rules for
what a viewer may see (the national ID number: `org.service.scope.national_id_for`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow_app.api.presenters import cluster_ref, person_out, unit_ref
from workflow_app.labels import cluster_role_label, unit_kind_label
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.user import User
from workflow_app.org.api.schemas import (
    ClusterDetail,
    ClusterMembershipOut,
    ClusterOut,
    ClusterYearOut,
    UnitClusterOut,
    UnitDetail,
    UnitOut,
)
from workflow_app.org.service import queries, scope
from workflow_app.org.service.labels import cluster_kind_label


def unit_detail(session: Session, viewer: User, unit: OrgUnit, locale: str) -> UnitDetail:
    """What the unit page shows: persons only when the viewer's roles cover the unit."""
    return UnitDetail(
        **UnitOut.model_validate(unit).model_dump(),
        kind_label=unit_kind_label(unit.kind),
        ancestors=[unit_ref(u, locale) for u in queries.ancestors(session, unit)],
        sub_units=[UnitOut.model_validate(u) for u in queries.sub_units(session, unit, locale)],
        persons_visible=scope.can_see_persons_of(viewer, unit),
        persons=[person_out(viewer, p, locale)
                 for p in queries.persons_in_unit(session, viewer, unit)],
        clusters=[UnitClusterOut(year=m.year, cluster=cluster_ref(m.cluster, locale),
                                 role=m.role, role_label=cluster_role_label(m.role))
                  for m in queries.memberships_of_unit(session, unit)],
    )


def _cluster_fields(cluster: Cluster, locale: str) -> dict:
    return {"id": cluster.id, "code": cluster.code, "name": cluster.name,
            "name_en": cluster.name_en, "kind": cluster.kind,
            "kind_label": cluster_kind_label(cluster.kind),
            "organiser": unit_ref(cluster.organiser, locale), "years": cluster.years()}


def cluster_out(cluster: Cluster, locale: str) -> ClusterOut:
    return ClusterOut(**_cluster_fields(cluster, locale))


def cluster_detail(cluster: Cluster, locale: str, year: int | None = None) -> ClusterDetail:
    """The cluster page's members per year (head, deputy, members), newest year first."""
    years = [entry for entry in queries.cluster_years(cluster, locale)
             if year is None or entry.year == year]
    return ClusterDetail(
        **_cluster_fields(cluster, locale),
        members_by_year=[ClusterYearOut(
            year=entry.year, head=unit_ref(entry.head, locale),
            deputy=unit_ref(entry.deputy, locale),
            members=[ClusterMembershipOut(id=m.id, unit=unit_ref(m.unit, locale), role=m.role,
                                          role_label=cluster_role_label(m.role))
                     for m in entry.members]) for entry in years])

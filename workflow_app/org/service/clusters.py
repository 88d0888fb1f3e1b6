"""Emulation clusters and blocks: create, and set each year's members, head and deputy."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.org import (
    CLUSTER_KINDS,
    CLUSTER_ROLES,
    Cluster,
    ClusterMembership,
    OrgUnit,
)


class ClusterError(ValueError):
    """A rule about clusters was broken; the message is safe to show."""


def create_cluster(session: Session, *, code: str, name: str, kind: str, organiser: OrgUnit,
                   name_en: str = "", actor=None) -> Cluster:
    code = code.strip()
    if kind not in CLUSTER_KINDS:
        raise ClusterError(_("Unknown cluster kind: %(kind)s.", kind=kind))
    if session.scalar(select(Cluster.id).where(func.lower(Cluster.code) == code.lower())):
        raise ClusterError(_("The cluster code %(code)s is taken.", code=code))
    cluster = Cluster(code=code, name=name.strip(), name_en=name_en.strip(), kind=kind,
                      organiser=organiser)
    session.add(cluster)
    session.flush()
    record(session, "cluster.created", "cluster", cluster.id, actor=actor,
           data={"code": code, "name": cluster.name, "kind": kind,
                 "organiser_unit_id": organiser.id})
    return cluster


def set_membership(session: Session, cluster: Cluster, unit: OrgUnit, year: int, role: str,
                   *, actor=None) -> ClusterMembership:
    """Make `unit` a member of `cluster` in `year` with `role` (member, head or deputy).

    A year has one head (also enforced by a unique index) and any number of deputies.
    """
    if role not in CLUSTER_ROLES:
        raise ClusterError(_("Unknown cluster role: %(role)s.", role=role))
    if not 1945 <= year <= 2200:
        raise ClusterError(_("The year must be between 1945 and 2200."))
    if role == "head":
        holder = session.scalar(
            select(ClusterMembership).where(
                ClusterMembership.cluster_id == cluster.id,
                ClusterMembership.year == year,
                ClusterMembership.role == role,
                ClusterMembership.unit_id != unit.id,
            )
        )
        if holder is not None:
            raise ClusterError(_("%(year)d already has a head: %(unit)s.", year=year,
                                 unit=holder.unit.name))
    membership = session.scalar(
        select(ClusterMembership).where(
            ClusterMembership.cluster_id == cluster.id,
            ClusterMembership.unit_id == unit.id,
            ClusterMembership.year == year,
        )
    )
    before = membership.role if membership else None
    if membership is None:
        membership = ClusterMembership(cluster=cluster, unit=unit, year=year, role=role)
        session.add(membership)
    membership.role = role
    session.flush()
    if before != role:
        record(session, "cluster.membership_set", "cluster", cluster.id, actor=actor,
               data={"unit_id": unit.id, "year": year, "role": [before, role]})
    return membership


def remove_membership(session: Session, membership: ClusterMembership, *, actor=None) -> None:
    data = {"unit_id": membership.unit_id, "year": membership.year, "role": membership.role}
    cluster_id = membership.cluster_id
    session.delete(membership)
    session.flush()
    record(session, "cluster.membership_removed", "cluster", cluster_id, actor=actor, data=data)

"""Read-only queries behind the organisation pages (no writes, no commits)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit, Person
from workflow_app.models.user import User
from workflow_app.org.service.collation import vi_sort_key
from workflow_app.org.service.scope import visible_persons
from workflow_app.search.service.queries import person_ids_matching


@dataclass
class UnitNode:
    """A unit with its sub-units, for rendering the tree."""

    unit: OrgUnit
    children: list[UnitNode] = field(default_factory=list)


def _sort_key(locale: str):
    return lambda node: vi_sort_key(node.unit.display_name(locale))


def unit_tree(session: Session, locale: str) -> list[UnitNode]:
    """The whole unit tree in one query, siblings sorted by their name in `locale`."""
    units = session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    nodes = {unit.id: UnitNode(unit) for unit in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(nodes[unit.id])
    key = _sort_key(locale)
    for node in nodes.values():
        node.children.sort(key=key)
    roots.sort(key=key)
    return roots


def ancestors(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors from the root down (the unit itself excluded), from its path."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    ids = [i for i in ids if i != unit.id]
    if not ids:
        return []
    found = {u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def sub_units(session: Session, unit: OrgUnit, locale: str) -> list[OrgUnit]:
    children = session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit.id)).all()
    return sorted(children, key=lambda u: vi_sort_key(u.display_name(locale)))


def persons_in_unit(session: Session, user: User, unit: OrgUnit) -> list[Person]:
    """Persons directly in `unit` that `user` may see (scoped in SQL).

    Leaders first, then as Vietnamese lists are ordered: by given name (the last word),
    then by the full name.
    """
    query = visible_persons(user).where(Person.unit_id == unit.id)
    return sorted(session.scalars(query), key=lambda p: (
        not p.is_leader, vi_sort_key(p.full_name.rsplit(" ", 1)[-1]), vi_sort_key(p.full_name)))


def memberships_of_unit(session: Session, unit: OrgUnit) -> list[ClusterMembership]:
    query = (
        select(ClusterMembership)
        .where(ClusterMembership.unit_id == unit.id)
        .options(selectinload(ClusterMembership.cluster))
        .order_by(ClusterMembership.year.desc(), ClusterMembership.cluster_id)
    )
    return list(session.scalars(query))


@dataclass
class ClusterYear:
    """One cluster in one year: its head, deputy and all member units (officers included)."""

    year: int
    members: list[ClusterMembership]

    def _holder(self, role: str) -> OrgUnit | None:
        return next((m.unit for m in self.members if m.role == role), None)

    @property
    def head(self) -> OrgUnit | None:
        return self._holder("head")

    @property
    def deputy(self) -> OrgUnit | None:
        return self._holder("deputy")


_ROLE_ORDER = {"head": 0, "deputy": 1, "member": 2}


def cluster_years(cluster: Cluster, locale: str) -> list[ClusterYear]:
    """Each recorded year of `cluster`, newest first; members head first, then by name."""
    by_year: dict[int, list[ClusterMembership]] = defaultdict(list)
    for membership in cluster.memberships:
        by_year[membership.year].append(membership)
    return [
        ClusterYear(
            year,
            sorted(by_year[year], key=lambda m: (
                _ROLE_ORDER.get(m.role, 3), vi_sort_key(m.unit.display_name(locale)))),
        )
        for year in sorted(by_year, reverse=True)
    ]


def all_clusters(session: Session) -> list[Cluster]:
    """Every cluster and block with its memberships and their units, in two queries."""
    query = (
        select(Cluster)
        .options(
            selectinload(Cluster.memberships).selectinload(ClusterMembership.unit),
            selectinload(Cluster.organiser),
        )
        .order_by(Cluster.kind.desc(), Cluster.name)
    )
    return list(session.scalars(query))


def get_cluster(session: Session, cluster_id: int) -> Cluster | None:
    query = (
        select(Cluster)
        .where(Cluster.id == cluster_id)
        .options(selectinload(Cluster.memberships).selectinload(ClusterMembership.unit))
    )
    return session.scalar(query)


def person_page(session: Session, user: User, *, q: str = "", unit_id: int | None = None,
                after: int | None = None, limit: int = 50) -> tuple[list[Person], int | None]:
    """One page of the persons `user` may see (scoped in SQL), in id order after `after`.

    Returns (persons, key): pass `key` as `after` for the next page; None on the last page.
    `q` matches as every search does (`search.service.queries`: the words in order, else
    every word anywhere when that finds nothing), in the database through the search index.
    """
    query = visible_persons(user).options(selectinload(Person.unit)).order_by(Person.id)
    if unit_id is not None:
        query = query.where(Person.unit_id == unit_id)
    matching = person_ids_matching(session, q)
    if matching is not None:
        phrase_found = session.scalar(query.where(Person.id.in_(matching))
                                      .with_only_columns(Person.id).limit(1))
        if phrase_found is None and len(q.split()) > 1:
            matching = person_ids_matching(session, q, "all_words")
        query = query.where(Person.id.in_(matching))
    if after is not None:
        query = query.where(Person.id > after)
    rows = list(session.scalars(query.limit(limit + 1)))
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)

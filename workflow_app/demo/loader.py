"""Idempotent demo data: units, people, clusters and one account per role. DEMO ONLY.

`load_demo` adds only what is missing, matching every row by a stable key (unit and cluster
code, person unit + name, membership cluster + unit + year, account username). It never
overwrites: a second run adds no row and no audit event. Every addition goes through the
audited services (units, clusters, persons, users), so the audit trail shows where the demo
rows came from. Like every service it flushes and never commits; the caller commits once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.accounts.service import users as user_service
from workflow_app.audit.chain import record
from workflow_app.demo.data import DemoData, read_demo_data
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit, Person
from workflow_app.models.user import User
from workflow_app.org.service import clusters as cluster_service
from workflow_app.org.service import persons as person_service
from workflow_app.org.service import units as unit_service


class DemoError(ValueError):
    """The demo data could not be applied to this database; nothing should be committed."""


@dataclass(frozen=True)
class AccountRow:
    """One line of the printed table of demo accounts."""

    username: str
    roles: str
    unit: str
    password: str
    totp_secret: str
    created: bool


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    accounts: list[AccountRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _units(session: Session, data: DemoData, report: DemoReport) -> dict[str, OrgUnit]:
    codes = [spec.code for spec in data.units]
    units = {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes)))}
    for spec in data.units:
        if spec.code in units:
            continue
        parent = units[spec.parent] if spec.parent else None
        try:
            units[spec.code] = unit_service.create_unit(
                session, code=spec.code, name=spec.name, name_en=spec.name_en, kind=spec.kind,
                symbol=spec.symbol, founding_ground=spec.founding_ground,
                head_title=spec.head_title, parent=parent,
            )
        except unit_service.UnitError as exc:
            raise DemoError(f"unit {spec.code}: {exc}") from exc
        report.created["units"] += 1
    return units


def _persons(session: Session, data: DemoData, units: dict[str, OrgUnit],
             report: DemoReport) -> dict[tuple[str, str], Person]:
    unit_ids = {unit.id: code for code, unit in units.items()}
    existing = session.scalars(select(Person).where(Person.unit_id.in_(list(unit_ids))))
    persons = {(unit_ids[p.unit_id], p.full_name): p for p in existing}
    for spec in data.persons:
        if (spec.unit, spec.name) in persons:
            continue
        try:
            persons[(spec.unit, spec.name)] = person_service.create_person(
                session, full_name=spec.name, unit=units[spec.unit], position=spec.position,
                is_leader=spec.is_leader, date_of_birth=spec.born, national_id=spec.national_id,
            )
        except person_service.PersonError as exc:
            raise DemoError(f"person {spec.name} ({spec.unit}): {exc}") from exc
        report.created["persons"] += 1
    return persons


def _officer_taken(session: Session, cluster: Cluster, year: int, role: str) -> bool:
    return session.scalar(
        select(ClusterMembership.id).where(
            ClusterMembership.cluster_id == cluster.id,
            ClusterMembership.year == year,
            ClusterMembership.role == role,
        )
    ) is not None


def _clusters(session: Session, data: DemoData, units: dict[str, OrgUnit],
              report: DemoReport) -> None:
    codes = [spec.code for spec in data.clusters]
    clusters = {c.code: c for c in session.scalars(select(Cluster).where(Cluster.code.in_(codes)))}
    for spec in data.clusters:
        cluster = clusters.get(spec.code)
        if cluster is None:
            cluster = cluster_service.create_cluster(
                session, code=spec.code, name=spec.name, name_en=spec.name_en, kind=spec.kind,
                organiser=units[spec.organiser],
            )
            report.created["clusters"] += 1
        have = {(unit_id, year) for unit_id, year in session.execute(
            select(ClusterMembership.unit_id, ClusterMembership.year)
            .where(ClusterMembership.cluster_id == cluster.id)
        )}
        for year in spec.years:
            for code in year.members:
                unit = units[code]
                if (unit.id, year.year) in have:
                    continue
                role = {year.head: "head", year.deputy: "deputy"}.get(code, "member")
                if role != "member" and _officer_taken(session, cluster, year.year, role):
                    # Someone changed it through the admin pages: theirs wins.
                    report.warnings.append(
                        f"{spec.code} {year.year}: the {role} is already set; "
                        f"{code} added as a member")
                    role = "member"
                cluster_service.set_membership(session, cluster, unit, year.year, role)
                report.created["cluster memberships"] += 1


def _accounts(session: Session, data: DemoData, units: dict[str, OrgUnit],
              persons: dict[tuple[str, str], Person], totp_required_roles: tuple[str, ...],
              report: DemoReport) -> None:
    for spec in data.accounts:
        roles = [role for role, _unit in spec.grants]
        user = session.scalar(select(User).where(User.username == spec.username))
        created = user is None
        try:
            if created:
                user = user_service.create_user(session, spec.username, spec.password,
                                                person=persons[spec.person])
                report.created["accounts"] += 1
            for role, code in spec.grants:
                if units[code].valid_to is not None:
                    # The unit has closed (the 2025 reorganisation): its grant moved or
                    # lapsed then, by the administrator's choice; it is not given again.
                    continue
                before = len(user.grants)
                user_service.grant_role(session, user, role, units[code], actor=None)
                if len(user.grants) > before:
                    report.created["role grants"] += 1
        except user_service.UserError as exc:
            raise DemoError(f"account {spec.username}: {exc}") from exc
        if spec.totp_secret and not user.totp_secret:
            user.totp_secret = spec.totp_secret
            record(session, "auth.totp_enrolled", "user", user.id, data={"source": "demo"})
        report.accounts.append(AccountRow(
            username=spec.username,
            roles=", ".join(roles),
            unit="; ".join(units[code].name for _role, code in spec.grants),
            password=spec.password,
            totp_secret=spec.totp_secret or "",
            created=created,
        ))


def load_demo(session: Session, data: DemoData | None = None, *,
              totp_required_roles: tuple[str, ...] = ()) -> DemoReport:
    """Add whatever demo rows are missing and report what was added and the demo accounts.

    Raises DemoDataError (a broken data file) or DemoError (a clash with this database);
    the caller then rolls back, so nothing is half-loaded.
    """
    data = data or read_demo_data()
    for spec in data.accounts:  # checked before anything is written
        if spec.totp_secret is None and {r for r, _u in spec.grants} & set(totp_required_roles):
            raise DemoError(f"account {spec.username}: its role needs two-factor sign-in, "
                            "so accounts.toml must give it a totp_secret")
    report = DemoReport()
    units = _units(session, data, report)
    persons = _persons(session, data, units, report)
    try:
        _clusters(session, data, units, report)
    except cluster_service.ClusterError as exc:
        raise DemoError(f"clusters: {exc}") from exc
    _accounts(session, data, units, persons, totp_required_roles, report)
    session.flush()
    return report

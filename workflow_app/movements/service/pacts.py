"""Emulation pacts (giao ước thi đua) of a cluster or block for a year, their signatures, and
the election of next year's head and deputies at the year-end review.

The pact (text and targets) is recorded by the cluster's organiser (reviewer over its
organising unit) or by the year's head unit (its submitter or reviewer); each member unit
signs once (who signed, when, on whose behalf), by its own officer or recorded by the
organiser. Electing next year's head and deputies writes the cluster's memberships of the
next year (LEGAL_FACTS §5.2: the head rotates yearly). No rule on pact content or
signatories was found (EMULATION_YEAR §3): nothing here is a legal requirement.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.movement import Pact, PactSignature
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit
from workflow_app.models.user import User
from workflow_app.org.service import clusters as cluster_service
from workflow_app.workflow import Forbidden

OFFICER_ROLES = ("submitter", "reviewer")
TEXT_MAX = 50000
MAX_TARGETS = 100


class PactError(ValueError):
    def __init__(self, message, field_name: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field_name


def members_of(session: Session, cluster: Cluster, year: int) -> list[ClusterMembership]:
    return list(session.scalars(select(ClusterMembership).where(
        ClusterMembership.cluster_id == cluster.id, ClusterMembership.year == year)))


def head_of(session: Session, cluster: Cluster, year: int) -> OrgUnit | None:
    return next((m.unit for m in members_of(session, cluster, year) if m.role == "head"), None)


def is_organiser(user: User | None, cluster: Cluster) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(cluster.organiser, "reviewer"))


def may_keep(session: Session, user: User | None, cluster: Cluster, year: int) -> bool:
    """The organiser, or an officer of the year's head unit."""
    if is_organiser(user, cluster):
        return True
    head = head_of(session, cluster, year)
    return bool(head is not None and user is not None and user.is_active
                and user.can_see_unit(head, *OFFICER_ROLES))


def save_pact(session: Session, actor: User, cluster: Cluster, year: int, *, text: str,
              targets: list[str], place: str = "") -> Pact:
    if not may_keep(session, actor, cluster, year):
        raise Forbidden(_l("Only the cluster's organiser or its head unit records the pact."))
    if not members_of(session, cluster, year):
        raise PactError(_l("The cluster has no members in %(year)d.", year=year), "year")
    body = str(text or "").replace("\x00", "").strip()
    if not body or len(body) > TEXT_MAX:
        raise PactError(_l("Write the pact's text (at most %(max)d characters).",
                           max=TEXT_MAX), "text")
    clean = [t.strip()[:500] for t in targets if t and t.strip()][:MAX_TARGETS]
    pact = session.scalar(select(Pact).where(Pact.cluster_id == cluster.id, Pact.year == year))
    if pact is not None and pact.signatures:
        raise PactError(_l("Members have signed this pact: its text can no longer change."))
    if pact is None:
        pact = Pact(cluster_id=cluster.id, year=year, created_by_id=actor.id)
        session.add(pact)
    pact.text, pact.targets, pact.signed_at_place = body, clean, str(place or "")[:255]
    session.flush()
    record(session, "pact.saved", "pact", pact.id, actor=actor,
           data={"cluster_id": cluster.id, "year": year, "targets": len(clean)})
    return pact


def sign(session: Session, actor: User, pact: Pact, unit: OrgUnit, *, signed_by: str,
         on_behalf_of: str, signed_on: date | None, today: date) -> PactSignature:
    cluster = pact.cluster
    if not (is_organiser(actor, cluster) or (actor is not None and actor.is_active
                                              and actor.can_see_unit(unit, *OFFICER_ROLES))):
        raise Forbidden(_l("A unit signs its own pact (or the organiser records it)."))
    if unit.id not in {m.unit_id for m in members_of(session, cluster, pact.year)}:
        raise PactError(_l("%(unit)s is not a member of the cluster in %(year)d.",
                           unit=unit.name, year=pact.year), "unit_id")
    if any(s.unit_id == unit.id for s in pact.signatures):
        raise PactError(_l("%(unit)s has already signed.", unit=unit.name), "unit_id")
    who = str(signed_by or "").strip()
    if not who or len(who) > 160:
        raise PactError(_l("Give the name of the person who signed."), "signed_by")
    if signed_on is None or signed_on > today:
        raise PactError(_l("Give the date of signing (not in the future)."), "signed_on")
    signature = PactSignature(pact_id=pact.id, unit_id=unit.id, signed_by=who,
                              on_behalf_of=str(on_behalf_of or "").strip()[:255],
                              signed_on=signed_on, recorded_by_id=actor.id)
    pact.signatures.append(signature)
    session.flush()
    record(session, "pact.signed", "pact", pact.id, actor=actor,
           data={"unit_id": unit.id, "signed_by": who, "signed_on": signed_on.isoformat()})
    return signature


def elect_next_year(session: Session, actor: User, cluster: Cluster, year: int, *,
                    head: OrgUnit, deputies: list[OrgUnit]) -> None:
    """At the year-end review: next year's head and deputies, among this year's members.
    This year's other members stay members next year."""
    if not is_organiser(actor, cluster):
        raise Forbidden(_l("Only the cluster's organiser records the election."))
    members = {m.unit_id: m.unit for m in members_of(session, cluster, year)}
    chosen = [head, *deputies]
    if any(u.id not in members for u in chosen):
        raise PactError(_l("The head and deputies are chosen among this year's members."),
                        "head_unit_id")
    if head.id in {d.id for d in deputies}:
        raise PactError(_l("The head cannot also be a deputy."), "deputy_unit_ids")
    roles = {unit_id: "member" for unit_id in members}
    roles.update({d.id: "deputy" for d in deputies})
    roles[head.id] = "head"
    for existing in members_of(session, cluster, year + 1):  # free the head seat first
        if existing.role == "head" and existing.unit_id != head.id:
            cluster_service.set_membership(session, cluster, existing.unit, year + 1,
                                           "member", actor=actor)
    for unit_id, role in sorted(roles.items(), key=lambda kv: kv[1] == "head"):
        cluster_service.set_membership(session, cluster, members[unit_id], year + 1, role,
                                       actor=actor)
    session.flush()
    record(session, "pact.next_year_elected", "cluster", cluster.id, actor=actor,
           data={"year": year + 1, "head_unit_id": head.id,
                 "deputy_unit_ids": [d.id for d in deputies]})

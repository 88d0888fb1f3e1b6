"""Quotas: caps per unit and year taken from the catalogue (`[award.quota]`), counted live.

A nominee counts once towards an award and year for a unit when either the registry holds an
active record of it (the person's unit is the unit or below it), or a dossier submitted by
the unit or a unit below it is still open or was decided. Withdrawn, rejected and revoked
dossiers and revoked records never count. A cap is `floor(max × base)`, where the base is the
same count for the quota's `award` (e.g. CSTĐCS ≤ 15/100 of LĐTT). Exceeding a cap needs a
recorded QuotaException (audited `quota.exception_recorded`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.queries import award_by_code, today_local
from workflow_app.eligibility.facts import TERMINAL_STATES
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import QuotaException
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord

# Terminal states that still count: the award was conferred.
COUNTED_TERMINAL = ("decided",)
NOT_COUNTED = tuple(s for s in TERMINAL_STATES if s not in COUNTED_TERMINAL)


@dataclass
class QuotaStatus:
    """Where a unit stands against an award's cap in one year."""

    unit: OrgUnit
    award_code: str
    year: int
    used: int
    cap: int | None  # None: no cap, or one the system cannot count (a group base)
    base: int | None = None
    rule: dict[str, Any] = field(default_factory=dict)
    exception: QuotaException | None = None

    @property
    def has_cap(self) -> bool:
        return self.cap is not None

    @property
    def over(self) -> bool:
        return self.cap is not None and self.used > self.cap

    @property
    def blocked(self) -> bool:
        """Over the cap without a recorded decision allowing it."""
        return self.over and self.exception is None

    @property
    def explanation(self) -> str:
        rule = self.rule
        if rule.get("kind") != "share_of":
            return _("No quota for this award.")
        if "group" in rule:
            return _("Cap of %(max)s of the cluster and block leaders: counted by the "
                     "reviewer.", max=rule.get("max"))
        return _("At most %(max)s of %(base_award)s: %(base)d × %(max)s = %(cap)d.",
                 max=rule.get("max"), base_award=rule.get("award"), base=self.base or 0,
                 cap=self.cap or 0)


def _subtree(unit: OrgUnit):
    return OrgUnit.path.startswith(unit.path, autoescape=True)


def count_nominees(session: Session, unit: OrgUnit, award_code: str, year: int) -> int:
    """Distinct nominees for `award_code` and `year` in `unit` (see the module docstring)."""
    keys: set[tuple[str, int]] = set()
    person_rows = session.execute(
        select(AwardRecord.person_id).join(Person, AwardRecord.person_id == Person.id)
        .join(OrgUnit, Person.unit_id == OrgUnit.id)
        .where(_subtree(unit), AwardRecord.award_code == award_code, AwardRecord.year == year,
               AwardRecord.revoked_at.is_(None)))
    keys |= {("p", pid) for (pid,) in person_rows}
    unit_rows = session.execute(
        select(AwardRecord.unit_id).join(OrgUnit, AwardRecord.unit_id == OrgUnit.id)
        .where(_subtree(unit), AwardRecord.award_code == award_code, AwardRecord.year == year,
               AwardRecord.revoked_at.is_(None)))
    keys |= {("u", uid) for (uid,) in unit_rows}
    dossiers = session.execute(
        select(Dossier.nominee_person_id, Dossier.nominee_unit_id)
        .join(Award, Dossier.award_id == Award.id)
        .join(OrgUnit, Dossier.unit_id == OrgUnit.id)
        .where(_subtree(unit), Award.code == award_code, Dossier.year == year,
               Dossier.state.not_in(NOT_COUNTED)))
    for person_id, unit_id in dossiers:
        keys.add(("p", person_id) if person_id is not None else ("u", unit_id))
    return len(keys)


def quota_status(session: Session, unit: OrgUnit, award_code: str, year: int,
                 on: date | None = None) -> QuotaStatus:
    """Used, cap and over? for `unit`, `award_code`, `year` under the rule in force on `on`."""
    award = award_by_code(session, award_code)
    version = award.version_on(on or today_local()) if award is not None else None
    rule = dict(version.quota or {}) if version is not None else {}
    used = count_nominees(session, unit, award_code, year)
    status = QuotaStatus(unit, award_code, year, used, None, rule=rule)
    if rule.get("kind") == "share_of" and rule.get("award"):
        status.base = count_nominees(session, unit, rule["award"], year)
        status.cap = math.floor(Fraction(rule["max"]) * status.base)
    status.exception = session.scalar(select(QuotaException).where(
        QuotaException.unit_id == unit.id, QuotaException.award_code == award_code,
        QuotaException.year == year))
    return status


def dossier_quota(session: Session, dossier: Dossier) -> QuotaStatus:
    return quota_status(session, dossier.unit, dossier.award.code, dossier.year)


def quota_violations(session: Session, dossiers: list[Dossier]) -> list[QuotaStatus]:
    """Before a council session: each (unit, award, year) among `dossiers` that is over its
    cap without a recorded exception, once."""
    seen: set[tuple[int, int, int]] = set()
    found = []
    for dossier in dossiers:
        key = (dossier.unit_id, dossier.award_id, dossier.year)
        if key in seen:
            continue
        seen.add(key)
        status = dossier_quota(session, dossier)
        if status.blocked:
            found.append(status)
    return found


class QuotaExceptionError(ValueError):
    """A quota exception that cannot be recorded; the message is shown to the user."""


def record_quota_exception(session: Session, unit: OrgUnit, award_code: str, year: int,
                           reason: str, actor) -> QuotaException:
    """Record the decision to let `unit` exceed the cap of `award_code` in `year`."""
    reason = (reason or "").strip()
    if not reason:
        raise QuotaExceptionError(_l("Give the reason for exceeding the quota."))
    if award_by_code(session, award_code) is None:
        raise QuotaExceptionError(_l("Unknown award."))
    existing = session.scalar(select(QuotaException).where(
        QuotaException.unit_id == unit.id, QuotaException.award_code == award_code,
        QuotaException.year == year))
    if existing is not None:
        raise QuotaExceptionError(_l("An exception is already recorded for this unit, award "
                                     "and year."))
    status = quota_status(session, unit, award_code, year)
    entry = QuotaException(unit_id=unit.id, award_code=award_code, year=year, reason=reason,
                           created_by_id=getattr(actor, "id", None))
    session.add(entry)
    session.flush()
    record(session, "quota.exception_recorded", "org_unit", unit.id, actor=actor,
           data={"award": award_code, "year": year, "used": status.used, "cap": status.cap,
                 "reason": reason})
    return entry

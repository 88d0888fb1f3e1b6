"""Quotas: caps per unit and year taken from the catalogue (`[award.quota]`), counted live.

A nominee counts once towards an award and year for a unit when either the registry holds an
active record of it (the person's unit is the unit or below it), or a dossier submitted by
the unit or a unit below it is still open or was decided. Withdrawn, rejected and revoked
dossiers and revoked records never count. A cap is `floor(max × base)`, where the base is the
same count for the quota's `award` (e.g. CSTĐCS ≤ 15/100 of LĐTT). Exceeding a cap needs a
recorded QuotaException (audited `quota.exception_recorded`).

A quota on a group (`group = "cluster_leaders"`, Cờ thi đua của Chính phủ: at most 1/5 of the
collectives acclaimed as cluster or block leaders — an old-regime default, configurable,
LEGAL_FACTS §1.2/§5.2) is counted over the whole body the submitting unit belongs to (the root
of its unit tree, e.g. the Ministry): the base is the number of distinct units acclaimed
(`AcclamationResult.acclaimed`) at the year's conferences of clusters organised within it,
the count the body's nominees for the award that year.
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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import award_by_code, today_local
from workflow_app.catalogue.service.words import ratio_words
from workflow_app.eligibility.service.facts import TERMINAL_STATES
from workflow_app.models.acclamation import (
    AcclamationConference,
    AcclamationContest,
    AcclamationResult,
)
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import QuotaException
from workflow_app.models.org import Cluster, OrgUnit, Person
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
    def award_name(self) -> str:
        return self.rule.get("award_name") or self.award_code

    @property
    def explanation(self) -> str:
        rule = self.rule
        if rule.get("kind") != "share_of":
            return _("No quota for this award.")
        ratio = ratio_words(str(rule.get("max")))
        if "group" in rule:
            text = _("At most %(max)s of the collectives acclaimed as cluster or block leaders "
                     "in %(year)d within %(unit)s: %(base)d × %(max)s = %(cap)d.",
                     max=ratio, year=self.year, unit=self.unit.name,
                     base=self.base or 0, cap=self.cap or 0)
        else:
            text = _("At most %(max)s of the nominees for %(base_award)s in %(year)d: "
                     "%(base)d × %(max)s = %(cap)d.", max=ratio, year=self.year,
                     base_award=rule.get("base_award_name") or rule.get("award"),
                     base=self.base or 0, cap=self.cap or 0)
        if not self.base:
            # "2 used of 0 allowed" read as a rule against the unit; it is missing data.
            text += " " + _("None is recorded yet for %(year)d (dossiers under way or decided, "
                            "awards entered in the registry): the quota stays 0 until then.",
                            year=self.year)
        return text


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


def count_cluster_leaders(session: Session, unit: OrgUnit, year: int) -> int:
    """Distinct units acclaimed at the `year` conferences of clusters organised in `unit`."""
    return len(set(session.scalars(
        select(AcclamationResult.unit_id)
        .join(AcclamationContest, AcclamationResult.contest_id == AcclamationContest.id)
        .join(AcclamationConference,
              AcclamationContest.conference_id == AcclamationConference.id)
        .join(Cluster, AcclamationConference.cluster_id == Cluster.id)
        .join(OrgUnit, Cluster.organiser_unit_id == OrgUnit.id)
        .where(_subtree(unit), AcclamationConference.year == year,
               AcclamationResult.acclaimed.is_(True)))))


GROUP_COUNTERS = {"cluster_leaders": count_cluster_leaders}


def root_of(session: Session, unit: OrgUnit) -> OrgUnit:
    """The top of `unit`'s tree (the body: a ministry or a province)."""
    root_id = int(unit.path.strip("/").split("/")[0])
    return unit if root_id == unit.id else session.get(OrgUnit, root_id)


def _rule_on(session: Session, award_code: str, on: date | None) -> dict[str, Any]:
    award = award_by_code(session, award_code)
    version = award.version_on(on or today_local()) if award is not None else None
    if version is None:
        return {}
    rule = {**(version.quota or {}), "award_name": version.name_vi}
    base = award_by_code(session, rule["award"]) if rule.get("award") else None
    base_version = base.version_on(on or today_local()) if base is not None else None
    if base_version is not None:
        rule["base_award_name"] = base_version.name_vi
    return rule


def quota_status(session: Session, unit: OrgUnit, award_code: str, year: int,
                 on: date | None = None) -> QuotaStatus:
    """Used, cap and over? for `unit`, `award_code`, `year` under the rule in force on `on`.
    For a group quota, `unit` should be the body (see `quota_unit`)."""
    rule = _rule_on(session, award_code, on)
    used = count_nominees(session, unit, award_code, year)
    status = QuotaStatus(unit, award_code, year, used, None, rule=rule)
    if rule.get("kind") == "share_of" and rule.get("award"):
        status.base = count_nominees(session, unit, rule["award"], year)
        status.cap = math.floor(Fraction(rule["max"]) * status.base)
    elif rule.get("kind") == "share_of" and rule.get("group") in GROUP_COUNTERS:
        status.base = GROUP_COUNTERS[rule["group"]](session, unit, year)
        status.cap = math.floor(Fraction(rule["max"]) * status.base)
    status.exception = session.scalar(select(QuotaException).where(
        QuotaException.unit_id == unit.id, QuotaException.award_code == award_code,
        QuotaException.year == year))
    return status


def quota_unit(session: Session, unit: OrgUnit, award_code: str,
               on: date | None = None) -> OrgUnit:
    """The unit a quota is counted over: the submitting unit, or for a group quota the body
    it belongs to."""
    rule = _rule_on(session, award_code, on)
    return root_of(session, unit) if rule.get("group") else unit


def unit_quotas(session: Session, unit: OrgUnit, year: int,
                on: date | None = None) -> list[QuotaStatus]:
    """Where `unit` stands in `year` against every award with a quota rule in force on `on`
    (a group quota counted over the body `unit` belongs to), by award code."""
    day = on or today_local()
    statuses = []
    for award in session.scalars(select(Award).order_by(Award.code)):
        version = award.version_on(day)
        if version is None or (version.quota or {}).get("kind") != "share_of":
            continue
        statuses.append(quota_status(session, quota_unit(session, unit, award.code, day),
                                     award.code, year, day))
    return statuses


def dossier_quota(session: Session, dossier: Dossier) -> QuotaStatus:
    code = dossier.award.code
    return quota_status(session, quota_unit(session, dossier.unit, code), code, dossier.year)


def quota_violations(session: Session, dossiers: list[Dossier]) -> list[QuotaStatus]:
    """Before a council session: each (quota unit, award, year) among `dossiers` that is over
    its cap without a recorded exception, once."""
    seen: set[tuple[int, str, int]] = set()
    found = []
    for dossier in dossiers:
        status = dossier_quota(session, dossier)
        key = (status.unit.id, status.award_code, status.year)
        if key in seen:
            continue
        seen.add(key)
        if status.blocked:
            found.append(status)
    return found


class QuotaExceptionError(ValueError):
    """A quota exception that cannot be recorded; the message is shown to the user."""


def record_quota_exception(session: Session, unit: OrgUnit, award_code: str, year: int,
                           reason: str, actor, context: dict | None = None) -> QuotaException:
    """Record the decision to let `unit` exceed the cap of `award_code` in `year`; `context`
    (e.g. the council session it was taken at) goes into the audit event."""
    reason = (reason or "").strip()
    if not reason:
        raise QuotaExceptionError(_l("Give the reason for exceeding the quota."))
    if len(reason) > 2000:
        raise QuotaExceptionError(_l("The reason is too long (at most %(max)d characters).",
                                     max=2000))
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
    try:
        session.flush()
    except IntegrityError:  # recorded concurrently by someone else; the caller rolls back
        raise QuotaExceptionError(_l("An exception is already recorded for this unit, award "
                                     "and year.")) from None
    record(session, "quota.exception_recorded", "org_unit", unit.id, actor=actor,
           data={"award": award_code, "year": year, "used": status.used, "cap": status.cap,
                 "reason": reason, **(context or {})})
    return entry

"""Eligibility of a dossier, reviewer overrides, and a person's (or a unit's) eligibility for
each award.

A dossier is judged under the rule version fixed at its receipt (`award_version`), or — not
yet received — the version in force on `on` (the day it would be received). An override
(`EligibilityOverride`) makes one top-level rule count as met for that dossier only; it needs
a reason and the reviewer role, and is audited (`eligibility.overridden`).

Eligibility only gates the dossier while a transition guarded by `eligibility_met` can still
be reached from its state (`eligibility_open`: draft, returned, and the appraisal states that
can return it). Afterwards — decided, forwarded, rejected … — the results are information
only: a later change in the records (a revocation) may turn a rule "not met", but that
neither blocks anything nor admits an override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import today_local
from workflow_app.eligibility.service.duplicates import duplicates_for
from workflow_app.eligibility.service.evaluate import blocking, evaluate, summary_status
from workflow_app.eligibility.service.quotas import dossier_quota
from workflow_app.eligibility.service.results import NOT_MET, RuleResult
from workflow_app.models.catalogue import CONFERRING_LEVELS, Award, AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import EligibilityOverride
from workflow_app.models.org import OrgUnit, Person
from workflow_app.workdays import local_date

MAX_REASON = 2000


class OverrideError(ValueError):
    """An override that cannot be recorded; the message is shown to the reviewer."""


def receipt_day(dossier: Dossier, on: date | None = None) -> date:
    """The receipt date when the dossier has one, else `on` (default: today in Vietnam)."""
    if dossier.received_at is not None:
        return local_date(dossier.received_at)
    return on or today_local()


def dossier_eligibility(session: Session, dossier: Dossier,
                        on: date | None = None) -> list[RuleResult]:
    """The dossier's rules, with the overrides recorded on it attached to their results."""
    results = _evaluate_dossier(session, dossier, on)
    _attach_overrides(session, dossier, results)
    return results


def blocking_rules(session: Session, dossier: Dossier, on: date | None = None
                   ) -> list[RuleResult]:
    """The top-level rules that stop the dossier (`blocking`), the overrides considered; the
    overrides are read only when a rule is not met (the submission guard's question)."""
    results = _evaluate_dossier(session, dossier, on)
    if any(r.status == NOT_MET for r in results):
        _attach_overrides(session, dossier, results)
    return blocking(results)


def _evaluate_dossier(session: Session, dossier: Dossier, on: date | None) -> list[RuleResult]:
    day = receipt_day(dossier, on)
    nominee = dossier.nominee_person or dossier.nominee_unit
    if nominee is None:
        return []
    return evaluate(session, nominee, dossier.award.code, dossier.year, day,
                    exclude_dossier_id=dossier.id, version=dossier.rule_version(day))


def _attach_overrides(session: Session, dossier: Dossier, results: list[RuleResult]) -> None:
    if not results:
        return
    overrides = {o.rule_id: o for o in session.scalars(
        select(EligibilityOverride).where(EligibilityOverride.dossier_id == dossier.id)
        .options(selectinload(EligibilityOverride.created_by)))}
    for result in results:
        result.overridden_by = overrides.get(result.rule_id)


ELIGIBILITY_GUARD = "eligibility_met"


def eligibility_open(dossier: Dossier) -> bool:
    """True while the dossier's state can still reach a transition guarded by
    `eligibility_met` (read from its workflow definition, not a list of state names)."""
    from workflow_app.workflow import definition_of

    definition = definition_of(dossier)
    gated = {source for t in definition.transitions if ELIGIBILITY_GUARD in t.guards
             for source in t.sources}
    seen, todo = set(), [dossier.state]
    while todo:
        state = todo.pop()
        if state in gated:
            return True
        if state in seen:
            continue
        seen.add(state)
        todo.extend(t.dest for t in definition.transitions_from(state))
    return False


def override_rule(session: Session, dossier: Dossier, rule_id: str, reason: str,
                  actor) -> EligibilityOverride:
    """Record that `rule_id` counts as met for `dossier`. Raises OverrideError."""
    reason = (reason or "").strip()
    if not reason:
        raise OverrideError(_l("Give the reason for the override."))
    if len(reason) > MAX_REASON:
        raise OverrideError(_l("The reason is too long."))
    if not eligibility_open(dossier):
        raise OverrideError(_l("The dossier is past the eligibility check (it can no longer be "
                               "submitted): its eligibility is shown for information only."))
    rule = next((r for r in dossier_eligibility(session, dossier) if r.rule_id == rule_id), None)
    if rule is None:
        raise OverrideError(_l("This dossier has no such rule."))
    if rule.overridden_by is not None:
        raise OverrideError(_l("This rule has already been overridden."))
    entry = EligibilityOverride(dossier_id=dossier.id, rule_id=rule_id, reason=reason,
                                created_by_id=getattr(actor, "id", None))
    session.add(entry)
    session.flush()
    record(session, "eligibility.overridden", "dossier", dossier.id, actor=actor,
           data={"rule_id": rule_id, "kind": rule.kind, "status": rule.status,
                 "reason": reason})
    return entry


@dataclass
class AwardEligibility:
    version: AwardVersion
    results: list[RuleResult]

    @property
    def status(self) -> str:
        return summary_status(self.results)


def person_eligibility(session: Session, person: Person, year: int,
                       on: date) -> list[AwardEligibility]:
    """Every award whose version in force on `on` fits an individual, evaluated for `year`."""
    return nominee_eligibility(session, person, year, on)


def nominee_eligibility(session: Session, nominee: Person | OrgUnit, year: int,
                        on: date) -> list[AwardEligibility]:
    """Every award whose version in force on `on` fits the nominee — a person (individual)
    or a unit (collective) — evaluated for `year`, in the catalogue's order."""
    other_subject = "collective" if isinstance(nominee, Person) else "individual"
    rows = []
    awards = session.scalars(select(Award).options(selectinload(Award.versions))).all()
    for award in sorted(awards, key=lambda a: a.code):
        version = award.version_on(on)
        if version is None or version.subject == other_subject:
            continue
        rows.append(AwardEligibility(version, evaluate(session, nominee, award.code, year, on,
                                                       version=version)))
    rows.sort(key=lambda r: (CONFERRING_LEVELS.index(r.version.conferring_level),
                             r.version.position))
    return rows


def eligibility_context(session: Session, dossier: Dossier, viewer) -> dict:
    """Prerequisites and quota for everyone who reads the dossier; duplicate flags for the
    reviewers responsible for its unit (issue 5 §4–6). `eligibility_open` is False once the
    dossier is past the eligibility check: the results are then information only."""
    context = {"eligibility": dossier_eligibility(session, dossier),
               "eligibility_open": eligibility_open(dossier),
               "quota": dossier_quota(session, dossier), "duplicates": None}
    if viewer.can_see_unit(dossier.unit, "reviewer"):
        context["duplicates"] = duplicates_for(session, dossier)
    return context

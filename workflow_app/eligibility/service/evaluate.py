"""`evaluate(session, nominee, award_code, year, on)`: every prerequisite of the award's rule
version in force on `on`, evaluated against the registry.

Guarantees: the rule version is the one in force on `on` (a dossier's receipt date); revoked
awards never count; a prerequisite restricted to the other subject (individual/collective)
is skipped; every kind the catalogue validator accepts has an evaluator (`EVALUATORS`; a
test keeps it in step with `catalogue.service.prerequisites.KINDS`). The catalogue does not say
whether a prerequisite is mandatory, so every top-level prerequisite is treated as mandatory;
only a "not met" blocks submission, an "unknown" is left to the reviewer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.eligibility.service import rules_collective as c
from workflow_app.eligibility.service import rules_history as h
from workflow_app.eligibility.service import rules_manual as m
from workflow_app.eligibility.service import rules_results as r
from workflow_app.eligibility.service.facts import Facts
from workflow_app.eligibility.service.results import (
    NOT_MET,
    UNKNOWN,
    RuleResult,
    all_of,
    any_of,
    provenance_of,
)
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.org import OrgUnit, Person

Evaluator = Callable[[dict[str, Any], Facts], tuple[str, str]]
EVALUATORS: dict[str, Evaluator] = {
    "holds_award": h.holds_award,
    "consecutive_titles": h.consecutive_titles,
    "titles_in_period": h.titles_in_period,
    "rating_years": h.rating_years,
    "initiative": h.initiative,
    "science_topic": h.initiative,
    "unit_rating": c.unit_rating,
    "member_share": c.member_share,
    "member_count": c.member_count,
    "no_disciplined_member": m.no_disciplined_member,
    "no_pending_proceedings": m.no_pending_proceedings,
    "cluster_leader": r.cluster_leader,
    "movement_leader": r.movement_leader,
    "criterion": m.criterion,
}
COMBINED = ("any_of", "all_of")
# Kinds that need a person's own history: for a collective they are not applicable.
INDIVIDUAL_ONLY = ("rating_years", "initiative", "science_topic")
COLLECTIVE_ONLY = ("unit_rating", "member_share", "member_count", "no_disciplined_member",
                   "cluster_leader", "movement_leader")


def evaluate(session: Session, nominee: Person | OrgUnit, award_code: str, year: int,
             on: date, *, exclude_dossier_id: int | None = None,
             version: AwardVersion | None = None) -> list[RuleResult]:
    """One result per applicable top-level prerequisite (a single "unknown" when no rule
    version of the award is in force on `on`)."""
    if version is None:
        award = award_by_code(session, award_code)
        version = award.version_on(on) if award is not None else None
    if version is None:
        return [RuleResult("0", "version", UNKNOWN,
                           _("No rule of %(award)s is in force on %(day)s.", award=award_code,
                             day=format_date(on, "dd/MM/yyyy")), configurable=False)]
    facts = Facts.load(session, nominee, year, on, exclude_dossier_id, award_code)
    subject = "individual" if isinstance(nominee, Person) else "collective"
    results = []
    for index, prerequisite in enumerate(version.prerequisites or [], start=1):
        if _applies(prerequisite, subject):
            results.append(_evaluate_one(prerequisite, facts, str(index), None, subject))
    return results


def _applies(prerequisite: dict[str, Any], subject: str) -> bool:
    if prerequisite.get("subject", subject) != subject:
        return False
    if subject == "collective" and prerequisite["kind"] in INDIVIDUAL_ONLY:
        # "Rated A five years running" for a unit: a rating_years condition written for
        # collectives (`subject = "collective"`) reads the unit's yearly ratings, which
        # published scoring results write (scoring.publish_results).
        return prerequisite["kind"] == "rating_years" and \
            prerequisite.get("subject") == "collective"
    return not (subject == "individual" and prerequisite["kind"] in COLLECTIVE_ONLY)


def _evaluate_one(prerequisite: dict[str, Any], facts: Facts, rule_id: str,
                  parent: RuleResult | None, subject: str) -> RuleResult:
    kind = prerequisite["kind"]
    result = RuleResult(rule_id, kind, UNKNOWN, "", **provenance_of(prerequisite, parent))
    if kind in COMBINED:
        options = [o for o in prerequisite.get("options") or [] if _applies(o, subject)]
        result.options = [_evaluate_one(o, facts, f"{rule_id}.{i}", result, subject)
                          for i, o in enumerate(options, start=1)]
        if not result.options:
            result.explanation = _("No option applies to this nominee.")
            return result
        result.status = (any_of if kind == "any_of" else all_of)(result.options)
        result.explanation = (_("At least one of the following:") if kind == "any_of"
                              else _("All of the following:"))
        return result
    result.status, result.explanation = EVALUATORS[kind](prerequisite, facts)
    return result


def blocking(results: list[RuleResult]) -> list[RuleResult]:
    """Top-level results that stop submission: mandatory, not met and not overridden."""
    return [r for r in results if r.blocks]


def summary_status(results: list[RuleResult]) -> str:
    """One word for a list: not_met if any blocks, unknown if any is unknown, else met."""
    if any(r.blocks for r in results):
        return NOT_MET
    return all_of([r for r in results if r.overridden_by is None])

"""Eligibility, quotas and duplicate flags → response models (labels in the caller's
language)."""

from __future__ import annotations

from workflow_app.api.presenters import unit_ref
from workflow_app.eligibility.api.schemas_dossier import (
    DuplicateOut,
    EligibilityOut,
    OverrideOut,
    QuotaOut,
    RuleOut,
)
from workflow_app.eligibility.service.duplicates import DuplicateFlag
from workflow_app.eligibility.service.quotas import QuotaStatus
from workflow_app.eligibility.service.results import RuleResult
from workflow_app.models.dossier import Dossier
from workflow_app.registry.service.labels import DUPLICATE, STATUS


def rule_out(result: RuleResult, *, top: bool = True, gating: bool = True) -> RuleOut:
    """One rule; an option of an any-of / all-of rule never blocks on its own, nor does any
    rule of a dossier past the eligibility check (`gating` False)."""
    override = result.overridden_by
    return RuleOut(
        rule_id=result.rule_id, kind=result.kind, status=result.status,
        status_label=str(STATUS.get(result.status, result.status)),
        explanation=result.explanation, basis=result.basis, configurable=result.configurable,
        old_regime=result.old_regime, mandatory=result.mandatory,
        blocks=gating and top and result.blocks,
        overridden=None if override is None else OverrideOut(
            reason=override.reason, created_at=override.created_at,
            by=override.created_by.display_name if override.created_by else ""),
        options=[rule_out(option, top=False, gating=gating) for option in result.options])


def quota_out(quota: QuotaStatus | None, locale: str) -> QuotaOut | None:
    """The quota as the page shows it: only when the award has a quota rule."""
    if quota is None or not (quota.has_cap or quota.rule.get("kind") == "share_of"):
        return None
    return QuotaOut(
        unit=unit_ref(quota.unit, locale), award_code=quota.award_code, year=quota.year,
        used=quota.used, cap=quota.cap, over=quota.over, blocked=quota.blocked,
        explanation=quota.explanation, configurable=bool(quota.rule.get("configurable")),
        exception_reason=quota.exception.reason if quota.exception else None)


def duplicate_out(flag: DuplicateFlag) -> DuplicateOut:
    return DuplicateOut(kind=flag.kind, kind_label=str(DUPLICATE.get(flag.kind, flag.kind)),
                        other_dossier_id=flag.other.id, explanation=flag.explanation)


def eligibility_out(dossier: Dossier, context: dict, locale: str) -> EligibilityOut:
    """`context` is the dossier page's (`dossiers.views.pages.eligibility_context`)."""
    rules = context["eligibility"]
    duplicates = context["duplicates"]
    is_open = context["eligibility_open"]
    return EligibilityOut(
        dossier_id=dossier.id, rules=[rule_out(r, gating=is_open) for r in rules],
        blocks_submission=is_open and any(r.blocks for r in rules), gating=is_open,
        quota=quota_out(context["quota"], locale),
        duplicates=None if duplicates is None else [duplicate_out(f) for f in duplicates])

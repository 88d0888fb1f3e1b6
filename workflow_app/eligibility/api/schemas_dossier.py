"""What the dossier page shows about a dossier's eligibility: the award's prerequisites
(with reviewers' overrides), the unit's quota, and — for the reviewers responsible for the
unit — possible duplicates."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import ResponseModel
from workflow_app.api.schemas.shared import Ref


class OverrideOut(ResponseModel):
    reason: str
    by: str = Field(description="Who recorded it (display name).")
    created_at: datetime


class RuleOut(ResponseModel):
    rule_id: str = Field(description='"2" for the second prerequisite, "2.1" for its first '
                                     "option.")
    kind: str
    status: Literal["met", "not_met", "unknown"]
    status_label: str
    explanation: str
    basis: str | None = Field(description="The legal source; null: a configurable rule with "
                                          "no confirmed legal source.")
    configurable: bool
    old_regime: bool
    mandatory: bool
    blocks: bool = Field(description="A top-level rule, mandatory, not met and not "
                                     "overridden: it stops submission (options never block "
                                     "on their own).")
    overridden: OverrideOut | None
    options: list[RuleOut] = Field(description="The options of an any-of / all-of rule.")


class QuotaOut(ResponseModel):
    unit: Ref = Field(description="The unit whose quota counts (the submitting unit's root).")
    award_code: str
    year: int
    used: int
    cap: int | None = Field(description="null: no cap the system can count.")
    over: bool
    blocked: bool = Field(description="Over the cap without a recorded decision allowing it.")
    explanation: str
    configurable: bool = Field(description="The quota rule has no confirmed legal source.")
    exception_reason: str | None = Field(
        description="The recorded decision that allows exceeding the cap.")


class DuplicateOut(ResponseModel):
    kind: Literal["same_nomination", "same_attachment", "same_report"]
    kind_label: str
    other_dossier_id: int
    explanation: str


class EligibilityOut(ResponseModel):
    dossier_id: int
    rules: list[RuleOut] = Field(description="Empty: the award has no prerequisites.")
    blocks_submission: bool
    gating: bool = Field(description=(
        "False once the dossier is past the eligibility check (decided, forwarded, closed): "
        "the rules are then information only — a later revocation may make one not met, "
        "but nothing is blocked and no override is accepted."))
    quota: QuotaOut | None = Field(description="null: the award has no quota.")
    duplicates: list[DuplicateOut] | None = Field(
        description="Only for reviewers responsible for the dossier's unit (null otherwise).")

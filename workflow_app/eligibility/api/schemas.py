"""Eligibility of a person or a unit for each award in a year, quota counts for a unit and
year, a reviewer's override of a rule on a dossier, and a decision to exceed a quota."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    BodyYear,
    QueryModel,
    QueryYear,
    ReauthIn,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref
from workflow_app.eligibility.api.schemas_dossier import QuotaOut, RuleOut
from workflow_app.eligibility.service.dossier import MAX_REASON


class YearQuery(QueryModel):
    year: QueryYear | None = Field(None, description="Default: this year (Vietnam time).")


class AwardEligibilityOut(ResponseModel):
    award: Ref
    version_id: int = Field(description="The rule version in force today, judged against.")
    conferring_level: str
    legal_basis: str | None
    status: Literal["met", "not_met", "unknown"] = Field(
        description="not_met if a mandatory rule is not met; unknown if a rule needs data "
                    "the registry lacks or a person's judgment; else met.")
    status_label: str
    rules: list[RuleOut] = Field(description="Each rule with its legal basis (null: a "
                                             "configurable rule without a confirmed source).")


class NomineeEligibilityOut(ResponseModel):
    year: int
    judged_on: date = Field(description="The rules in force on this day are used.")
    person: Ref | None
    unit: Ref | None
    awards: list[AwardEligibilityOut] = Field(
        description="Every award in force that fits the nominee (an individual or a "
                    "collective), by level and position in the catalogue.")


class UnitQuotasOut(ResponseModel):
    unit: Ref
    year: int
    quotas: list[QuotaOut] = Field(description="Every award with a quota rule in force, by "
                                                "code (a group quota is counted over the "
                                                "body the unit belongs to: see `unit`).")


class OverrideIn(ReauthIn):
    rule_id: str = Field(min_length=1, max_length=60, pattern=r"^[0-9]+(\.[0-9]+)*$",
                         description='The top-level rule, e.g. "2" (GET '
                                     '/dossiers/{id}/eligibility).')
    reason: str = Field(min_length=1, max_length=MAX_REASON, pattern=NO_NUL)


class QuotaExceptionIn(ReauthIn):
    unit_id: BodyId = Field(description="The unit the quota counts over (the quota's `unit`).")
    award_code: str = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$")
    year: BodyYear
    reason: str = Field(min_length=1, max_length=2000, pattern=NO_NUL,
                        description="The reason and the reference of the decision to exceed "
                                    "the quota.")


class QuotaExceptionOut(ResponseModel):
    id: int
    unit: Ref
    award_code: str
    year: int
    reason: str
    created_by: str | None
    created_at: datetime
    quota: QuotaOut | None = Field(description="Where the unit stands now (null: the award "
                                               "has no quota rule).")

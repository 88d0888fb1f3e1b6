"""The reports over the API: statistics (counts by a grouping and year, shares, year-on-year
change), the records behind a figure, and the process report of a year."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import QueryId, QueryModel, QueryYear, ResponseModel
from workflow_app.api.schemas.shared import Ref
from workflow_app.models.catalogue import COMMENDATION_TYPES, CONFERRING_LEVELS
from workflow_app.reports.service.filters import ATTRIBUTES, GROUPINGS, SOURCES, SUBJECTS

Level = Literal[CONFERRING_LEVELS]  # type: ignore[valid-type]
Subject = Literal[SUBJECTS]  # type: ignore[valid-type]
Attribute = Literal[ATTRIBUTES]  # type: ignore[valid-type]
Grouping = Literal[GROUPINGS]  # type: ignore[valid-type]
Source = Literal[SOURCES]  # type: ignore[valid-type]
CommendationType = Literal[COMMENDATION_TYPES]  # type: ignore[valid-type]


class StatisticsQuery(QueryModel):
    source: Source = Field("awards", description=(
        "awards: active award records of the registry; dossiers: nominations (dossiers "
        "past the draft, not withdrawn, by submitting unit; the dossiers' scope)."))
    year_from: QueryYear | None = Field(None, description="First year (default: four years "
                                                          "before year_to).")
    year_to: QueryYear | None = Field(None, description="Last year (default: this year). At "
                                                        "most 30 years in one table.")
    unit_id: QueryId | None = Field(None, description="The recipients' unit (default: every "
                                                      "unit you may see).")
    sub_units: bool = Field(True, description="Count the unit's sub-units too.")
    award: str = Field("", max_length=30, pattern=r"^[A-Za-z0-9_]*$",
                       description="An award code of the catalogue.")
    level: Level | None = Field(None, description="Level of the deciding authority.")
    subject: Subject | None = None
    commendation_type: CommendationType | None = Field(None, description=(
        "Law 2022 Art. 8; known only for awards that came from a dossier."))
    attribute: Attribute | None = Field(None, description=(
        "leader: the person holds a leading post (organisation data); front_line: not."))
    group_by: Grouping = "unit"


class RecordsQuery(StatisticsQuery, PageQuery):
    key: str = Field("", max_length=80, pattern=r"^[A-Za-z0-9_.]*$", description=(
        "The `key` of a row of the statistics (empty: every row)."))
    year: QueryYear | None = Field(None, description="One year of the range (empty: all).")


class YearCount(ResponseModel):
    year: int
    count: int
    change: int = Field(description="Count minus the year before's.")


class StatRowOut(ResponseModel):
    key: str = Field(description="Pass as `key` to /reports/statistics/records.")
    label: str
    years: list[YearCount]
    total: int
    share: float = Field(description="Of the grand total, 0..1.")


class FilterOut(ResponseModel):
    name: str
    value: str


class StatisticsOut(ResponseModel):
    years: list[int]
    rows: list[StatRowOut]
    total: StatRowOut
    filters: list[FilterOut]


class RecordOut(ResponseModel):
    id: int = Field(description="The award record's id (awards) or the dossier's (dossiers).")
    year: int
    award_code: str
    award_name: str
    person: Ref | None = Field(description="The person, for an award to an individual.")
    unit: Ref = Field(description="The person's unit or the collective itself (awards); "
                                  "the submitting unit (dossiers).")
    is_leader: bool | None = Field(description="None for a collective.")
    decision_number: str | None = Field(description="Awards only.")
    decision_date: date | None = Field(description="Awards only.")
    issuer: str | None = Field(description="Awards only.")
    source: str | None = Field(description="Awards only: decision, import, manual …")
    state: str | None = Field(description="Dossiers only: the dossier's state.")
    title: str | None = Field(description="Dossiers only.")


class RecordPage(ResponseModel):
    items: list[RecordOut]
    next_cursor: str | None
    total: int


class ProcessQueryIn(QueryModel):
    year: QueryYear | None = Field(None, description="Year of the dossiers (default: this year).")
    unit_id: QueryId | None = Field(None, description="The submitting unit, with its sub-units.")


class StateCountOut(ResponseModel):
    workflow: str
    state: str
    label: str
    step: str
    step_label: str
    count: int


class StepTimeOut(ResponseModel):
    workflow: str
    step: str
    label: str
    limit: int | None = Field(description="Working days; None: no limit.")
    dossiers: int
    finished: int
    met: int
    late: int
    average: float
    max_days: int


class AwardCount(ResponseModel):
    award: str
    count: int


class ReturnOut(ResponseModel):
    dossier_id: int
    title: str
    award: str
    unit: str
    returned_at: datetime
    reason: str


class OutcomeOut(ResponseModel):
    award: str
    approved: int
    rejected: int
    pending: int


class QuotaUseOut(ResponseModel):
    unit: Ref = Field(description="The unit the quota is counted over (for a group quota, "
                                  "the whole body: the ministry or the province).")
    award_code: str
    used: int
    cap: int | None
    over: bool
    counted_over: str = Field(description="Where the quota is counted, in words.")
    level: str = Field(description="The authority conferring the award, in words.")


class ShareOut(ResponseModel):
    unit_id: int
    unit: str
    individual: int
    front_line: int
    collective: int
    small_collective: int


class ProcessOut(ResponseModel):
    year: int
    total: int
    states: list[StateCountOut]
    steps: list[StepTimeOut]
    returns_per_award: list[AwardCount]
    returns: list[ReturnOut]
    outcomes: list[OutcomeOut]
    quotas: list[QuotaUseOut]
    shares: list[ShareOut]

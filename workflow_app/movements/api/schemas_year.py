"""Registration, inspections, pacts and the year-end flow over the API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    BodyYear,
    IsoDate,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref


class RegistrationLineIn(RequestModel):
    award_code: str = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$")
    person_id: BodyId | None = Field(None, description="Null: the unit's own (collective) "
                                                       "title.")


class RegistrationIn(RequestModel):
    commitments: str = Field("", max_length=20000, pattern=NO_NUL)
    lines: list[RegistrationLineIn] = Field(max_length=2000)


class RegistrationLineOut(ResponseModel):
    person: Ref | None
    award: Ref


class RegistrationOut(ResponseModel):
    unit: Ref
    registered_at: datetime
    commitments: str
    lines: list[RegistrationLineOut]


class RegistrationPage(ResponseModel):
    items: list[RegistrationOut] = Field(description="Those you may see: every unit's for "
                                                     "the organiser and auditors, else your "
                                                     "units' own.")
    next_cursor: str | None
    not_registered: list[Ref] = Field(description="Participating units without a "
                                                  "registration (organiser and auditors).")


class InspectionIn(RequestModel):
    unit_id: BodyId
    held_on: IsoDate = Field(description="Not in the future.")
    findings: str = Field(min_length=1, max_length=20000, pattern=NO_NUL)


class InspectionOut(ResponseModel):
    id: int
    unit: Ref
    held_on: date
    findings: str


class BatchRef(ResponseModel):
    id: int
    title: str
    dossiers: int


class RegistrationNominationsOut(ResponseModel):
    batches: list[BatchRef]


class PactIn(RequestModel):
    cluster_id: BodyId
    year: BodyYear
    text: str = Field(min_length=1, max_length=50000, pattern=NO_NUL)
    targets: list[str] = Field(default_factory=list, max_length=100)
    place: str = Field("", max_length=255, pattern=NO_NUL)


class SignatureIn(RequestModel):
    unit_id: BodyId
    signed_by: str = Field(min_length=1, max_length=160, pattern=NO_NUL)
    on_behalf_of: str = Field("", max_length=255, pattern=NO_NUL)
    signed_on: IsoDate = Field(description="Not in the future.")


class SignatureOut(ResponseModel):
    unit: Ref
    signed_by: str
    on_behalf_of: str
    signed_on: date


class PactOut(ResponseModel):
    id: int
    cluster: Ref
    year: int
    place: str
    text: str
    targets: list[str]
    signatures: list[SignatureOut]
    not_signed: list[Ref]


class ElectionIn(RequestModel):
    year: BodyYear = Field(description="The year reviewed; the election is for year + 1.")
    head_unit_id: BodyId
    deputy_unit_ids: list[BodyId] = Field(default_factory=list, max_length=20)


class ElectionOut(ResponseModel):
    year: int
    head: Ref
    deputies: list[Ref]


class AcclamationIn(RequestModel):
    award_code: str = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$")
    seats: int = Field(ge=1, le=100)
    held_on: IsoDate
    place: str = Field("", max_length=255, pattern=NO_NUL)


class AcclamationOut(ResponseModel):
    contest_id: int = Field(description="GET /acclamation/contests/{contest_id}.")
    proposed: list[Ref] = Field(description="From the ranking: the first `seats` units and "
                                            "any unit tied with the last of them.")


class ReviewRow(ResponseModel):
    unit: Ref
    rank: int
    total_points: float
    band: str | None
    tied: bool


class ReviewTable(ResponseModel):
    id: int
    title: str
    ranking: list[ReviewRow]


class ReviewOut(ResponseModel):
    kind: str = Field(description="half_year (sơ kết) or year_end (tổng kết).")
    registered: list[Ref]
    not_registered: list[Ref]
    titles: dict[str, int] = Field(description="Registered titles: award code → lines.")
    inspections: list[InspectionOut]
    tables: list[ReviewTable] = Field(description="Published score tables of the movement "
                                                  "(and of its cluster's year).")
    awards: list[Ref] = Field(description="Year-end only: awards of the participants in "
                                          "the movement's year (the award code as `code`).")

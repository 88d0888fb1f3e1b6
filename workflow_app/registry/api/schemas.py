"""The award registry: search, a person's and a unit's history (awards — revoked ones
included, with the revoking decision —, yearly ratings, initiatives), hand entry, and the
XLSX import."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyYear,
    FormModel,
    IsoDate,
    QueryModel,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import AwardRecordOut, PersonOut, Ref
from workflow_app.models.registry import INITIATIVE_KINDS, INITIATIVE_SCOPES, RATINGS

Rating = Literal[RATINGS]  # type: ignore[valid-type]
Scope = Literal[INITIATIVE_SCOPES]  # type: ignore[valid-type]
Kind = Literal[INITIATIVE_KINDS]  # type: ignore[valid-type]


class SearchQuery(QueryModel):
    q: str = Field("", max_length=120, pattern=NO_NUL, description=(
        "Words of a person's name or a unit's name or code, with or without diacritics."))
    page: int = Field(1, ge=1, le=100000, description="Page of 50 persons and 50 units.")


class PersonHit(ResponseModel):
    id: int
    full_name: str
    unit: Ref


class SearchOut(ResponseModel):
    persons: list[PersonHit] = Field(description="Persons you may see, by name (50 a page).")
    units: list[Ref] = Field(description="Units, by name (50 a page).")
    persons_total: int = Field(description="All matching persons you may see.")
    units_total: int = Field(description="All matching units.")
    page: int


class RatingOut(ResponseModel):
    id: int
    year: int
    rating: str
    rating_label: str


class InitiativeOut(ResponseModel):
    id: int
    year: int
    title: str
    kind: str
    scope: str
    scope_label: str
    recognised_by: str


class PersonHistoryOut(ResponseModel):
    person: PersonOut
    awards: list[AwardRecordOut] = Field(description="Newest year first, revoked included.")
    ratings: list[RatingOut] = Field(description="Newest year first.")
    initiatives: list[InitiativeOut]
    can_enter: bool = Field(description="You may enter rows by hand for this person.")


class UnitHistoryOut(ResponseModel):
    unit: Ref
    awards: list[AwardRecordOut] = Field(description="The unit's own awards (a collective), "
                                                     "newest year first, revoked included.")
    ratings: list[RatingOut]
    can_enter: bool = Field(description="You may enter rows by hand for this unit.")


class AwardEntryIn(RequestModel):
    award_code: str = Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$",
                            description="A catalogue award fitting the recipient (GET "
                                        "/catalogue/awards).")
    year: BodyYear
    decision_number: str = Field(min_length=1, max_length=60, pattern=NO_NUL,
                                 description="e.g. 125/QĐ-BTP")
    decision_date: IsoDate = Field(description="Not in the future.")
    issuer: str = Field("", max_length=255, pattern=NO_NUL)


class RatingEntryIn(RequestModel):
    year: BodyYear
    rating: Rating


class InitiativeEntryIn(RequestModel):
    year: BodyYear
    title: str = Field(min_length=1, max_length=255, pattern=NO_NUL)
    scope: Scope = Field(description="Where it was recognised.")
    kind: Kind = "initiative"
    recognised_by: str = Field("", max_length=255, pattern=NO_NUL)


class ImportForm(FormModel):
    """The text part of an import; the workbook goes in the part named `file`."""

    dry_run: bool = Field(False, description="Only check the file; import nothing.")


class ImportProblemOut(ResponseModel):
    sheet: str
    row: int = Field(description="As Excel numbers it (the header is row 1; 0: the file).")
    column: str
    reason: str


class ImportReportOut(ResponseModel):
    """A file with every row valid. With problems the answer is 422 `import_invalid`, the
    same report in `error.details`, and nothing imported."""

    ok: bool
    imported: bool = Field(description="False for a dry run.")
    sha256: str
    counts: dict[str, int] = Field(description="awards, ratings, initiatives.")
    problems: list[ImportProblemOut]

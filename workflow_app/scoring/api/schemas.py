"""Scoring and classification over the API: criteria tables, score sheets, ranking, lock and
publish. Points are decimal numbers with at most two decimals (e.g. 1.75)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    BodyInt,
    BodyYear,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref
from workflow_app.models.registry import RATINGS
from workflow_app.models.scoring import CRITERION_KINDS, TABLE_STATUSES

Points = float
Rating = Literal[RATINGS]  # type: ignore[valid-type]
CriterionKind = Literal[CRITERION_KINDS]  # type: ignore[valid-type]


class BandIn(RequestModel):
    code: str = Field(min_length=1, max_length=20, pattern=NO_NUL)
    label_vi: str = Field(min_length=1, max_length=120, pattern=NO_NUL)
    label_en: str = Field("", max_length=120, pattern=NO_NUL)
    min_points: Points = Field(ge=-100000, le=100000, description="Lowest total of the band.")
    rating: Rating | None = Field(None, description="Registry rating written on publishing.")


class CriterionIn(RequestModel):
    code: str = Field("", max_length=20, pattern=NO_NUL)
    title: str = Field(min_length=1, max_length=500, pattern=NO_NUL)
    kind: CriterionKind = "standard"
    max_points: Points = Field(gt=0, le=100000)
    guidance: str = Field("", max_length=4000, pattern=NO_NUL)


class GroupIn(RequestModel):
    code: str = Field("", max_length=20, pattern=NO_NUL)
    title: str = Field(min_length=1, max_length=500, pattern=NO_NUL)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=500)


class TableIn(RequestModel):
    movement_id: BodyId | None = Field(None, description="The movement's table, or…")
    cluster_id: BodyId | None = Field(None, description="…the cluster's table for `year`.")
    title: str = Field(min_length=1, max_length=255, pattern=NO_NUL)
    year: BodyYear
    assessor_unit_id: BodyId = Field(description="The cluster head or the standing agency.")
    groups: list[GroupIn] = Field(min_length=1, max_length=100)
    bands: list[BandIn] = Field(min_length=1, max_length=10)


class CriterionOut(ResponseModel):
    id: int
    code: str
    title: str
    kind: CriterionKind
    max_points: Points
    guidance: str


class GroupOut(ResponseModel):
    code: str
    title: str
    criteria: list[CriterionOut]


class BandOut(ResponseModel):
    code: str
    label: str
    min_points: Points
    rating: Rating | None


class RankOut(ResponseModel):
    unit: Ref
    own_points: Points
    total_points: Points
    rank: int | None = Field(description="Null: nobody has scored this member yet.")
    scored: bool = Field(description="False until the unit or the assessor scores it.")
    tied_with: list[str] = Field(description="The other members sharing this rank.")
    band: str | None


class TableOut(ResponseModel):
    id: int
    version: int = Field(description="Send it back with scores, lock or publish.")
    title: str
    year: int
    status: Literal[TABLE_STATUSES]  # type: ignore[valid-type]
    movement: Ref | None
    cluster: Ref | None
    assessor: Ref
    groups: list[GroupOut]
    bands: list[BandOut]
    members: list[Ref]
    ranking: list[RankOut] | None = Field(description="Null until published, unless you "
                                                      "organise or assess the table.")


class ScoreIn(RequestModel):
    criterion_id: BodyId
    points: Points | None = Field(None, ge=-100000, le=100000,
                                  description="Null clears the score.")
    note: str = Field("", max_length=4000, pattern=NO_NUL, description=(
        "Own scores: the evidence. The assessor's: the reason for a difference."))


class SheetIn(RequestModel):
    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The table version you saw.")
    side: Literal["self", "assessor"]
    scores: list[ScoreIn] = Field(max_length=500)


class EntryOut(ResponseModel):
    criterion_id: int
    own_points: Points | None
    evidence: str
    assessed_points: Points | None
    reason: str


class SheetOut(ResponseModel):
    table_version: int
    unit: Ref
    entries: list[EntryOut]


class VersionIn(RequestModel):
    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The table version you saw.")

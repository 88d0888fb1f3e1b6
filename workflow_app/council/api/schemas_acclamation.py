"""Cluster acclamation (bình xét, suy tôn): conferences, contests, the member units' papers
(recorded by unit: institutions vote openly), the ranked result and the nominees' dossiers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    BodyInt,
    IsoDate,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import DossierSummary, Ref


class ContestSummary(ResponseModel):
    id: int
    conference_id: int
    award: Ref
    seats: int = Field(description="K: units to acclaim at most.")
    status: Literal["open", "closed"]
    closed_at: datetime | None
    tally_hash: str | None = Field(description="SHA-256 of the sorted vote set (after close).")


class ConferenceSummary(ResponseModel):
    id: int
    cluster: Ref
    year: int
    held_on: date
    place: str
    created_at: datetime


class ConferencePage(ResponseModel):
    items: list[ConferenceSummary] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None


class ConferenceQuery(PageQuery):
    """Conferences of the clusters the caller organises or reads."""


class ConferenceOut(ConferenceSummary):
    can_organise: bool
    contests: list[ContestSummary]
    awards_open: list[Ref] = Field(description="Awards a new contest may be opened for.")


class ConferenceIn(RequestModel):
    cluster_id: BodyId = Field(description="A cluster you organise (secretary, reviewer or "
                                           "submitter over its organising unit).")
    year: BodyInt = Field(ge=2000, le=2100, description="The year reviewed.")
    held_on: IsoDate = Field(description="In the year reviewed or early the next year.")
    place: str = Field("", max_length=255, pattern=NO_NUL)


class ContestIn(RequestModel):
    award_id: BodyId = Field(description="One of the conference's `awards_open`.")
    seats: BodyInt = Field(ge=1, le=50, description="K: units to acclaim at most.")
    candidate_unit_ids: list[BodyId] = Field(
        default_factory=list, max_length=2000,
        description="The member units that may be voted for; empty: every member unit.")


class CandidatesIn(RequestModel):
    candidate_unit_ids: list[BodyId] = Field(
        max_length=2000, description="Member units of the cluster that year; empty: every "
                                     "member unit.")


class AcclamationPaperOut(ResponseModel):
    voter_unit: Ref
    candidates: list[Ref]


class ResultOut(ResponseModel):
    unit: Ref
    position: int
    rank: int = Field(description="Competition rank: tied units share a rank.")
    votes: int
    denominator: int
    votes_needed: int
    tied: bool
    acclaimed: bool
    boundary_tie: bool = Field(description="Meets the threshold but its tie straddles the "
                                           "last seat: the conference decides (a run-off).")
    dossier_id: int | None = Field(description="The flag dossier opened for the unit.")


class ContestOut(ContestSummary):
    rule: dict[str, Any] = Field(description="The threshold copied from the award's vote rule.")
    voters: list[Ref] = Field(description="The cluster's member units that year.")
    candidates: list[Ref] = Field(description="The named candidates; empty: every member.")
    voted: int
    papers: list[AcclamationPaperOut] = Field(description="Recorded by unit (not secret).")
    results: list[ResultOut] = Field(description="Ranked, after close.")
    can_organise: bool
    can_nominate: bool = Field(description="You may open the acclaimed units' dossiers.")


class AcclamationPaperIn(RequestModel):
    voter_unit_id: BodyId = Field(description="The member unit whose paper this is.")
    candidate_unit_ids: list[BodyId] = Field(
        max_length=50, description="At most K other member units; empty: a blank paper.")


class NominationsOut(ResponseModel):
    contest_id: int
    dossiers: list[DossierSummary] = Field(description="The dossiers opened now.")

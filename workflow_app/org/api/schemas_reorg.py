"""Reorganisations (issue 19): the body of a change, its preview, the recorded event, and a
unit's history — as the admin pages (Administration → Reorganisations)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    IsoDate,
    QueryModel,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref

ChangeKind = Literal["renamed", "moved", "merged", "split", "dissolved"]
GrantsChoice = Literal["move", "lapse"]


class ReorgIn(RequestModel):
    kind: ChangeKind
    unit_ids: list[BodyId] = Field(min_length=1, max_length=50, description=(
        "The units the decision changes: several only for a merger."))
    successor_ids: list[BodyId] = Field([], max_length=50, description=(
        "Merger: the one unit they join (it inherits their history). Split: the parts. "
        "Dissolution: the unit that receives the work in flight (optional)."))
    heir_ids: list[BodyId] = Field([], max_length=50, description=(
        "Split: the parts that take over the split unit's history."))
    new_name: str = Field("", max_length=255, pattern=NO_NUL, description="Rename.")
    new_name_en: str = Field("", max_length=255, pattern=NO_NUL)
    new_parent_id: BodyId | None = Field(None, description="Move: null for the top level.")
    effective_date: IsoDate = Field(description="Not in the future.")
    decision_number: str = Field(min_length=1, max_length=60, pattern=NO_NUL)
    decision_date: IsoDate
    decision_issuer: str = Field(min_length=1, max_length=255, pattern=NO_NUL)
    grants_choice: GrantsChoice | None = Field(None, description=(
        "Required when role grants exist over the closing units: `move` them to the "
        "receiving unit or let them `lapse`. Never assumed."))
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class ReversalIn(RequestModel):
    reason: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*\S[^\x00]*$")


class GrantPlan(ResponseModel):
    user_id: int
    username: str
    role: str
    unit: Ref


class PlanOut(ResponseModel):
    ok: bool = Field(description="False when `problems` lists why it cannot be applied.")
    problems: list[str]
    kind: str
    effective_date: date
    closing: list[Ref] = Field(description="Units that cease to exist (subjects, then "
                                           "sub-units closing with them).")
    successors: list[Ref]
    inheritors: list[Ref] = Field(description="Successors that take over the history.")
    receiver: Ref | None = Field(description="Where dossiers, registrations, movements "
                                             "and councils go.")
    dossier_ids: list[int]
    registration_ids: list[int]
    registration_clash_ids: list[int] = Field(description="Stay with the old unit: the "
                                                          "receiver already registered.")
    movement_ids: list[int]
    council_ids: list[int]
    grants: list[GrantPlan]
    membership_ids: list[int] = Field(description="Cluster memberships from the effective "
                                                  "year on, to re-form (not changed).")
    person_count: int


class EventUnitOut(ResponseModel):
    unit: Ref
    role: str
    old_name: str | None
    new_name: str | None
    old_parent_id: int | None
    new_parent_id: int | None
    parent_changed: bool
    inherits_history: bool


class EventOut(ResponseModel):
    id: int
    kind: str
    kind_label: str
    effective_date: date
    decision_number: str
    decision_date: date
    decision_issuer: str
    note: str
    grants_choice: str | None
    handover: dict
    reverses_id: int | None
    reversed_by_id: int | None
    units: list[EventUnitOut]


class UnitLifeQuery(QueryModel):
    on: IsoDate | None = Field(None, description="Also give the unit's name and parent on "
                                                 "this day.")


class UnitLifeOut(ResponseModel):
    unit: Ref
    valid_from: date | None
    valid_to: date | None = Field(description="The first day it no longer exists.")
    name_on: str | None = Field(description="Its name on `on` (when asked).")
    parent_on: Ref | None
    successors: list[Ref]
    predecessors: list[Ref]
    events: list[EventOut]


class TransferIn(RequestModel):
    to_unit_id: BodyId = Field(description="A unit that exists on `effective_date`.")
    effective_date: IsoDate = Field(description="Not in the future; not before the person's "
                                                "latest transfer.")
    decision_number: str = Field("", max_length=60, pattern=NO_NUL)
    decision_date: IsoDate | None = None
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class TransferOut(ResponseModel):
    id: int
    person_id: int
    from_unit: Ref
    to_unit: Ref
    effective_date: date
    decision_number: str
    decision_date: date | None


class HistoryRuleIn(RequestModel):
    body_unit_id: BodyId = Field(description="The body: the rule covers it and every unit "
                                             "below it.")
    award_code: str | None = Field(None, max_length=30, pattern=r"^[A-Za-z0-9_]+$",
                                   description="null: every award.")
    counts_predecessors: bool = Field(description="Whether a successor counts its "
                                                  "predecessors' years (ratings, titles).")
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class HistoryRuleOut(ResponseModel):
    id: int
    body: Ref
    award_code: str | None
    counts_predecessors: bool
    note: str


class HistoryRuleList(ResponseModel):
    default_counts_predecessors: bool = Field(description="Without a rule (configurable — no "
                                                          "confirmed legal source).")
    items: list[HistoryRuleOut]

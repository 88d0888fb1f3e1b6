"""Emulation movements over the API: plans, their participants and areas, the launch and the
other actions of `states/movement.toml`, and who registered."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    BodyInt,
    BodyYear,
    IsoDate,
    QueryYear,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref
from workflow_app.models.movement import MOVEMENT_KINDS, MOVEMENT_SCOPES

Kind = Literal[MOVEMENT_KINDS]  # type: ignore[valid-type]
Scope = Literal[MOVEMENT_SCOPES]  # type: ignore[valid-type]


class MovementQuery(PageQuery):
    year: QueryYear | None = Field(None, description="Only movements of this year.")


class MovementActionOut(ResponseModel):
    trigger: str = Field(description="POST /movements/{id}/actions/{trigger} fires it.")
    dest: str
    label: str
    reason_required: bool
    blocked_by: str | None = Field(description="Why a guard blocks it now (null: allowed).")


class MovementSummary(ResponseModel):
    id: int
    title: str
    year: int
    kind: Kind
    scope: Scope
    state: str
    state_label: str
    organiser: Ref
    document_number: str
    document_date: date | None
    participants: int
    registered: int


class MovementOut(ResponseModel):
    id: int
    version: int = Field(description="Send it back with a change or an action.")
    title: str
    theme: str
    year: int
    kind: Kind
    scope: Scope
    state: str
    state_label: str
    organiser: Ref
    parent: Ref | None
    cluster: Ref | None
    period_start: date
    period_end: date
    document_number: str
    document_date: date | None
    document_signer: str
    registration_deadline: date | None
    registration_reopened: bool
    registration_required: bool = Field(description=(
        "True: a nominee that did not register for a title under this movement cannot be "
        "submitted for it. False (the default): registration is informative."))
    registration_rule: str = Field(description="That setting in words.")
    areas: list[str]
    participants: list[Ref]
    registered: list[Ref] = Field(description="Participating units that have registered.")
    not_registered: list[Ref]
    actions: list[MovementActionOut] = Field(description="What you may do now.")


class MovementPage(ResponseModel):
    items: list[MovementSummary] = Field(description="Newest year first, then newest first.")
    next_cursor: str | None


class MovementIn(RequestModel):
    unit_id: BodyId = Field(description="The organising unit (you hold reviewer over it).")
    title: str = Field(min_length=1, max_length=255, pattern=NO_NUL)
    theme: str = Field("", max_length=20000, pattern=NO_NUL)
    kind: Kind = "regular"
    scope: Scope = "unit"
    year: BodyYear
    period_start: IsoDate
    period_end: IsoDate = Field(description="Not before period_start.")
    parent_id: BodyId | None = Field(None, description="The movement this plan is under.")
    cluster_id: BodyId | None = Field(None, description="Required when scope is cluster.")
    registration_deadline: IsoDate | None = None
    participant_ids: list[BodyId] = Field(default_factory=list, max_length=2000)
    areas: list[str] = Field(default_factory=list, max_length=100)


class MovementEditIn(MovementIn):
    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The version you saw.")


class MovementActionIn(RequestModel):
    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The version you saw.")
    reason: str | None = Field(None, max_length=4000, pattern=NO_NUL)
    document_number: str | None = Field(None, max_length=60, pattern=NO_NUL, description=(
        "For launch: the launching document, e.g. 131/QĐ-BTP."))
    document_date: IsoDate | None = None
    document_signer: str | None = Field(None, max_length=160, pattern=NO_NUL)


class RegistrationSettingsIn(RequestModel):
    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The version you saw.")
    registration_deadline: IsoDate | None = None
    registration_reopened: bool = False
    registration_required: bool = Field(False, description=(
        "Require registration: refuse to submit a title's nominee that did not register for "
        "it under this movement (a setting of the organiser, not a legal rule)."))

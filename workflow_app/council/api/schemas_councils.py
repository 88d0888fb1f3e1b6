"""Councils and their seats (the council management pages): the list, one council with its
members and terms, and the admin's changes (create, seat, end a term, change a role, the
quorum rule)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import NO_NUL, BodyId, IsoDate, RequestModel, ResponseModel
from workflow_app.api.schemas.shared import Ref
from workflow_app.council.service.councils import MAX_BASIS, MAX_NAME
from workflow_app.models.council import MEMBER_ROLES

MemberRole = Literal[MEMBER_ROLES]  # type: ignore[valid-type]
Comparator = Literal[">", ">="]
Basis = str | None
BASIS_FIELD = Field(None, max_length=MAX_BASIS, pattern=NO_NUL,
                    description="The decision behind the change (e.g. “Quyết định số "
                                "123/QĐ-BTP”), kept in its audit event.")
RATIO_FIELD = Field("1/2", min_length=1, max_length=20, pattern=NO_NUL,
                    description="A fraction such as 1/2 or 2/3 (configurable: no confirmed "
                                "legal source).")


class CouncilSummary(ResponseModel):
    id: int
    code: str
    name: str
    unit: Ref = Field(description="The council's level and scope (with its sub-units).")
    quorum_comparator: Comparator = Field(
        description="Quorum: the members present must be `>` or `>=` the ratio of the "
                    "voting members.")
    quorum_ratio: str
    recuse_nominee_unit: bool = Field(
        description="Members of the nominee's unit are recused too (not only the nominee).")
    created_at: datetime


class CouncilPage(ResponseModel):
    items: list[CouncilSummary] = Field(description="By id.")
    next_cursor: str | None


class SeatOut(ResponseModel):
    id: int = Field(description="The seat (member) id; terms of one person never overlap.")
    user_id: int
    name: str
    username: str
    role: MemberRole
    role_label: str
    voting: bool
    term_from: date
    term_to: date | None
    serving_today: bool
    missing_grant: str | None = Field(
        description="The role the account should hold over the council's unit for this "
                    "seat but does not (null when it holds it).")


class CouncilOut(CouncilSummary):
    members: list[SeatOut] = Field(description="Every seat, past and present, in seat order.")
    can_manage: bool = Field(description="The caller administers the council's unit.")


class CouncilIn(RequestModel):
    unit_id: BodyId = Field(description="A unit you administer.")
    code: str = Field(min_length=1, max_length=40, pattern=NO_NUL,
                      description="Letters, digits, “-”, “_” or “.” (e.g. HDTDKT-BTP).")
    name: str = Field(min_length=1, max_length=MAX_NAME, pattern=NO_NUL)
    quorum_comparator: Comparator = ">"
    quorum_ratio: str = RATIO_FIELD
    recuse_nominee_unit: bool = False
    basis: Basis = BASIS_FIELD


class RulesIn(RequestModel):
    quorum_comparator: Comparator
    quorum_ratio: str = RATIO_FIELD
    recuse_nominee_unit: bool
    basis: Basis = BASIS_FIELD


class SeatIn(RequestModel):
    user_id: BodyId = Field(description="An active account whose person belongs to the "
                                        "council's unit or a sub-unit.")
    role: MemberRole
    term_from: IsoDate
    term_to: IsoDate | None = Field(None, description="Null: an open term.")
    voting: bool | None = Field(None, description="Null: as the role says (everyone but the "
                                                  "secretary votes).")
    basis: Basis = BASIS_FIELD


class EndTermIn(RequestModel):
    last_day: IsoDate
    basis: Basis = BASIS_FIELD


class RoleIn(RequestModel):
    role: MemberRole
    basis: Basis = BASIS_FIELD


class CouncilQuery(PageQuery):
    """Councils whose page the caller may open."""

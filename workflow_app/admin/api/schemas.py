"""Administration (admins, as the admin pages): accounts and roles, units, clusters."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from workflow_app.accounts.service.passwords import MAX_LENGTH, MIN_LENGTH
from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import NO_NUL, BodyId, BodyInt, RequestModel, ResponseModel
from workflow_app.dossiers.api.schemas import Ref
from workflow_app.models.org import UNIT_KINDS
from workflow_app.models.user import ROLES
from workflow_app.org.api.schemas import ClusterKind, ClusterRole

Role = Literal[ROLES]  # type: ignore[valid-type]
UnitKind = Literal[UNIT_KINDS]  # type: ignore[valid-type]
CODE = r"^[A-Za-z0-9._-]+$"
NAME = r"^[^\x00]*\S[^\x00]*$"  # not blank, no NUL


class GrantOut(ResponseModel):
    id: int
    role: Role
    role_label: str
    unit: Ref = Field(description="The role covers this unit and its sub-units.")
    granted_at: datetime


class UserOut(ResponseModel):
    id: int
    username: str
    email: str
    display_name: str
    person: Ref | None
    locale: str
    is_active: bool
    totp_enabled: bool = Field(description="Two-factor sign-in is set up.")
    created_at: datetime
    grants: list[GrantOut]


class UserPage(ResponseModel):
    items: list[UserOut] = Field(description="By id.")
    next_cursor: str | None


class UserQuery(PageQuery):
    role: Role | None = Field(None, description="Only accounts holding this role.")
    is_active: bool | None = None


class UserCreateIn(RequestModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$", description=(
        "3–64 characters: lower-case letters, digits, dot, dash, underscore."))
    password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH, pattern=NO_NUL,
                          description="The initial password; tell the user to change it.")
    email: EmailStr | None = Field(None, max_length=254)
    person_id: BodyId | None = Field(None, description=(
        "The person this account belongs to (one account per person)."))


class GrantIn(RequestModel):
    role: Role
    unit_id: BodyId = Field(description="Over this unit and its sub-units.")


class ActiveIn(RequestModel):
    active: bool = Field(description="false disables the account and ends its sessions; its "
                                     "access tokens stop working.")


class UnitIn(RequestModel):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(max_length=255, pattern=NAME, description="The Vietnamese name.")
    name_en: str = Field("", max_length=255, pattern=NO_NUL)
    kind: UnitKind
    symbol: str = Field("", max_length=20, pattern=r"^[A-ZĐ0-9-]*$", description=(
        "Used in document numbers, e.g. BTP in 2307/QĐ-BTP."))
    parent_id: BodyId | None = Field(None, description="null: a top-level unit.")


class UnitPatch(RequestModel):
    """Only the fields sent change; `parent_id: null` moves the unit to the top level."""

    code: str | None = Field(None, min_length=1, max_length=40, pattern=CODE)
    name: str | None = Field(None, max_length=255, pattern=NAME)
    name_en: str | None = Field(None, max_length=255, pattern=NO_NUL)
    kind: UnitKind | None = None
    symbol: str | None = Field(None, max_length=20, pattern=r"^[A-ZĐ0-9-]*$")
    parent_id: BodyId | None = None


class ClusterIn(RequestModel):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(max_length=255, pattern=NAME, description="The Vietnamese name.")
    name_en: str = Field("", max_length=255, pattern=NO_NUL)
    kind: ClusterKind
    organiser_unit_id: BodyId = Field(description="The unit that organises it.")


class MembershipIn(RequestModel):
    """Make a unit a member of the cluster in a year, with its role that year (a unit has
    one role per cluster and year: sending it again changes the role)."""

    unit_id: BodyId
    year: BodyInt = Field(ge=1945, le=2200)
    role: ClusterRole = "member"

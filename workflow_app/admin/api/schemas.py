"""Administration (admins, as the admin pages): accounts and roles, units, clusters."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from workflow_app.accounts.service.passwords import MAX_LENGTH, MIN_LENGTH
from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    FormModel,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref
from workflow_app.models.user import ROLES

Role = Literal[ROLES]  # type: ignore[valid-type]


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




class TrustCertificateUpload(FormModel):
    """No text fields: the certificate (PEM or DER) goes in the part named `file`."""


class TrustCertificateOut(ResponseModel):
    id: int
    kind: Literal["root", "intermediate"] = Field(description=(
        "`root`: self-signed, a trust anchor; `intermediate`: only helps build chains."))
    subject: str = Field(description="RFC 4514.")
    issuer: str
    serial: str = Field(description="Hexadecimal.")
    not_before: datetime
    not_after: datetime
    fingerprint: str = Field(description="SHA-256 of the DER encoding, hexadecimal.")
    added_at: datetime


class TrustCertificateList(ResponseModel):
    items: list[TrustCertificateOut]

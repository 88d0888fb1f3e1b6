"""The caller's own account."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import ResponseModel


class RoleGrantOut(ResponseModel):
    role: str
    unit_id: int
    unit_code: str
    unit_name: str


class TokenInfo(ResponseModel):
    id: int
    name: str
    prefix: str
    scope: Literal["read", "read-write"]
    expires_at: datetime


class MeOut(ResponseModel):
    id: int
    username: str
    display_name: str
    locale: str
    roles: list[RoleGrantOut] = Field(description="Each role and the unit (with its sub-units) "
                                                  "it covers.")
    authenticated_by: Literal["token", "session"]
    token: TokenInfo | None = Field(None, description="The token of this request, if any.")

"""Changing the organisation (admins, as the admin pages): units, clusters and their members."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import NO_NUL, BodyId, BodyInt, RequestModel
from workflow_app.models.org import UNIT_KINDS
from workflow_app.org.api.schemas import ClusterKind, ClusterRole

UnitKind = Literal[UNIT_KINDS]  # type: ignore[valid-type]


CODE = r"^[A-Za-z0-9._-]+$"


NAME = r"^[^\x00]*\S[^\x00]*$"  # not blank, no NUL


class UnitIn(RequestModel):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(max_length=255, pattern=NAME, description="The Vietnamese name.")
    name_en: str = Field("", max_length=255, pattern=NO_NUL)
    kind: UnitKind
    symbol: str = Field("", max_length=20, pattern=r"^[A-ZĐ0-9-]*$", description=(
        "Used in document numbers, e.g. BTP in 2307/QĐ-BTP."))
    founding_ground: str = Field("", max_length=1000, pattern=NO_NUL, description=(
        "The “Căn cứ …;” line of the unit's own organisation decree (number, date, issuer), "
        "printed first in the decisions it issues; none is issued while it is empty."))
    head_title: str = Field("", max_length=255, pattern=NO_NUL, description=(
        "The title of the unit's head as award names write it, e.g. “Bộ trưởng Bộ Tư pháp” "
        "in “Bằng khen của Bộ trưởng Bộ Tư pháp”."))
    parent_id: BodyId | None = Field(None, description="null: a top-level unit.")


class UnitPatch(RequestModel):
    """Only the fields sent change; `parent_id: null` moves the unit to the top level."""

    code: str | None = Field(None, min_length=1, max_length=40, pattern=CODE)
    name: str | None = Field(None, max_length=255, pattern=NAME)
    name_en: str | None = Field(None, max_length=255, pattern=NO_NUL)
    kind: UnitKind | None = None
    symbol: str | None = Field(None, max_length=20, pattern=r"^[A-ZĐ0-9-]*$")
    founding_ground: str | None = Field(None, max_length=1000, pattern=NO_NUL)
    head_title: str | None = Field(None, max_length=255, pattern=NO_NUL)
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

"""Organisation: units, persons, emulation clusters and blocks (as the organisation pages)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    QueryId,
    QueryModel,
    QueryYear,
    ResponseModel,
)
from workflow_app.api.schemas.shared import PersonOut, Ref
from workflow_app.models.org import CLUSTER_KINDS, CLUSTER_ROLES

ClusterKind = Literal[CLUSTER_KINDS]  # type: ignore[valid-type]
ClusterRole = Literal[CLUSTER_ROLES]  # type: ignore[valid-type]


class UnitOut(ResponseModel):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    symbol: str
    founding_ground: str = Field(description="The “Căn cứ” line of the unit's own organisation "
                                             "decree, printed first in its decisions.")
    head_title: str = Field(description="Its head's title as award names write it, e.g. "
                                        "“Bộ trưởng Bộ Tư pháp”.")
    parent_id: int | None
    path: str = Field(description="Ids from the root, e.g. /1/4/ (sub-units share the prefix).")
    is_active: bool
    valid_from: date | None = Field(None, description="Exists from this day (null: before the "
                                                      "records).")
    valid_to: date | None = Field(None, description="The first day it no longer exists (null: "
                                                    "it exists); see /units/{id}/history.")


class UnitPage(ResponseModel):
    items: list[UnitOut]
    next_cursor: str | None


class UnitQuery(PageQuery):
    parent_id: QueryId | None = Field(None, description="Only the direct sub-units of this unit.")


class PersonPage(ResponseModel):
    items: list[PersonOut] = Field(description="By id. With `q`, a page may hold fewer than "
                                               "`limit` items (even none) and still have a "
                                               "`next_cursor`: keep following it.")
    next_cursor: str | None


class PersonQuery(PageQuery):
    """Persons your roles cover (admins and auditors: everyone), as the person pages."""

    q: str | None = Field(None, max_length=120, pattern=NO_NUL, description=(
        "Every word must occur in the name; case and diacritics are ignored "
        "(\"nguyen van\" finds \"Nguyễn Văn …\")."))
    unit_id: QueryId | None = Field(None, description="Only persons directly in this unit.")


class ClusterMembershipOut(ResponseModel):
    id: int
    unit: Ref
    role: ClusterRole
    role_label: str


class ClusterYearOut(ResponseModel):
    year: int
    head: Ref | None
    deputy: Ref | None
    members: list[ClusterMembershipOut] = Field(description="Head first, then deputies, then "
                                                           "members by name.")


class UnitClusterOut(ResponseModel):
    """One year in which the unit belongs to a cluster or block."""

    year: int
    cluster: Ref
    role: ClusterRole
    role_label: str


class UnitDetail(UnitOut):
    """The unit page: its place in the tree, sub-units, people and cluster memberships."""

    kind_label: str
    ancestors: list[Ref] = Field(description="From the root down, the unit excluded.")
    sub_units: list[UnitOut] = Field(description="Direct sub-units, by name.")
    persons_visible: bool = Field(description="False when the people of this unit are "
                                              "outside your roles' scope (`persons` is empty).")
    persons: list[PersonOut] = Field(description="People directly in the unit, leaders first.")
    clusters: list[UnitClusterOut] = Field(description="Newest year first.")


class ClusterOut(ResponseModel):
    id: int
    code: str
    name: str
    name_en: str
    kind: ClusterKind
    kind_label: str
    organiser: Ref
    years: list[int] = Field(description="Years with recorded members, newest first.")


class ClusterPage(ResponseModel):
    items: list[ClusterOut]
    next_cursor: str | None


class ClusterDetail(ClusterOut):
    members_by_year: list[ClusterYearOut] = Field(description="Newest year first (only the "
                                                              "`year` asked for, if any).")


class ClusterQuery(PageQuery):
    kind: ClusterKind | None = None


class ClusterDetailQuery(QueryModel):
    year: QueryYear | None = Field(None, description="Only this year's members.")

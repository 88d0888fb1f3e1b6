"""The award catalogue (titles and forms of commendation), versioned by legal basis."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from workflow_app.api.schemas.common import IsoDate, QueryModel, ResponseModel


class AwardVersionOut(ResponseModel):
    id: int
    basis_key: str
    name_vi: str
    name_en: str
    subject: str
    conferring_level: str
    workflow: str
    legal_basis: str = Field(description="The cited source, or a 'configurable' label.")
    note: str
    effective_from: date
    effective_to: date | None
    is_withdrawn: bool
    disclosure: dict[str, Any]
    vote_rule: dict[str, Any]
    prerequisites: list[Any]
    quota: dict[str, Any]
    required_documents: list[Any]


class AwardSummary(ResponseModel):
    id: int
    code: str
    kind: str
    version: AwardVersionOut = Field(description="The version in force on the day asked for.")


class AwardList(ResponseModel):
    """Not paginated: the catalogue is small and bounded (a few dozen awards)."""

    on: date
    items: list[AwardSummary]


class AwardQuery(QueryModel):
    on: IsoDate | None = Field(None, description="The day (YYYY-MM-DD); today in Vietnam if "
                                              "omitted.")


class AwardOut(ResponseModel):
    id: int
    code: str
    kind: str
    current_version_id: int | None = Field(description="The version in force today, if any.")
    versions: list[AwardVersionOut] = Field(description="Every version, newest first.")


class CatalogueChangeOut(ResponseModel):
    action: Literal["added", "changed", "restored", "withdrawn", "unchanged"]
    code: str
    basis_key: str
    source_file: str


class CatalogueReloadOut(ResponseModel):
    counts: dict[str, int] = Field(description="added, changed, restored, withdrawn, "
                                               "unchanged.")
    changes: list[CatalogueChangeOut] = Field(description="Every version, with what "
                                                          "happened to it.")


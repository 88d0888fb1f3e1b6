"""Nominations under public disclosure: exactly what the public pages show (the nominee's
name, never a date of birth or an ID number; the unit, the award, the summary, the window)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from workflow_app.api.schemas.common import ResponseModel
from workflow_app.api.schemas.shared import Ref


class PublicNomination(ResponseModel):
    dossier_id: int
    nominee_name: str
    unit: Ref = Field(description="The proposing unit.")
    award_name: str
    commendation_type: str
    year: int
    year_from: int | None
    summary: str
    started_on: date | None
    ends_on: date | None = Field(description="The last day comments are accepted.")
    working_days: int | None
    window_open: bool


class PublicNominationPage(ResponseModel):
    items: list[PublicNomination] = Field(description="By dossier id.")
    next_cursor: str | None

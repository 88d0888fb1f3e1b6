"""The dashboard's response: one panel per role held, as on the home page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import ResponseModel


class DashboardAction(ResponseModel):
    what: str = Field(description="returned, missing_documents, queue, "
                                  "objection, session, round, to_sign, verify.")
    title: str
    detail: str
    link: str = Field(description="The page where it is done.")
    due_on: date | None
    overdue: bool
    missing_documents: list[str] = Field(description="Document type codes still missing.")


class DashboardFigure(ResponseModel):
    what: str
    value: int | None = Field(description="A count (null for a moment, see `at`); for "
                                          "last_verification_problems the problems the last "
                                          "verification found (0: intact; null: never run).")
    at: datetime | None = Field(None, description="For a moment (the last verification, the "
                                                  "last checkpoint).")


class DashboardPanel(ResponseModel):
    role: Literal["submitter", "reviewer", "secretary", "chair", "signer", "auditor"]
    total: int = Field(description="Everything waiting, not only the actions listed.")
    overdue: int
    actions: list[DashboardAction] = Field(description="Overdue first, then by due date "
                                                       "(the first 8).")
    figures: list[DashboardFigure]


class DashboardOut(ResponseModel):
    panels: list[DashboardPanel]

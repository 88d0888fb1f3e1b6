"""The query of the appraisal queue export: the queue's filters, no paging."""

from __future__ import annotations

from pydantic import Field

from workflow_app.api.schemas.common import QueryId, QueryModel


class QueueExportQuery(QueryModel):
    state: str | None = Field(None, max_length=40, pattern="^[a-z_]+$",
                              description="One of the queue's states.")
    award_id: QueryId | None = None
    unit_id: QueryId | None = Field(None, description="A unit your reviewer role covers "
                                                      "(with its sub-units).")
    overdue: bool = Field(False, description="Only dossiers past their step's limit.")

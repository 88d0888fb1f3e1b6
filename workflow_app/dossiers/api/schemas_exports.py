"""The query of the dossier list export: the list's filters, no paging (every row)."""

from __future__ import annotations

from pydantic import Field

from workflow_app.api.schemas.common import NO_NUL, QueryId, QueryModel, QueryYear
from workflow_app.dossiers.api.schemas import CommendationType


class DossierExportQuery(QueryModel):
    q: str | None = Field(None, max_length=200, pattern=NO_NUL,
                          description="Nominee, title or #id; accents optional.")
    state: str | None = Field(None, max_length=40, pattern="^[a-z_]+$")
    award_id: QueryId | None = None
    year: QueryYear | None = None
    commendation_type: CommendationType | None = None
    batch_id: QueryId | None = None
